// Supervision across workflows: the linkage figures (recommendations by outcome,
// reverse transfers answered on time, screening flags by field and agency), the
// stats and the export with a workflow filter, checked against what the test made.
import {
  issueRecommendation,
  mustSend,
  RECOMMENDATIONS,
  recordAdminCase,
  REVERSE_TRANSFERS,
  startReverseTransfer,
  useScenario,
} from './kit';

describe('supervision across workflows', () => {
  const s = useScenario();
  const range = 'from=2020-01-01&to=2100-01-01';

  beforeAll(async () => {
    // Three cases: two flagged (other: sales ≥ 50,000), one near (sales 45,000 ≥ 80 %).
    const flagged1 = await recordAdminCase(s);
    const flagged2 = await recordAdminCase(s);
    await recordAdminCase(s, { facts: { salesAmount: '45000.00' } });
    // A recommendation transferred, one explained and accepted.
    const r1 = await issueRecommendation(s, flagged1.id);
    await mustSend(s, RECOMMENDATIONS, r1.id, 'officer', { type: 'TRANSFER', targetAgencyId: s.w.agencies.hzPsb });
    const r2 = await issueRecommendation(s, flagged2.id);
    await mustSend(s, RECOMMENDATIONS, r2.id, 'officer', {
      type: 'EXPLAIN',
      explanation: 'Returned goods were counted as sales.',
    });
    await mustSend(s, RECOMMENDATIONS, r2.id, 'procurator', { type: 'ACCEPT_EXPLANATION', note: 'Accepted' });
    // A reverse transfer answered with a penalty, one still open.
    const t1 = await startReverseTransfer(s);
    await mustSend(s, REVERSE_TRANSFERS, t1.id, 'officer', { type: 'RECEIVE' });
    await mustSend(s, REVERSE_TRANSFERS, t1.id, 'officer', {
      type: 'DECIDE',
      decision: 'penalty-imposed',
      reasons: 'Fine',
      decisionNo: '杭市监罚〔2026〕95号',
      penaltyKinds: ['fine'],
      fineAmount: '30000.00',
    });
    await mustSend(s, REVERSE_TRANSFERS, t1.id, 'officer', { type: 'REPLY', note: 'Served' });
    await startReverseTransfer(s);
  });

  it('counts recommendations, reverse transfers and screening flags as made', async () => {
    const res = await s.as('procurator').get(`/api/v1/supervision/linkage?${range}`);
    expect(res.status).toBe(200);
    expect(res.body.recommendations).toEqual({ issued: 2, transferred: 1, explained: 1, withdrawn: 0, open: 0, overdue: 0 });
    expect(res.body.reverseTransfers).toEqual({
      transferred: 2,
      answered: 1,
      answeredOnTime: 1,
      onTimeRate: 1,
      penaltyImposed: 1,
      noPenalty: 0,
      overdue: 0,
    });
    expect(res.body.screeningByDomain).toEqual([{ key: 'other', cases: 3, flagged: 2, near: 1 }]);
    expect(res.body.screeningByAgency).toEqual([{ key: s.w.agencies.hzAmr, cases: 3, flagged: 2, near: 1 }]);
  });

  it('recounts match the figures from the database itself', async () => {
    const [row] = await s.t.db.query(
      `SELECT count(*) FILTER (WHERE workflow = 'transfer-recommendation')::int AS issued,
              count(*) FILTER (WHERE workflow = 'reverse-transfer' AND state = 'replied')::int AS answered
         FROM referrals`,
    );
    const res = await s.as('admin').get(`/api/v1/supervision/linkage?${range}`);
    expect([res.body.recommendations.issued, res.body.reverseTransfers.answered]).toEqual([row.issued, row.answered]);
  });

  it('shows nothing of another region', async () => {
    const res = await s.as('jsSupervisor').get(`/api/v1/supervision/linkage?${range}`);
    expect(res.body.recommendations.issued).toBe(0);
    expect(res.body.reverseTransfers.transferred).toBe(0);
    expect(res.body.screeningByDomain).toEqual([]);
  });

  it('stats group by workflow and filter one; the export names each row’s workflow', async () => {
    const byWorkflow = await s.as('procurator').get(`/api/v1/supervision/stats?${range}&groupBy=workflow`);
    const totals = Object.fromEntries(byWorkflow.body.groups.map((g: { key: string; total: number }) => [g.key, g.total]));
    expect(totals).toEqual({ referral: 1, 'reverse-transfer': 2, 'transfer-recommendation': 2 });
    const open = Object.fromEntries(byWorkflow.body.groups.map((g: { key: string; open: number }) => [g.key, g.open]));
    expect(open).toEqual({ referral: 1, 'reverse-transfer': 1, 'transfer-recommendation': 0 });

    const recs = await s.as('procurator').get(`/api/v1/supervision/stats?${range}&workflow=transfer-recommendation`);
    expect(recs.body.groups).toEqual([
      expect.objectContaining({ key: 'closed', total: 1 }),
      expect.objectContaining({ key: 'transferred', total: 1 }),
    ]);

    const csv = await s.as('procurator').get(`/api/v1/supervision/export.csv?${range}&workflow=reverse-transfer`);
    const lines = csv.text
      .replace(/^\uFEFF/, '')
      .trim()
      .split('\r\n');
    expect(lines[0].split(',').pop()).toBe('workflow');
    expect(lines.slice(1).map((l) => l.split(',').pop())).toEqual(['reverse-transfer', 'reverse-transfer']);

    const bad = await s.as('procurator').get(`/api/v1/supervision/stats?${range}&workflow=nonsense`);
    expect(bad.status).toBe(400);
  });
});
