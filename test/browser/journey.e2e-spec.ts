// The first journey in a real browser: an agency officer transfers a case with
// its transfer letter; a police officer (own browser) acknowledges it and
// records the review; the police lead, on a page gone stale, meets 412 and then
// accepts and starts a joint rectification with two task agencies, both complete
// their tasks, the lead closes it as rectified and the timeline verifies. axe on
// every page visited; any console error or failed request fails the test.
import type { Page } from 'playwright-core';
import { firstPageBytes } from '../../scripts/console-size';
import { until } from '../support/until';
import { actions } from '../support/world';
import { choose, pickDate, signIn, startHarness, type Actor, type Harness } from './harness';

jest.setTimeout(120_000);

let h: Harness;
beforeAll(async () => {
  h = await startHarness({ CLOCK_MODE: 'controllable' }); // the last test moves the clock
}, 120_000);
afterAll(async () => {
  await h?.close();
});

async function expectAccessible(actor: Actor, where: string): Promise<void> {
  const violations = await actor.axe();
  expect({ where, violations }).toEqual({ where, violations: [] });
}

async function sendEvent(page: Page, event: string, fill?: () => Promise<void>): Promise<void> {
  await page.locator(`button[data-event="${event}"]`).click();
  const dialog = page.getByRole('dialog');
  await dialog.waitFor();
  await fill?.();
  await dialog.getByRole('button', { name: /提\s*交|Submit/ }).click();
  await dialog.waitFor({ state: 'hidden' });
}

async function openReferral(actor: Actor, referenceNo: string): Promise<void> {
  const { page } = actor;
  await page.goto('/');
  await page.getByRole('link', { name: referenceNo }).click();
  await page.waitForURL(/\/referrals\/[0-9a-f-]{36}$/);
  await page.locator('.caselink-statechart svg').waitFor();
}

test('the first page (sign-in, then the work queue) loads under 500 KB gzipped', () => {
  for (const page of ['src/pages/LoginPage.tsx', 'src/pages/QueuePage.tsx']) {
    expect(firstPageBytes(page).gzip).toBeLessThan(500 * 1024);
  }
});

test('officer transfers with an attachment; police acknowledge and review; the lead accepts and runs a joint rectification with two task agencies to closed (rectified)', async () => {
  // Agency officer: sign in (the work queue), the submit form, the referral page.
  const officer = await h.actor('officer');
  const { page } = officer;
  await page.getByRole('heading', { name: '待办工作' }).waitFor();
  await expectAccessible(officer, 'work queue');
  await page.getByRole('link', { name: '移送案件' }).click();
  await page.getByRole('heading', { name: '移送涉嫌犯罪案件' }).waitFor();

  await choose(page, '接收公安机关', 'Hangzhou Public Security Bureau', { search: true });
  await choose(page, '案件领域', '食品');
  await page.getByLabel('案件名称').fill('仓库查获假冒注册商标白酒 1200 瓶');
  await page.getByLabel('案情摘要').fill('执法检查发现萧山某仓库存放假冒注册商标白酒 1200 瓶。');
  await page.getByLabel('姓名 / 名称').fill('杭州某贸易有限公司');
  // A wrong check character is caught before anything is sent.
  await page.getByLabel('证件号码').fill('91330100MA2B3C4D12');
  await page.getByText('统一社会信用代码校验位不正确').waitFor();
  await page.getByLabel('证件号码').fill('91330100MA2B3C4D1A');
  await page.getByLabel('涉案金额（元）').fill('182000.00');
  await page.getByLabel('涉嫌罪名').fill('销售假冒注册商标的商品罪');
  await page.getByLabel('专项行动代码').fill('kunlun-2026');
  await page
    .locator('input[type=file]')
    .first()
    .setInputFiles({
      name: '涉嫌犯罪案件移送书.pdf',
      mimeType: 'application/pdf',
      buffer: Buffer.from('%PDF-1.4\n% transfer letter\n'),
    });
  await page.locator('.ant-upload-list-item-name', { hasText: '涉嫌犯罪案件移送书.pdf' }).waitFor();
  await page.waitForTimeout(500); // the list item fades in: axe would measure its contrast mid-animation
  await expectAccessible(officer, 'submit form');
  await page.getByRole('button', { name: /^移\s*送$/ }).click();

  await page.waitForURL(/\/referrals\/[0-9a-f-]{36}$/);
  await page.getByRole('cell', { name: '涉嫌犯罪案件移送书.pdf', exact: true }).waitFor();
  await page.locator('.caselink-statechart svg').waitFor();
  const referenceNo = (await page.locator('.ant-descriptions-item-content').first().innerText()).trim();
  expect(referenceNo).toMatch(/^\d{6}-\d{4}-\d+$/);
  await page
    .getByText(/^\d{4}年\d{1,2}月\d{1,2}日 \d{2}:\d{2}$/)
    .first()
    .waitFor(); // Chinese date conventions
  await expectAccessible(officer, 'referral page (officer)');
  expect(officer.problems).toEqual([]);

  // Police officer, in a browser of their own: the referral waits in the queue, and was announced.
  const police = await h.actor('policeOfficer');
  await police.page.getByRole('link', { name: referenceNo }).waitFor();
  await police.page.getByRole('button', { name: /打开通知（[1-9]\d* 条未读）/ }).waitFor();
  await openReferral(police, referenceNo); // the same page as the officer's, already checked by axe
  await sendEvent(police.page, 'ACKNOWLEDGE');
  await police.page.getByText('审查中').first().waitFor();
  // The police lead opens it too, before the officer records the review.
  const lead = await h.actor('lead');
  await openReferral(lead, referenceNo);
  await sendEvent(police.page, 'RECORD_REVIEW', async () => {
    await police.page.getByRole('radio', { name: '建议立案' }).check();
    await police.page.getByLabel('审查意见说明').fill('证据确实，涉嫌销售假冒注册商标的商品罪，建议立案。');
  });
  await police.page.getByText('已审查').first().waitFor();
  expect(police.problems).toEqual([]);

  // The lead's page is now stale: recording the review again meets 412, explained in words, and the page refreshes.
  await lead.page.locator('button[data-event="RECORD_REVIEW"]').click();
  const form = lead.page.getByRole('dialog', { name: '录入审查意见' });
  await form.getByRole('radio', { name: '建议不立案' }).check();
  await form.getByLabel('审查意见说明').fill('另行审查意见');
  await form.getByRole('button', { name: /提\s*交/ }).click();
  const warning = lead.page.getByRole('dialog').filter({ hasText: '案件已被他人更新' });
  await warning.waitFor();
  await warning.getByRole('button').last().click();
  await lead.page.locator('button[data-event="ACCEPT"]').waitFor(); // the refreshed page offers what can be done now
  expect(lead.problems.filter((p) => !/\b412\b/.test(p))).toEqual([]);
  lead.problems.length = 0;

  // Police lead: accepts with a case number; the timeline verifies.
  await sendEvent(lead.page, 'ACCEPT', async () => {
    await lead.page.getByLabel('立案编号').fill('杭公立字〔2026〕123号');
  });
  await lead.page.locator('.ant-tag', { hasText: '已立案' }).first().waitFor();
  await lead.page.getByTestId('verify').filter({ hasText: '记录链校验通过' }).waitFor();
  await expectAccessible(lead, 'referral page (lead, accepted)');
  expect(lead.problems).toEqual([]);

  // The officer's page, open all along, heard of it live (SSE): the state is current and the bell rings.
  await officer.page.locator('.ant-tag', { hasText: '已立案' }).first().waitFor();
  const bell = officer.page.getByRole('button', { name: /打开通知（[1-9]\d* 条未读）/ });
  const before = Number(/（(\d+) 条未读）/.exec((await bell.getAttribute('aria-label'))!)![1]);
  await bell.click();
  await officer.page
    .getByRole('button', { name: /标为已读/ })
    .first()
    .click();
  await officer.page.getByRole('button', { name: `打开通知（${before - 1} 条未读）` }).waitFor();
  expect(officer.problems).toEqual([]);

  // The lead starts a joint rectification: the plan's due date, a task for each of two agencies with its own due date.
  await lead.page.locator('button[data-event="START_JOINT_RECTIFICATION"]').click();
  const plan = lead.page.getByRole('dialog');
  await plan.waitFor();
  await pickDate(plan.getByLabel('整治截止日期'), '2027-03-31');
  await plan.getByRole('button', { name: /添\s*加/ }).click();
  const agencies = plan.getByLabel('任务单位');
  await choose(lead.page, agencies.nth(0), 'Hangzhou Market Regulation', { search: true });
  await choose(lead.page, agencies.nth(1), 'Ningbo Market Regulation', { search: true });
  await plan.getByLabel('任务内容').nth(0).fill('排查全市白酒批发仓储环节');
  await plan.getByLabel('任务内容').nth(1).fill('核查宁波方向的上游供货渠道');
  await pickDate(plan.getByLabel('任务截止日期').nth(0), '2027-02-26');
  await pickDate(plan.getByLabel('任务截止日期').nth(1), '2027-03-15');
  await expectAccessible(lead, 'joint rectification form');
  await plan.getByRole('button', { name: /提\s*交|Submit/ }).click();
  await plan.waitFor({ state: 'hidden' });
  await lead.page.locator('.ant-tag', { hasText: '联合整治' }).first().waitFor();
  const tasks = lead.page.locator('.ant-card', { has: lead.page.getByRole('heading', { name: '整治任务' }) });
  await tasks.getByRole('row', { name: /Hangzhou Market Regulation.*2027年2月26日 24:00.*进行中/ }).waitFor();
  await tasks.getByRole('row', { name: /Ningbo Market Regulation.*2027年3月15日 24:00.*进行中/ }).waitFor();
  await expectAccessible(lead, 'referral page (joint rectification)');

  // Each task agency completes its own task, in its own browser.
  const nbOfficer = await h.actor('nbOfficer');
  for (const [actor, note] of [
    [officer, '已完成全市 126 家批发仓储单位排查。'],
    [nbOfficer, '已核查上游供货渠道 3 条，线索已移交。'],
  ] as const) {
    await openReferral(actor, referenceNo);
    await sendEvent(actor.page, 'COMPLETE_TASK', async () => {
      await actor.page.getByRole('dialog').getByLabel('说明').fill(note);
    });
    await actor.page.locator('button[data-event="COMPLETE_TASK"]').waitFor({ state: 'detached' });
    expect(actor.problems).toEqual([]);
  }

  // The lead completes the rectification: closed as rectified; every step is in the timeline, and it verifies.
  await lead.page.reload();
  await tasks.getByRole('row', { name: /Hangzhou Market Regulation.*已完成/ }).waitFor();
  await tasks.getByRole('row', { name: /Ningbo Market Regulation.*已完成/ }).waitFor();
  await sendEvent(lead.page, 'COMPLETE_RECTIFICATION', async () => {
    await lead.page.getByLabel('整治总结').fill('两项整治任务均已完成，白酒仓储环节隐患已消除。');
  });
  await lead.page.locator('.ant-tag', { hasText: '已办结' }).first().waitFor();
  await lead.page.locator('.ant-descriptions-item-content', { hasText: /^整治完成$/ }).waitFor();
  await lead.page.getByTestId('verify').filter({ hasText: '记录链校验通过（9 条）' }).waitFor();
  const steps = await lead.page.locator('.ant-timeline-item strong').allInnerTexts();
  expect(steps).toEqual([
    '1. 移送',
    '2. 添加材料',
    '3. 签收',
    '4. 录入审查意见',
    '5. 立案',
    '6. 启动联合整治',
    '7. 完成任务',
    '8. 完成任务',
    '9. 整治完成',
  ]);
  const timeline = lead.page.locator('.ant-timeline');
  await timeline.getByText('立案编号：杭公立字〔2026〕123号').waitFor();
  await timeline.getByText(/^整治任务：Hangzhou Market Regulation · 排查全市白酒批发仓储环节 · 2027年2月26日 24:00；/).waitFor();
  await expectAccessible(lead, 'referral page (closed, rectified)');
  expect(lead.problems).toEqual([]);

  for (const a of [officer, police, lead, nbOfficer]) await a.close();
});

test('phone width, English, an expired session returns to its page, sign out, a refused sign-in', async () => {
  const referral = await actions(h.t, h.world).submit({ title: 'Phone-width check' });
  const officer = await h.actor('officer', { viewport: { width: 390, height: 844 } });
  const { page } = officer;
  const fitsWidth = () => page.evaluate<boolean>('document.documentElement.scrollWidth <= window.innerWidth');
  await page.getByRole('heading', { name: '待办工作' }).waitFor();
  expect(await fitsWidth()).toBe(true);
  await expectAccessible(officer, 'work queue at 390 px');

  await page.goto(`/referrals/${referral.id}`);
  await page.locator('.caselink-statechart svg').waitFor();
  expect(await fitsWidth()).toBe(true);

  // English, kept across a reload; dates in English conventions.
  await choose(page, '语言', 'English');
  await page.getByRole('heading', { name: 'Actions' }).waitFor();
  await page.reload();
  await page.getByRole('heading', { name: 'Timeline' }).waitFor();
  await page
    .getByText(/^\d{1,2} [A-Z][a-z]{2} \d{4} \d{2}:\d{2}$/)
    .first()
    .waitFor();

  // The token stops working elsewhere: the next call answers 401, the console asks to sign in and comes back here.
  const token = await page.evaluate<string>("JSON.parse(sessionStorage.getItem('caselink.session')).token");
  await h.t.http().post('/api/v1/auth/logout').set('Authorization', `Bearer ${token}`).expect(204);
  await page.reload();
  await page.waitForURL(/\/login\?expired=1&next=/);
  await page.getByText('Your session has ended; please sign in again').waitFor();
  await signIn(page, 'officer', undefined, { fromLogin: true });
  await page.waitForURL(new RegExp(`/referrals/${referral.id}$`));
  await page.getByRole('heading', { name: 'Phone-width check' }).waitFor();
  expect(officer.problems.filter((p) => !p.startsWith('HTTP 401') && !p.includes('401 (Unauthorized)'))).toEqual([]);

  // Sign out: back to the sign-in page, the token no longer works.
  const second = await page.evaluate<string>("JSON.parse(sessionStorage.getItem('caselink.session')).token");
  // The account menu opens from the keyboard (Enter on its button).
  await page.getByRole('button', { name: 'Account' }).focus();
  await page.keyboard.press('Enter');
  await page.getByRole('menuitem', { name: 'Sign out' }).click();
  await page.waitForURL(/\/login$/);
  await h.t.http().get('/api/v1/auth/me').set('Authorization', `Bearer ${second}`).expect(401);

  // A refused sign-in shows the API's words.
  await page.getByLabel('Username').fill('officer');
  await page.getByLabel('Password').fill('not-the-password');
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page
    .getByRole('alert')
    .filter({ hasText: /^Wrong username or password: .+/ })
    .waitFor();
  await officer.close();
});

test('a supervisor sees a breached deadline after the clock moves, drills into it and exports CSV', async () => {
  const a = actions(h.t, h.world);
  const referral = await a.submit({ title: 'Nobody acknowledged this one' });
  await h.t.http().post('/api/v1/test-clock/advance').set('Authorization', a.auth('admin')).send({ hours: 25 }).expect(200);
  const overdue = await until(
    async () => (await h.t.http().get('/api/v1/supervision/overdue').set('Authorization', a.auth('supervisor'))).body.items,
    (items: { referral: { id: string } }[]) => items.some((i) => i.referral.id === referral.id),
  );
  expect(overdue.some((i: { referral: { id: string } }) => i.referral.id === referral.id)).toBe(true);

  const supervisor = await h.actor('supervisor');
  const { page } = supervisor;
  await page.getByRole('link', { name: '逾期督办' }).click();
  await page.getByRole('heading', { name: '逾期督办' }).waitFor();
  const row = page.getByRole('row').filter({ hasText: 'Nobody acknowledged this one' });
  await row.getByText('签收').waitFor();
  await expectAccessible(supervisor, 'overdue transfers');

  const download = page.waitForEvent('download');
  await page.getByRole('button', { name: /导出 CSV/ }).click();
  expect((await download).suggestedFilename()).toBe('caselink-referrals.csv');

  await row.getByRole('link').click();
  await page.getByRole('heading', { name: 'Nobody acknowledged this one' }).waitFor();
  await page.locator('.ant-tag', { hasText: '已逾期' }).first().waitFor();
  expect(supervisor.problems).toEqual([]);
  await supervisor.close();
});
