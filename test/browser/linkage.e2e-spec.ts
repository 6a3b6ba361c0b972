// The linkage journeys of issue 10 in a real browser: (a) an agency officer imports
// administrative cases from CSV, the procurator finds the flagged one on the
// screening list with its reason and issues a recommendation, the agency transfers
// it to the police, and the police see the referral came on a recommendation;
// (b) a police lead transfers a declined referral back for a penalty, the agency
// receives it, decides a penalty and replies, and the police see the decision.
// axe on every page visited; any console error or failed request fails the test.
import { randomUUID } from 'node:crypto';
import { actions } from '../support/world';
import { choose, startHarness, type Harness } from './harness';
import { expectAccessible, openReferral, sendEvent } from './steps';

jest.setTimeout(180_000);

let h: Harness;
beforeAll(async () => {
  h = await startHarness();
}, 120_000);
afterAll(async () => {
  await h?.close();
});

test('imported case flagged → screening list → recommendation → transferred to the police, who see where it came from', async () => {
  // a fresh case number per attempt (the suite retries once)
  const tag = randomUUID().slice(0, 6);
  const flaggedNo = `杭市监处罚〔2026〕88-${tag}号`;
  const csv = [
    'caseNo,domain,title,summary,partyKind,partyName,partyIdNumber,salesAmount,decisionNo,decidedAt,penaltyKinds,fineAmount',
    `${flaggedNo},other,销售不合格电暖器案 ${tag},"萧山某市场销售不合格电暖器, 销售金额 18.2 万元",organization,杭州某电器有限公司,91330100MA2B3C4D1A,182000,${flaggedNo},2026-03-01,fine,20000`,
    `杭市监处罚〔2026〕89-${tag}号,food,过期食品案 ${tag},小额销售过期食品,person,王五,,1200,杭市监处罚〔2026〕89号,2026-02-30,warning,`,
  ].join('\n');

  // Agency officer: the register, the import with its report.
  const officer = await h.actor('officer');
  const { page } = officer;
  await page.getByRole('link', { name: '案件台账' }).click();
  await page.getByRole('heading', { name: '行政处罚案件台账' }).waitFor();
  await expectAccessible(officer, 'case register (officer)');
  await page.getByRole('button', { name: /导\s*入$/ }).click();
  const dialog = page.getByRole('dialog');
  await dialog.waitFor();
  await dialog.locator('input[type=file]').setInputFiles({ name: 'cases.csv', mimeType: 'text/csv', buffer: Buffer.from(csv) });
  await dialog.getByTestId('import-file').filter({ hasText: 'cases.csv' }).waitFor();
  await dialog.getByRole('button', { name: /^导\s*入$/ }).click();
  const report = dialog.getByTestId('import-report');
  await report.waitFor();
  expect(await report.locator('.ant-descriptions').innerText()).toMatch(/接收\s*1\s*新增\s*1\s*更新\s*0\s*未变\s*0/);
  await report.getByText('未导入 1 行').waitFor();
  await report.getByRole('row', { name: /^3 penalty\.decidedAt/ }).waitFor();
  await expectAccessible(officer, 'import report');
  await dialog.getByRole('button', { name: /^取\s*消$/ }).click();
  await dialog.waitFor({ state: 'hidden' });
  await page.getByRole('link', { name: flaggedNo }).waitFor();
  expect(officer.problems).toEqual([]);

  // Procurator: the screening list, most serious first, with the reason; the case; the recommendation.
  const procurator = await h.actor('procurator');
  const pp = procurator.page;
  await pp.getByRole('link', { name: '线索筛查' }).click();
  await pp.getByRole('heading', { name: '线索筛查' }).waitFor();
  const row = pp.getByRole('row').filter({ hasText: flaggedNo });
  await row.getByText('达到追诉标准').waitFor();
  await row.getByText(/sales 182,000 ≥ 50,000, Criminal Law art\. 140/).waitFor();
  await expectAccessible(procurator, 'screening list');
  await row.getByRole('link', { name: flaggedNo }).click();
  await pp.getByRole('heading', { name: `销售不合格电暖器案 ${tag}` }).waitFor();
  await pp
    .getByTestId('screening-reasons')
    .getByText(/Criminal Law art\. 140/)
    .waitFor();
  await expectAccessible(procurator, 'administrative case (procurator)');
  await pp.locator('button[data-action="issue-recommendation"]').click();
  const issue = pp.getByRole('dialog');
  await issue
    .getByLabel('建议移送的理由（至少 10 个字）')
    .fill('销售金额 18.2 万元，已达刑法第一百四十条立案追诉标准，应当移送公安机关。');
  await issue.getByRole('button', { name: /提\s*交/ }).click();
  await pp.waitForURL(/\/recommendations\/[0-9a-f-]{36}$/);
  await pp.locator('.caselink-statechart svg').waitFor();
  await pp.locator('.ant-tag', { hasText: '已发出' }).first().waitFor();
  await pp.getByRole('cell', { name: /sales 182,000 ≥ 50,000/ }).waitFor();
  await pp
    .getByRole('row', { name: /答复检察建议.*进行中/ })
    .getByRole('timer')
    .waitFor(); // the 3-day answer, with its countdown
  const recommendationNo = (await pp.locator('.ant-descriptions-item-content').first().innerText()).trim();
  expect(recommendationNo).toMatch(/^JY-330100-\d{4}-\d+$/);
  await expectAccessible(procurator, 'recommendation (procurator, issued)');
  expect(procurator.problems).toEqual([]);

  // Agency officer: the incoming recommendation; transfer to the police unit.
  await page.getByRole('link', { name: '建议移送' }).click();
  await page.getByRole('heading', { name: '建议移送（检察意见）' }).waitFor();
  await expectAccessible(officer, 'recommendations (officer)');
  await page.getByRole('link', { name: recommendationNo }).click();
  await page.locator('.caselink-statechart svg').waitFor();
  await sendEvent(page, 'TRANSFER', async () => {
    const form = page.getByRole('dialog');
    await choose(page, form.getByLabel('移送公安机关'), 'Hangzhou Public Security Bureau', { search: true });
    await form.getByLabel('涉嫌罪名').fill('销售伪劣产品罪');
    await expectAccessible(officer, 'transfer form');
  });
  await page.locator('.ant-tag', { hasText: '已移送' }).first().waitFor();
  await page.getByRole('link', { name: '查看移送案件' }).click();
  await page.waitForURL(/\/referrals\/[0-9a-f-]{36}$/);
  await page.locator('.caselink-statechart svg').waitFor();
  // the referral page replaces the recommendation's once its chunk is in: its number, not the recommendation's
  const first = page.locator('.ant-descriptions-item-content').first();
  await first.filter({ hasText: /^330100-\d{4}-\d+$/ }).waitFor();
  const referenceNo = (await first.innerText()).trim();
  // the agency sees the recommendation it answered, and the penalty it had imposed
  await page
    .getByRole('row', { name: /依据的检察建议/ })
    .getByRole('link', { name: recommendationNo })
    .waitFor();
  await page.getByRole('cell', { name: flaggedNo }).first().waitFor();
  await expectAccessible(officer, 'referral on a recommendation (officer)');
  expect(officer.problems).toEqual([]);

  // Police officer: the referral waits in the queue; it came on a recommendation they may not open.
  const police = await h.actor('policeOfficer');
  await police.page.getByRole('link', { name: referenceNo }).waitFor();
  await openReferral(police, referenceNo);
  const origin = police.page.getByRole('row', { name: /依据的检察建议/ });
  await origin.getByText(recommendationNo).waitFor();
  await origin.getByText('不在本单位查看范围内').waitFor();
  expect(await origin.getByRole('link').count()).toBe(0);
  await police.page.getByRole('heading', { name: '已作出的行政处罚' }).waitFor();
  await expectAccessible(police, 'referral on a recommendation (police)');
  expect(police.problems).toEqual([]);

  for (const a of [officer, procurator, police]) await a.close();
});

test('a declined referral goes back for a penalty: received, penalty decided and replied; the police see the decision', async () => {
  const api = actions(h.t, h.world);
  const ok = async (id: string, user: string, event: Record<string, unknown>) => {
    const res = await api.send(id, user as never, event);
    if (res.status !== 200) throw new Error(`${String(event.type)}: ${res.status} ${JSON.stringify(res.body)}`);
  };
  const title = `仓库查获少量假冒白酒案 ${randomUUID().slice(0, 6)}`;
  const r = await api.submit({ title });
  await ok(r.id, 'policeOfficer', { type: 'ACKNOWLEDGE' });
  await ok(r.id, 'policeOfficer', { type: 'RECORD_REVIEW', recommendation: 'not-file', opinion: '涉案金额未达追诉标准' });
  await ok(r.id, 'lead', {
    type: 'DECLINE',
    reasons: '涉案金额未达立案追诉标准，不予立案',
    legalBasis: '《刑事诉讼法》第一百一十二条',
  });
  await ok(r.id, 'officer', { type: 'ACCEPT_DECISION' });

  // Police lead: the closed referral offers the transfer back.
  const lead = await h.actor('lead');
  const { page } = lead;
  await page.goto(`/referrals/${r.id}`);
  await page.locator('.caselink-statechart svg').waitFor();
  await page.locator('button[data-action="transfer-back"]').click();
  const form = page.getByRole('dialog');
  await form.waitFor();
  expect(await form.getByRole('radio', { name: '公安机关决定不予立案' }).isChecked()).toBe(true);
  await form.getByLabel('移送理由').fill('不构成犯罪，但销售假冒注册商标商品应予行政处罚。');
  await form.getByLabel('刑事决定文书号').fill('杭公(经)不立字〔2026〕12号');
  await expectAccessible(lead, 'transfer-back form');
  await form.getByRole('button', { name: /提\s*交/ }).click();
  await page.waitForURL(/\/reverse-transfers\/[0-9a-f-]{36}$/);
  await page.locator('.caselink-statechart svg').waitFor();
  await page.locator('.ant-tag', { hasText: '已反向移送' }).first().waitFor();
  await page
    .getByRole('row', { name: /签收反向移送.*进行中/ })
    .getByRole('timer')
    .waitFor();
  const fx = (await page.locator('.ant-descriptions-item-content').first().innerText()).trim();
  expect(fx).toMatch(/^FX-330100-\d{4}-\d+$/);
  await page
    .getByRole('row', { name: /来源移送案件/ })
    .getByRole('link')
    .waitFor();
  await expectAccessible(lead, 'reverse transfer (lead, transferred)');
  expect(lead.problems).toEqual([]);

  // Agency officer: the list, receive, decide a penalty, reply.
  const officer = await h.actor('officer');
  const op = officer.page;
  await op.getByRole('link', { name: '反向衔接' }).click();
  await op.getByRole('heading', { name: '反向衔接' }).waitFor();
  await expectAccessible(officer, 'reverse transfers (officer)');
  await op.getByRole('link', { name: fx }).click();
  await op.locator('.caselink-statechart svg').waitFor();
  await sendEvent(op, 'RECEIVE');
  await op.locator('.ant-tag', { hasText: '已签收' }).first().waitFor();
  await sendEvent(op, 'DECIDE', async () => {
    const d = op.getByRole('dialog');
    await d.getByRole('radio', { name: '给予行政处罚' }).check();
    await d.getByLabel('决定理由').fill('销售假冒注册商标的白酒，依法罚款并没收违法所得。');
    await d.getByLabel('行政处罚决定书文号').fill('杭市监罚〔2026〕95号');
    await d.getByLabel('处罚种类').click();
    for (const kind of ['罚款', '没收违法所得、非法财物'])
      await op.locator('.ant-select-dropdown:visible .ant-select-item-option', { hasText: kind }).click();
    await op.keyboard.press('Escape');
    await d.getByLabel('罚款金额（元）').fill('30000.00');
    await expectAccessible(officer, 'decide form');
  });
  await op.locator('.ant-tag', { hasText: '已作出决定' }).first().waitFor();
  await sendEvent(op, 'REPLY', async () => {
    await op.getByRole('dialog').getByLabel('回复内容').fill('已作出行政处罚决定，决定书附后。');
  });
  await op.locator('.ant-tag', { hasText: '已回复' }).first().waitFor();
  await expectAccessible(officer, 'reverse transfer (officer, replied)');
  expect(officer.problems).toEqual([]);

  // The police lead sees the decision; the referral lists the reverse transfer that followed.
  await page.reload();
  await page.locator('.ant-tag', { hasText: '已回复' }).first().waitFor();
  await page.getByRole('cell', { name: '杭市监罚〔2026〕95号', exact: true }).waitFor();
  await page.getByRole('cell', { name: '¥30000.00', exact: true }).waitFor();
  await page.getByRole('cell', { name: '罚款、没收违法所得、非法财物', exact: true }).waitFor();
  await page
    .locator('.ant-descriptions-item-content', { hasText: /^给予行政处罚$/ })
    .first()
    .waitFor();
  await page.getByTestId('verify').filter({ hasText: '记录链校验通过（4 条）' }).waitFor();
  await expectAccessible(lead, 'reverse transfer (lead, replied)');
  await page.goto(`/referrals/${r.id}`);
  await page
    .getByRole('row', { name: /后续反向移送/ })
    .getByRole('link', { name: fx })
    .waitFor();
  expect(lead.problems).toEqual([]);

  for (const a of [lead, officer]) await a.close();
});
