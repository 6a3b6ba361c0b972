// Decline, reconsideration, procuratorial supervision, order to file — in the
// browser, each actor in a browser of their own: the police lead declines
// (reasons of at least 10 characters, a legal basis), the agency officer asks for
// reconsideration, the lead upholds the decline, the officer asks the
// procuratorate to supervise, the procurator orders filing, and the referral
// shows the police's filing-order deadline. The referral is submitted, acknowledged
// and reviewed through the API (the first journey does that in the browser).
import { actions } from '../support/world';
import { startHarness, type Harness } from './harness';
import { expectAccessible, openReferral, sendEvent } from './steps';

jest.setTimeout(120_000);

let h: Harness;
beforeAll(async () => {
  h = await startHarness();
}, 120_000);
afterAll(async () => {
  await h?.close();
});

test('lead declines; officer asks for reconsideration, the lead upholds; the procurator supervises and orders filing', async () => {
  const api = actions(h.t, h.world);
  const created = await api.submit({ title: '美容院使用含汞美白霜案', domain: 'cosmetics', amountInvolved: '36000.00' });
  const referenceNo = created.referenceNo as string;
  for (const [user, event] of [
    ['policeOfficer', { type: 'ACKNOWLEDGE' }],
    ['policeOfficer', { type: 'RECORD_REVIEW', recommendation: 'not-file', opinion: '销售金额未达五万元追诉标准' }],
  ] as const) {
    expect((await api.send(created.id, user, event)).status).toBe(200);
  }

  // Police lead: declines. Reasons under 10 characters are refused in the form.
  const lead = await h.actor('lead');
  await openReferral(lead, referenceNo);
  await sendEvent(lead.page, 'DECLINE', async () => {
    const dialog = lead.page.getByRole('dialog');
    await dialog.getByLabel('理由（至少 10 个字）').fill('金额不足');
    await dialog.getByLabel('法律依据').fill('《刑事诉讼法》第一百一十二条');
    await dialog.getByRole('button', { name: /提\s*交/ }).click();
    await dialog.getByText('至少 10 个字', { exact: true }).waitFor();
    await dialog.getByLabel('理由（至少 10 个字）').fill('现有证据不足以证明销售金额达到五万元的追诉标准');
  });
  await lead.page.locator('.ant-tag', { hasText: '不予立案' }).first().waitFor();
  await lead.page.getByRole('row', { name: /申请复议期/ }).waitFor();
  await expectAccessible(lead, 'referral page (declined, lead)');

  // Agency officer: asks for reconsideration.
  const officer = await h.actor('officer');
  await openReferral(officer, referenceNo);
  await officer.page.locator('button[data-event="REQUEST_SUPERVISION"]').waitFor(); // both ways are open now
  await sendEvent(officer.page, 'REQUEST_RECONSIDERATION', async () => {
    await officer.page.getByRole('dialog').getByLabel('请求理由').fill('补充检验报告显示汞含量超标 800 倍，足以危害人体健康。');
  });
  await officer.page.locator('.ant-tag', { hasText: '复议中' }).first().waitFor();
  await expectAccessible(officer, 'referral page (reconsideration, officer)');

  // Police lead: upholds the decline.
  await lead.page.reload();
  await sendEvent(lead.page, 'UPHOLD_DECLINE', async () => {
    await lead.page.getByRole('dialog').getByLabel('理由').fill('复议后认为仍不符合立案追诉标准，维持原决定。');
  });
  await lead.page.locator('.ant-tag', { hasText: '不予立案' }).first().waitFor();

  // Agency officer: reconsideration is spent; asks the procuratorate to supervise.
  await officer.page.reload();
  await officer.page.locator('button[data-event="REQUEST_SUPERVISION"]').waitFor();
  expect(await officer.page.locator('button[data-event="REQUEST_RECONSIDERATION"]').count()).toBe(0);
  await sendEvent(officer.page, 'REQUEST_SUPERVISION', async () => {
    await officer.page.getByRole('dialog').getByLabel('请求理由').fill('公安机关维持不立案决定，请求检察机关依法监督。');
  });
  await officer.page.locator('.ant-tag', { hasText: '立案监督' }).first().waitFor();

  // Procurator: the referral waits in their queue; orders filing.
  const procurator = await h.actor('procurator');
  await openReferral(procurator, referenceNo);
  await procurator.page.getByText('（待检察院审查）').waitFor();
  await expectAccessible(procurator, 'referral page (procuratorial supervision, procurator)');
  await sendEvent(procurator.page, 'ORDER_FILING', async () => {
    await procurator.page.getByRole('dialog').getByLabel('说明').fill('不立案理由不能成立，通知公安机关立案。');
  });
  await procurator.page.getByText('（已通知立案）').waitFor();
  // The filing-order deadline: the police's, 15 days, pending, with its countdown.
  const filing = procurator.page.getByRole('row', { name: /通知立案后立案/ });
  await filing.waitFor();
  await filing.getByText('进行中').waitFor();
  await filing.getByText(/剩余 1[45]天/).waitFor();
  await filing.getByText('Hangzhou Public Security Bureau').waitFor();
  const steps = await procurator.page.locator('.ant-timeline-item strong').allInnerTexts();
  expect(steps.map((s) => s.replace(/^\d+\. /, ''))).toEqual([
    '移送',
    '签收',
    '录入审查意见',
    '不予立案',
    '提请复议',
    '维持不立案决定',
    '提请立案监督',
    '通知立案',
  ]);
  await procurator.page.getByTestId('verify').filter({ hasText: '记录链校验通过（8 条）' }).waitFor();
  await expectAccessible(procurator, 'referral page (filing ordered)');

  // The lead now has to file: ACCEPT is what they can do.
  await lead.page.reload();
  await lead.page.locator('button[data-event="ACCEPT"]').waitFor();
  await lead.page.getByRole('row', { name: /通知立案后立案/ }).waitFor();

  for (const a of [lead, officer, procurator]) {
    expect(a.problems).toEqual([]);
    await a.close();
  }
});

test('the city bureau takes over a district unit’s referral (ELEVATE) in the console; the district unit reads on', async () => {
  const api = actions(h.t, h.world);
  const created = await api.submit({ title: '跨区销售假冒白酒网络案', targetAgencyId: h.world.agencies.hzPsbWest });
  expect((await api.send(created.id, 'westLead', { type: 'ACKNOWLEDGE' })).status).toBe(200);

  // The city bureau's lead stands above the Xihu unit: it is offered the takeover and designation.
  const lead = await h.actor('lead');
  await lead.page.goto(`/referrals/${created.id}`);
  await lead.page.locator('.caselink-statechart svg').waitFor();
  await lead.page.locator('button[data-event="DESIGNATE"]').waitFor();
  expect(await lead.page.locator('button[data-event="RECORD_REVIEW"]').count()).toBe(0);
  await sendEvent(lead.page, 'ELEVATE', async () => {
    await lead.page.getByRole('dialog').getByLabel('理由').fill('涉案网络横跨三个城区，由市局提级侦办');
  });
  // The city bureau is the receiving unit now and records the review; the state is unchanged.
  await lead.page.getByText('Hangzhou Xihu Police').first().waitFor(); // 原承办公安机关
  await lead.page.locator('button[data-event="RECORD_REVIEW"]').waitFor();
  await lead.page.locator('.ant-tag', { hasText: '审查中' }).first().waitFor();
  await expectAccessible(lead, 'referral page (elevated, city lead)');

  // The Xihu unit still reads it, with the takeover in its timeline, and acts no more.
  const west = await h.actor('westLead');
  await west.page.goto(`/referrals/${created.id}`);
  await west.page.locator('.caselink-statechart svg').waitFor();
  await west.page.locator('.ant-timeline-item strong', { hasText: '提级侦办' }).waitFor();
  expect(await west.page.locator('button[data-event="RECORD_REVIEW"]').count()).toBe(0);

  for (const a of [lead, west]) {
    expect(a.problems).toEqual([]);
    await a.close();
  }
});
