// The admin pages in a real browser: an admin creates an agency and a user (a taken
// code or username is shown on its field), edits the holiday calendar of a year (mark
// a holiday and a make-up working day, save, reload: still there), creates an API key
// (shown once) and a webhook whose delivery shows up in its deliveries. axe on every
// page; any console error or failed request fails the test.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Locator, Page } from 'playwright-core';
import { startHarness, type Actor, type Harness } from './harness';
import { actions, PASSWORD } from '../support/world';

jest.setTimeout(180_000);

let h: Harness;
let receiver: Server;
const received: string[] = [];
beforeAll(async () => {
  h = await startHarness({ WEBHOOK_ALLOW_PRIVATE_TARGETS: 'true' });
  receiver = createServer((req, res) => {
    req.resume();
    req.on('end', () => {
      received.push(String(req.headers['x-caselink-event']));
      res.writeHead(204).end();
    });
  });
  await new Promise<void>((r) => receiver.listen(0, '127.0.0.1', r));
}, 120_000);
afterAll(async () => {
  await new Promise((r) => receiver?.close(r));
  await h?.close();
});

async function expectAccessible(actor: Actor, where: string): Promise<void> {
  const violations = await actor.axe();
  expect({ where, violations }).toEqual({ where, violations: [] });
}

/** Picks an option of an antd Select inside a dialog. */
async function pick(page: Page, scope: Locator, label: string, text: string, search = false): Promise<void> {
  const box = scope.getByRole('combobox', { name: new RegExp(`^(\\* )?${label}$`) }); // a required field's name starts with its asterisk
  await box.click();
  if (search) await box.fill(text);
  await page.locator('.ant-select-dropdown:visible .ant-select-item-option', { hasText: text }).first().click();
}

/** The dialog's save button, once it no longer shows the previous attempt's spinner. */
async function save(dialog: Locator): Promise<void> {
  await dialog.locator('.ant-btn-loading').waitFor({ state: 'detached' });
  await dialog.getByRole('button', { name: /^保\s*存$/ }).click();
}

async function openPage(actor: Actor, nav: string, heading: string | RegExp): Promise<void> {
  await actor.page.getByRole('link', { name: nav, exact: true }).click();
  await actor.page.getByRole('heading', { name: heading, level: 1 }).waitFor();
}

// A retry (retry.setup.ts) must not meet what its first attempt created: names per attempt.
let attempt = 0;

test('an admin creates an agency and a user, and edits the holiday calendar', async () => {
  const n = ++attempt;
  const code = `sx-amr-${n}`;
  const name = `Shaoxing Market Regulation ${n}`;
  const renamed = `Shaoxing AMR ${n}`;
  const username = `sx.officer${n}`;
  const admin = await h.actor('admin');
  const { page } = admin;

  // Agencies: create one; a taken code is refused on the code field.
  await openPage(admin, '机关管理', '机关管理');
  await page.getByRole('cell', { name: 'hz-amr', exact: true }).waitFor();
  await expectAccessible(admin, 'agencies');
  await page.getByRole('button', { name: /新建机关/ }).click();
  let dialog = page.getByRole('dialog');
  await dialog.getByLabel('机关代码').fill('hz-amr');
  await dialog.getByLabel('名称').fill(name);
  await pick(page, dialog, '类别', '行政执法机关');
  await dialog.getByLabel('行政区划代码').fill('330600');
  await save(dialog);
  await dialog.getByText('an agency with code "hz-amr" exists').waitFor();
  await dialog.getByLabel('机关代码').fill(code);
  await save(dialog);
  await dialog.waitFor({ state: 'hidden' });
  await page.getByRole('cell', { name: code, exact: true }).waitFor();

  // Rename it.
  await page.getByRole('button', { name: `编辑 ${name}` }).click();
  dialog = page.getByRole('dialog');
  await dialog.getByText('修改机关名称').waitFor();
  await dialog.getByLabel('名称').fill(renamed);
  await save(dialog);
  await dialog.waitFor({ state: 'hidden' });
  await page.getByRole('cell', { name: renamed, exact: true }).waitFor();

  // Users: create one in the new agency; a taken username is refused on its field; the user can sign in.
  await openPage(admin, '用户管理', '用户管理');
  await page.getByRole('cell', { name: 'officer', exact: true }).first().waitFor();
  await expectAccessible(admin, 'users');
  await page.getByRole('button', { name: /新建用户/ }).click();
  dialog = page.getByRole('dialog');
  await dialog.getByLabel('用户名').fill('officer');
  await dialog.getByLabel('姓名').fill('绍兴执法人员');
  await dialog.getByLabel(/初始密码/).fill(PASSWORD);
  await pick(page, dialog, '所属机关', renamed, true);
  await dialog.getByRole('checkbox', { name: '执法人员' }).check();
  expect(await dialog.getByRole('checkbox', { name: '民警' }).count()).toBe(0); // roles fit the agency's kind
  await save(dialog);
  await dialog.getByText('username "officer" is taken').waitFor();
  await dialog.getByLabel('用户名').fill(username);
  await save(dialog);
  await dialog.waitFor({ state: 'hidden' });
  await page.getByRole('cell', { name: username, exact: true }).first().waitFor();
  await h.t.login(username, PASSWORD);

  // Filter by agency: only the new user.
  await pick(page, page.locator('body'), '所属机关', renamed, true);
  await page.getByRole('cell', { name: 'officer', exact: true }).first().waitFor({ state: 'detached' });
  await page.getByRole('cell', { name: username, exact: true }).first().waitFor();

  // Holiday calendar 2027: a holiday (Friday 8 Oct) and a make-up working day (Saturday 9 Oct).
  // A retry starts from the calendar the first attempt found (none), not from what it may have saved.
  if (n > 1) {
    const auth = `Bearer ${h.world.tokens.admin}`;
    await h.t.http().put('/api/v1/calendars/2027').set('Authorization', auth).send({ holidays: [], workdays: [] }).expect(200);
  }
  await openPage(admin, '节假日历', /节假日历/);
  await page.goto('/manage/calendar?year=2027');
  await page.getByRole('heading', { name: '2027 年节假日历', level: 1 }).waitFor();
  const day = (date: string) => page.locator(`button[data-date="${date}"]`);
  await day('2027-10-08').click();
  await day('2027-10-09').click();
  await day('2027-10-09').click();
  expect(await day('2027-10-08').getAttribute('data-mark')).toBe('holiday');
  expect(await day('2027-10-09').getAttribute('data-mark')).toBe('workday');
  expect(await day('2027-10-09').getAttribute('aria-label')).toBe('2027年10月9日 星期六: 调休上班日');
  // The keyboard: arrows move between days, Enter marks one.
  await day('2027-10-09').focus();
  await page.keyboard.press('ArrowRight');
  await page.keyboard.press('Enter');
  expect(await day('2027-10-10').getAttribute('data-mark')).toBe('holiday');
  await page.keyboard.press('Enter');
  await page.keyboard.press('Enter');
  expect(await day('2027-10-10').getAttribute('data-mark')).toBe('normal');
  await expectAccessible(admin, 'calendar');
  await page.getByRole('button', { name: '保存日历' }).click();
  await page.getByText(/2027 年日历已保存：重新计算了 \d+ 个待办期限/).waitFor();
  await page.reload();
  await page.getByRole('heading', { name: '2027 年节假日历', level: 1 }).waitFor();
  await day('2027-10-08').and(page.locator('[data-mark="holiday"]')).waitFor();
  expect(await day('2027-10-09').getAttribute('data-mark')).toBe('workday');
  expect(await day('2027-10-07').getAttribute('data-mark')).toBe('normal');
  const stored = await h.t.http().get('/api/v1/calendars/2027').set('Authorization', `Bearer ${h.world.tokens.admin}`);
  expect(stored.body).toMatchObject({ holidays: ['2027-10-08'], workdays: ['2027-10-09'] });

  // API keys: created for the new agency, shown once, listed by prefix only.
  await openPage(admin, 'API 密钥', 'API 密钥');
  await page.getByRole('button', { name: /新建 API 密钥/ }).click();
  dialog = page.getByRole('dialog');
  await dialog.getByLabel('名称').fill('sx case system');
  await pick(page, dialog, '所属机关', renamed, true);
  await dialog.getByRole('checkbox', { name: '执法人员' }).check();
  await save(dialog);
  const secret = page.getByTestId('secret-value');
  await secret.waitFor();
  const key = (await secret.innerText()).trim();
  expect(key).toMatch(/^clk_/);
  await page.getByRole('button', { name: '我已复制' }).click();
  await page.getByRole('dialog', { name: '新的 API 密钥' }).waitFor({ state: 'hidden' });
  await page.getByRole('cell', { name: 'sx case system', exact: true }).waitFor();
  expect(await page.locator('table').innerText()).not.toContain(key);
  await expectAccessible(admin, 'API keys');

  // Webhooks: subscribe to everything; a referral's submission is delivered and shown.
  await openPage(admin, 'Webhook', 'Webhook 订阅');
  await page.getByRole('button', { name: /新建订阅/ }).click();
  dialog = page.getByRole('dialog');
  const url = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/hook`;
  await dialog.getByLabel('推送地址（URL）').fill(url);
  await save(dialog);
  await page.getByTestId('secret-value').waitFor();
  await page.getByRole('button', { name: '我已复制' }).click();
  await page.getByRole('dialog', { name: '签名密钥' }).waitFor({ state: 'hidden' });
  await page.getByRole('cell', { name: url, exact: true }).waitFor();
  const referral = await actions(h.t, h.world).submit({ title: 'Webhook 推送' });
  await page.getByRole('button', { name: `推送到 ${url} 的记录` }).click();
  const delivered = page.locator('tr', { hasText: '已送达' });
  for (let i = 0; i < 40 && !(await delivered.count()); i++) {
    await page.waitForTimeout(500);
    await page.getByRole('button', { name: '刷新' }).click();
  }
  await delivered.first().waitFor();
  expect(await delivered.first().innerText()).toMatch(/204/);
  expect(received).toContain('SUBMIT');
  expect(referral.id).toBeTruthy();
  await expectAccessible(admin, 'webhooks with deliveries');

  // The two refusals asked for above (taken code, taken username), and nothing else.
  const expected = /^(HTTP 409: POST \S+\/api\/v1\/(agencies|users)|console: Failed to load resource: .* 409 \(Conflict\))$/;
  expect(admin.problems.filter((p) => expected.test(p))).toHaveLength(4);
  expect(admin.problems.filter((p) => !expected.test(p))).toEqual([]);
  await admin.close();
});

test('a police lead manages the webhooks of their own agency; the admin pages are not in their menu', async () => {
  const lead = await h.actor('lead');
  await openPage(lead, 'Webhook', 'Webhook 订阅');
  expect(await lead.page.getByRole('link', { name: '用户管理' }).count()).toBe(0);
  await expectAccessible(lead, 'webhooks (police lead)');
  expect(lead.problems).toEqual([]);
  await lead.close();
});
