// Campaigns in a real browser (issue 11 §4): the provincial supervisor registers a
// campaign in the console and changes it; two referrals naming it (made through the
// API) share a suspect and one is accepted; the campaign's dashboard shows their
// figures (totals, by region and by field, the chart) and downloads the API's CSV.
// An agency officer reads the register but may not write it. axe on every page
// visited; any console error or failed request fails the test.
import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { creditCodeCheck } from '../../workflows/parties/party-identity';
import { actions } from '../support/world';
import { choose, startHarness, type Harness } from './harness';
import { expectAccessible } from './steps';

jest.setTimeout(180_000);

let h: Harness;
beforeAll(async () => {
  h = await startHarness();
}, 120_000);
afterAll(async () => {
  await h?.close();
});

test('a supervisor registers a campaign, referrals carry it, and its dashboard shows their figures and downloads the CSV', async () => {
  // names per attempt (the suite retries once)
  const tag = randomUUID().replace(/-/g, '').slice(0, 6);
  const code = `kunlun-bt-${tag}`;
  const supervisor = await h.actor('supervisor');
  const { page } = supervisor;

  // Register it in the console.
  await page.getByRole('link', { name: '专项行动' }).click();
  await page.getByRole('heading', { name: '专项行动', level: 1 }).waitFor();
  await page.getByRole('button', { name: '登记专项行动' }).click();
  const dialog = page.getByRole('dialog');
  await dialog.waitFor();
  await dialog.getByLabel('代码').fill(code);
  await dialog.getByLabel('名称').fill(`昆仑 ${tag}`);
  await dialog.getByLabel('开始日期').fill('2026-01-01');
  await dialog.getByLabel('结束日期').fill('2027-12-31');
  // several fields may be picked: the list stays open until the form is clicked elsewhere
  await dialog.getByLabel('领域').click();
  await page.locator('.ant-select-dropdown:visible .ant-select-item-option', { hasText: '食品' }).first().click();
  await dialog.getByLabel('名称').click();
  await page.locator('.ant-select-dropdown:visible').first().waitFor({ state: 'hidden' });
  await dialog.getByLabel('地区').fill('330000');
  await dialog.getByLabel('地区').press('Enter');
  await dialog.getByLabel('名称').click();
  await expectAccessible(supervisor, 'campaign form');
  await dialog.getByRole('button', { name: /保\s*存/ }).click();
  await dialog.waitFor({ state: 'hidden' });
  const row = page.getByRole('row').filter({ hasText: code });
  await row.getByText(`昆仑 ${tag}`).waitFor();
  await row.getByText('2026-01-01 – 2027-12-31').waitFor();

  // Change its name (PATCH with the version shown).
  await page.getByRole('button', { name: `修改专项行动 ${code}` }).click();
  await dialog.waitFor();
  await dialog.getByLabel('名称').fill(`昆仑2026 ${tag}`);
  await dialog.getByRole('button', { name: /保\s*存/ }).click();
  await dialog.waitFor({ state: 'hidden' });
  await row.getByText(`昆仑2026 ${tag}`).waitFor();
  await expectAccessible(supervisor, 'campaign register (supervisor)');
  const stored = await h.t.http().get(`/api/v1/campaigns/${code}`).set('Authorization', `Bearer ${h.world.tokens.supervisor}`);
  expect(stored.body).toMatchObject({ name: `昆仑2026 ${tag}`, domains: ['food'], regionCodes: ['330000'], version: 2 });

  // Two referrals naming it share a suspect; the police accept one.
  const api = actions(h.t, h.world);
  const prefix = `91330100${tag.toUpperCase().replace(/[^0-9A-F]/g, '0')}MA0`;
  const shared = { kind: 'organization', name: `杭州某贸易有限公司 ${tag}`, idNumber: prefix + creditCodeCheck(prefix) };
  const first = await api.submit({ campaign: code, suspects: [shared], title: `假冒白酒案 ${tag}` });
  await api.submit({ campaign: code, suspects: [shared, { kind: 'person', name: `李四 ${tag}` }], title: `假冒白酒案二 ${tag}` });
  const ok = async (user: string, event: Record<string, unknown>) => {
    const res = await api.send(first.id, user as never, event);
    if (res.status !== 200) throw new Error(`${String(event.type)}: ${res.status} ${JSON.stringify(res.body)}`);
  };
  await ok('policeOfficer', { type: 'ACKNOWLEDGE' });
  await ok('policeOfficer', { type: 'RECORD_REVIEW', recommendation: 'file', opinion: '销售金额已达立案追诉标准' });
  await ok('lead', { type: 'ACCEPT', caseNumber: `GA-${tag}` });

  // The dashboard: totals, by region, the chart; then by field.
  await row.getByRole('link', { name: '统计看板' }).click();
  await page.waitForURL(new RegExp(`/campaigns/${code}$`));
  await page.getByRole('heading', { name: `昆仑2026 ${tag} · ${code}`, level: 1 }).waitFor();
  const totals = page.getByTestId('campaign-totals');
  await totals.waitFor();
  const text = (await totals.innerText()).replace(/\s+/g, ' ');
  expect(text).toMatch(/移送数 2 受理数 1 受理率 50% /);
  expect(text).toMatch(/超期次数 0 /);
  expect(text).toMatch(/关联当事人 1 链条 1$/);
  const region = page.getByRole('row').filter({ hasText: '330100' });
  expect((await region.innerText()).replace(/\s+/g, ' ')).toMatch(/^330100 2 1 50% /);
  await page.locator('[role=img][aria-label^="各组移送"] canvas').waitFor();
  expect(await page.locator('[role=img][aria-label^="各组移送"]').getAttribute('aria-label')).toMatch(
    /330100 移送数 2, 受理数 1/,
  );
  await expectAccessible(supervisor, 'campaign dashboard by region');
  await choose(page, '分组方式', '按领域');
  await page.waitForURL(/groupBy=domain$/);
  await page.getByRole('row').filter({ hasText: '食品' }).waitFor();

  // The CSV: the API's bytes for the grouping shown.
  const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: /下载 CSV/ }).click()]);
  expect(download.suggestedFilename()).toBe(`${code}-domain.csv`);
  const bytes = readFileSync((await download.path())!);
  expect([...bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
  const lines = bytes.subarray(3).toString('utf8').split('\r\n').filter(Boolean);
  expect(lines[0]).toMatch(/,recommendations,linkedParties,chains$/);
  expect(lines[1]).toMatch(/^food,2,1,0\.5,[\d.]+,0,0,0,0,1,1$/);
  expect(lines[2]).toMatch(/^total,2,1,0\.5,[\d.]+,0,0,0,0,1,1$/);
  expect(supervisor.problems).toEqual([]);
  await supervisor.close();

  // An agency officer reads the register, without the means to write it or the dashboard.
  const officer = await h.actor('officer');
  await officer.page.getByRole('link', { name: '专项行动' }).click();
  await officer.page.getByRole('row').filter({ hasText: code }).waitFor();
  expect(await officer.page.getByRole('button', { name: '登记专项行动' }).count()).toBe(0);
  expect(await officer.page.getByRole('link', { name: '统计看板' }).count()).toBe(0);
  await expectAccessible(officer, 'campaign register (officer)');
  expect(officer.problems).toEqual([]);
  await officer.close();
});
