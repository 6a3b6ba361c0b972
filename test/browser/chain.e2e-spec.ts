// The chain and joint listed supervision of issue 11 in a real browser. A Hangzhou
// referral shares a checked credit code with a Ningbo referral (outside the
// Hangzhou procurator's scope) and a name-only party with a Hangzhou administrative
// case. (a) The procurator sees the chain on the referral page: the Ningbo case
// drawn and listed as out of scope with its holding unit and region and nothing of
// its facts, neither in the table nor in the chart's option; the chain view of the
// party at depths 1–3; the province supervisor sees the Ningbo case in full.
// (b) The procurator lists the referral with a reporting period through the console,
// sees the listing and its next report due, finds it in the listed-cases view, and
// the police's progress report appears in the reporting record.
import { randomUUID } from 'node:crypto';
import type { Page } from 'playwright-core';
import { creditCodeCheck } from '../../workflows/parties/party-identity';
import { actions, referralBody } from '../support/world';
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

interface GraphNode {
  id: string;
  name: string;
  category: number;
  itemStyle?: { borderType?: string };
}
interface DrawnChain {
  categories: { name: string }[];
  data: GraphNode[];
  links: { source: string; target: string; lineStyle: { type: string } }[];
}

/** The graph series as ECharts holds it (the chart's element exposes its option). */
function drawnChain(page: Page): Promise<DrawnChain> {
  return page
    .getByTestId('chain-graph')
    .locator('[role=img]')
    .evaluate((el) => {
      const series = (el as unknown as { chartOption: { series: DrawnChain[] } }).chartOption.series[0];
      return JSON.parse(JSON.stringify({ categories: series.categories, data: series.data, links: series.links }));
    });
}

/** The table fallback: one row per node, its cells as text. */
async function chainRows(page: Page): Promise<string[][]> {
  const rows = page.getByTestId('chain-table').locator('tbody tr.ant-table-row');
  await rows.first().waitFor();
  return Promise.all((await rows.all()).map((r) => r.locator('td').allInnerTexts()));
}

async function created(res: { status: number; body: any }, what: string) {
  if (res.status !== 201) throw new Error(`${what}: ${res.status} ${JSON.stringify(res.body)}`);
  return res.body as { id: string; referenceNo: string; caseNo: string };
}

test('the chain across two regions: out-of-scope case shown as its existence only; chain view; a listing with its due report', async () => {
  // fresh parties per attempt (the suite retries once): a checked credit code, and a name with no code
  const tag = randomUUID().replace(/-/g, '').slice(0, 7).toUpperCase();
  const prefix = `91330100MA${tag}`;
  const coded = { kind: 'organization', name: `链条贸易有限公司 ${tag}`, idNumber: prefix + creditCodeCheck(prefix) };
  const named = { kind: 'organization', name: `同名商行 ${tag}` };
  const post = (user: 'officer' | 'nbOfficer', path: string, body: object) =>
    h.t.http().post(path).set('Authorization', `Bearer ${h.world.tokens[user]}`).send(body);

  const hz = await created(
    await post(
      'officer',
      '/api/v1/referrals',
      referralBody(h.world.agencies.hzPsb, { title: `杭州假酒案 ${tag}`, suspects: [coded, named] }),
    ),
    'hz referral',
  );
  const nbTitle = `宁波仓库秘密案情 ${tag}`;
  const nb = await created(
    await post('nbOfficer', '/api/v1/referrals', referralBody(h.world.agencies.nbPsb, { title: nbTitle, suspects: [coded] })),
    'nb referral',
  );
  const adminCase = await created(
    await post('officer', '/api/v1/admin-cases', {
      caseNo: `杭市监处罚〔2026〕${tag}号`,
      domain: 'food',
      title: `同名商行销售过期食品案 ${tag}`,
      summary: '销售过期食品，货值金额较小。',
      parties: [named],
      facts: { salesAmount: '1200.00' },
      penalty: { decisionNo: `杭市监处罚〔2026〕${tag}号`, decidedAt: '2026-03-01', kinds: ['warning'] },
    }),
    'admin case',
  );

  // (a) The procurator of Hangzhou: the chain on the referral page.
  const procurator = await h.actor('procurator');
  const { page } = procurator;
  await openReferral(procurator, hz.referenceNo);
  await page.getByRole('heading', { name: '当事人关联图谱' }).waitFor();
  const rows = await chainRows(page);
  const byName = new Map(rows.map((cells) => [cells[1], cells]));
  expect([...byName.keys()].sort()).toEqual(
    [coded.name, named.name, hz.referenceNo, adminCase.caseNo, 'Ningbo Public Security Bureau（330200）'].sort(),
  );
  const hidden = byName.get('Ningbo Public Security Bureau（330200）')!;
  expect(hidden[0]).toBe('范围外的移送案件');
  expect(hidden[2]).toMatch(/^9133\*+[0-9A-Z]{2}$/); // the shared party's masked identifier
  expect(hidden[3]).toBe('330200');
  expect(hidden[4]).toBe('—'); // no state
  expect(hidden[5]).toBe('Ningbo Public Security Bureau');
  expect(hidden[6]).toBe(`${coded.name}（确认关联）`);
  expect(byName.get(adminCase.caseNo)![6]).toBe(`${named.name}（可能关联）`);
  expect(byName.get(coded.name)![2]).toMatch(/^9133\*+/); // masked on the chain too
  const table = await page.getByTestId('chain-table').innerText();
  for (const secret of [nb.referenceNo, nb.id, nbTitle]) expect(table).not.toContain(secret);
  // the out-of-scope case is not a link; the in-scope ones are
  const hiddenRow = page.getByTestId('chain-table').locator('tr.caselink-out-of-scope');
  await hiddenRow.waitFor();
  expect(await hiddenRow.getByRole('link').count()).toBe(0);
  await page.getByTestId('chain-table').getByRole('link', { name: adminCase.caseNo }).waitFor();

  // The chart draws the same nodes: the hidden one grey and dashed, edges confirmed vs possible, nothing private.
  const drawn = await drawnChain(page);
  expect(drawn.data.map((n) => n.name).sort()).toEqual([...byName.keys()].sort());
  const hiddenNode = drawn.data.find((n) => n.name === 'Ningbo Public Security Bureau（330200）')!;
  expect(drawn.categories[hiddenNode.category].name).toBe('查看范围外的案件');
  expect(hiddenNode.itemStyle?.borderType).toBe('dashed');
  expect(hiddenNode.id).toMatch(/^hidden-\d+$/);
  const edgeTo = (id: string) => drawn.links.find((l) => l.target === id)!.lineStyle.type;
  expect(edgeTo(hiddenNode.id)).toBe('solid');
  expect(edgeTo(`admin-case:${adminCase.id}`)).toBe('dashed');
  expect(drawn.categories.map((c) => c.name)).toEqual(['当事人', '查看范围外的案件', '地区 330100']);
  const option = JSON.stringify(drawn);
  for (const secret of [nb.referenceNo, nb.id, nbTitle]) expect(option).not.toContain(secret);
  await expectAccessible(procurator, 'referral page with its chain (procurator)');

  // The chain view of the coded party, at each depth; the in-scope case opens from it.
  await page.getByTestId('chain-table').getByRole('link', { name: coded.name }).click();
  await page.waitForURL(/\/parties\/[0-9a-f-]{36}\/chain$/);
  await page.getByRole('heading', { name: `${coded.name} 的关联图谱` }).waitFor();
  const atDepthTwo = (await chainRows(page)).map((c) => c[1]);
  expect(atDepthTwo).toEqual(expect.arrayContaining([coded.name, hz.referenceNo, 'Ningbo Public Security Bureau（330200）']));
  expect(JSON.stringify(await drawnChain(page))).not.toContain(nb.referenceNo);
  await expectAccessible(procurator, 'chain view (procurator)');
  await page.locator('label', { hasText: '3 层' }).click(); // button-style radios hide their input
  await page.waitForURL(/depth=3$/);
  // three steps reach the administrative case through the name-only party
  await page.getByTestId('chain-table').getByRole('link', { name: adminCase.caseNo }).waitFor();
  expect(await page.getByTestId('chain-table').innerText()).not.toContain(nbTitle);
  await page.locator('label', { hasText: '1 层' }).click();
  await page.waitForURL(/depth=1$/);
  await page.getByTestId('chain-table').getByRole('link', { name: adminCase.caseNo }).waitFor({ state: 'detached' });
  await page.getByTestId('chain-table').getByRole('link', { name: hz.referenceNo }).click();
  await page.waitForURL(new RegExp(`/referrals/${hz.id}$`));
  expect(procurator.problems).toEqual([]);

  // The province supervisor covers Ningbo too: the same chain shows that referral in full.
  const supervisor = await h.actor('supervisor');
  await supervisor.page.goto(`/referrals/${hz.id}`);
  await supervisor.page.getByTestId('chain-table').getByRole('link', { name: nb.referenceNo }).waitFor();
  expect(await supervisor.page.getByTestId('chain-table').innerText()).toContain(nbTitle);
  expect((await drawnChain(supervisor.page)).categories.map((c) => c.name)).toEqual(
    expect.arrayContaining(['地区 330100', '地区 330200']),
  );
  expect(supervisor.problems).toEqual([]);
  await supervisor.close();

  // (b) The procurator lists the referral for supervision with a reporting period of 15 days.
  await page.locator('.caselink-statechart svg').waitFor();
  await sendEvent(page, 'LIST_FOR_SUPERVISION', async () => {
    const dialog = page.getByRole('dialog');
    await dialog.getByTestId('listing-bodies').filter({ hasText: 'Hangzhou Procuratorate' }).waitFor();
    await dialog.getByText('本单位将作为挂牌督办机关').waitFor();
    await dialog.getByRole('radio', { name: '市级' }).check();
    await dialog.getByLabel('进展报告间隔（天）').fill('91');
    await dialog.getByRole('button', { name: /提\s*交/ }).click();
    await dialog.getByText('请输入 1–90 之间的整数').waitFor(); // refused in the form, nothing sent
    await dialog.getByLabel('进展报告间隔（天）').fill('15');
    await dialog.getByLabel('说明').fill('跨市销售假冒白酒，挂牌督办，每 15 日报告进展。');
    await expectAccessible(procurator, 'listing form');
  });
  const listing = page.getByTestId('listing');
  await listing.waitFor();
  for (const text of ['市级', 'Hangzhou Procuratorate', '每 15 天']) await listing.getByText(text).waitFor();
  await listing.getByText(/剩余 1[45]天/).waitFor(); // the next report, with its countdown
  await page
    .getByRole('row', { name: /督办进展报告/ })
    .getByText('进行中')
    .waitFor();
  await expectAccessible(procurator, 'referral page (listed)');

  // The listed-cases view: found at its level, with its period and due report; not at another level.
  await page.getByRole('link', { name: '挂牌督办案件' }).click();
  await page.getByRole('heading', { name: '挂牌督办案件' }).waitFor();
  const listed = page.getByRole('row').filter({ hasText: hz.referenceNo });
  await listed.getByText('每 15 天').waitFor();
  const cells = await listed.locator('td').allInnerTexts();
  expect(cells.slice(3, 8)).toEqual(['市级', 'Hangzhou Procuratorate', '每 15 天', '0', '—']);
  expect(cells[8]).toMatch(/\d{4}/); // the next report's due date
  await expectAccessible(procurator, 'listed cases');
  await choose(page, page.getByRole('combobox', { name: '挂牌级别' }), '省级');
  await page.waitForURL(/level=province/);
  await page.getByText('本辖区没有挂牌督办的案件').waitFor();
  expect(procurator.problems).toEqual([]);

  // The police lead reports progress; the procurator sees it in the reporting record.
  const lead = await h.actor('lead');
  await openReferral(lead, hz.referenceNo);
  await sendEvent(lead.page, 'REPORT_SUPERVISION_PROGRESS', async () => {
    await lead.page.getByRole('dialog').getByLabel('说明').fill('已完成仓库清点，正在追查上游供货商。');
  });
  expect(lead.problems).toEqual([]);
  await lead.close();
  await openReferral(procurator, hz.referenceNo);
  const record = page.getByTestId('listing').getByRole('row', { name: /已完成仓库清点/ });
  await record.getByText('Hangzhou Public Security Bureau').waitFor();
  await page
    .getByTestId('listing')
    .getByText(/剩余 1[45]天/)
    .waitFor(); // the next period, counted from the report
  expect(procurator.problems).toEqual([]);
  await procurator.close();

  // the test's own actions left nothing for others: the API agrees on the listing
  const api = actions(h.t, h.world);
  const view = (await api.get(hz.id, 'procurator')).body as { listing: { reports: number; reportEveryDays: number } };
  expect(view.listing).toMatchObject({ reports: 1, reportEveryDays: 15 });
});
