// Case groups (并案, issue 11 §2) in a real browser: a police lead forms a group from a
// referral's linked cases, ticking the ones to group; the group page shows the members'
// states and deadlines in one table; an agency officer sees the member it did not
// submit only as a row with its holding unit. axe on every page visited; any console
// error or failed request fails the test.
import { randomUUID } from 'node:crypto';
import { creditCodeCheck } from '../../workflows/parties/party-identity';
import { actions } from '../support/world';
import { startHarness, type Harness } from './harness';
import { expectAccessible, openReferral } from './steps';

jest.setTimeout(180_000);

let h: Harness;
beforeAll(async () => {
  h = await startHarness();
}, 120_000);
afterAll(async () => {
  await h?.close();
});

test('a police lead forms a group from the linked cases; the group shows states and deadlines, each caller its own scope', async () => {
  // a party of its own per attempt (the suite retries once)
  const tag = randomUUID()
    .replace(/[^0-9a-f]/g, '')
    .slice(0, 5)
    .toUpperCase();
  const prefix = `91330100MA2C${tag}`.slice(0, 17);
  const party = { kind: 'organization', name: `并案测试商贸有限公司 ${tag}`, idNumber: prefix + creditCodeCheck(prefix) };
  const api = actions(h.t, h.world);
  const a = await api.submit({ suspects: [party], title: `并案甲 ${tag}` });
  const b = await api.submit({ suspects: [party], title: `并案乙 ${tag}` });
  const c = await api.submit({ suspects: [party], title: `并案丙 ${tag}` }, 'nbOfficer');
  const [aNo, bNo, cNo] = [a, b, c].map((r) => String(r.referenceNo));

  // Police lead: the referral page offers the linked referrals it may see.
  const lead = await h.actor('lead');
  const { page } = lead;
  await openReferral(lead, aNo);
  await page.locator('button[data-action="form-case-group"]').click();
  const dialog = page.getByRole('dialog');
  await dialog.waitFor();
  await dialog.getByLabel('并案名称').fill(`并案 ${tag}`);
  await dialog.getByLabel(new RegExp(bNo)).check();
  await dialog.getByLabel(new RegExp(cNo)).check();
  await dialog.getByLabel('理由').fill('同一供货商');
  await expectAccessible(lead, 'form a case group');
  await dialog.getByRole('button', { name: /提\s*交/ }).click();
  await page.waitForURL(/\/case-groups\/[0-9a-f-]{36}$/);
  await page.getByRole('heading', { name: `并案 ${tag}` }).waitFor();
  const members = page.getByTestId('case-group-members');
  for (const no of [aNo, bNo, cNo]) {
    const row = members.getByRole('row').filter({ hasText: no });
    await row.getByText('已移送').waitFor();
    await row.getByRole('timer').first().waitFor(); // each member's live deadline, counting down
  }
  await expectAccessible(lead, 'case group (lead)');
  expect(lead.problems).toEqual([]);

  // Agency officer: the group from the menu; the member from Ningbo is a row with its holder only.
  const officer = await h.actor('officer');
  const op = officer.page;
  await op.getByRole('link', { name: '并案侦办' }).click();
  await op.getByRole('heading', { name: '并案侦办' }).waitFor();
  await expectAccessible(officer, 'case groups (officer)');
  await op.getByRole('link', { name: `并案 ${tag}` }).click();
  await op.getByRole('heading', { name: `并案 ${tag}` }).waitFor();
  const seen = op.getByTestId('case-group-members');
  await seen.getByRole('link', { name: aNo }).waitFor();
  await seen.getByRole('link', { name: bNo }).waitFor();
  await seen
    .getByRole('row')
    .filter({ hasText: '范围外案件' })
    .getByText(/Hangzhou Public Security Bureau（330100）/)
    .waitFor();
  expect(await op.getByText(cNo).count()).toBe(0);
  await expectAccessible(officer, 'case group (officer)');
  // The referral page names the group.
  await op.getByRole('link', { name: aNo }).click();
  await op.waitForURL(/\/referrals\/[0-9a-f-]{36}$/);
  await op.getByRole('link', { name: `并案 ${tag}` }).waitFor();
  expect(officer.problems).toEqual([]);

  for (const x of [lead, officer]) await x.close();
});
