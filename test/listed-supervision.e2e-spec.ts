// Joint listed supervision (联合挂牌督办) over HTTP with the test clock: a listing with a
// level and a reporting period, the police's progress reports and the supervision-report
// deadline they meet and restart, an unreported period breaching into the supervision
// view filtered to listed cases, a second overseer joining, DELIST by a listing body only,
// and scope.
import type { DeadlineView as Deadline } from '../src/deadlines/deadline.views';
import { expectProblem, expectValidationFailed, until, useScenario, type ReferralBody } from './kit';

type Listed = ReferralBody & {
  flags: string[];
  listing: { level: string; bodies: string[]; reportEveryDays: number | null; reports: number } | null;
  deadlines: Deadline[];
};
type OverdueItem = { referral: { id: string }; deadline: { kind: string; status: string } };

const reports = (r: Listed) => r.deadlines.filter((d) => d.kind === 'supervision-report');

describe('joint listed supervision', () => {
  const s = useScenario({ CLOCK_MODE: 'controllable' });

  const overdue = async (user: 'procurator' | 'supervisor' | 'nbProcurator', query: string): Promise<OverdueItem[]> => {
    const res = await s.as(user).get(`/api/v1/supervision/overdue?limit=100&${query}`);
    expect(res.status).toBe(200);
    return res.body.items;
  };
  const inbox = async (user: 'procurator' | 'supervisor' | 'lead', type: string, referralId: string) =>
    until(
      async () => (await s.as(user).get('/api/v1/notifications?limit=100')).body.items as { type: string; referralId: string }[],
      (items) => items.some((n) => n.type === type && n.referralId === referralId),
    );

  it('lists with a level and a reporting period; reports meet and restart it; an unreported period breaches; a second body joins; a body delists', async () => {
    const { agencies } = s.w;
    const r = await s.referral({ title: 'Counterfeit liquor across three provinces' }).acknowledged();
    const unlisted = await s.referral({ title: 'An ordinary referral' }).acknowledged();

    // the payload is validated: level from the enum, reportEveryDays an integer 1–90
    for (const bad of [
      { level: 'county' },
      { reportEveryDays: 0 },
      { reportEveryDays: 91 },
      { reportEveryDays: 1.5 },
      { reportEveryDays: '10' },
    ]) {
      expectValidationFailed(await s.send(r.id, 'procurator', { type: 'LIST_FOR_SUPERVISION', note: 'major case', ...bad }));
    }

    const listed = (await s.must(r.id, 'procurator', {
      type: 'LIST_FOR_SUPERVISION',
      note: 'Major cross-province case',
      level: 'province',
      reportEveryDays: 10,
    })) as Listed;
    expect(listed.flags).toContain('listed-supervision');
    expect(listed.listing).toEqual({ level: 'province', bodies: [agencies.hzPro], reportEveryDays: 10, reports: 0 });
    const [first] = reports(listed);
    expect(first).toMatchObject({ status: 'pending', responsibleAgencyId: agencies.hzPsb });
    expect(first.legalBasis).toMatch(/listed supervision/i);
    expect(new Date(first.dueAt).getTime()).toBeGreaterThan((await s.clock.now()).getTime() + 9 * 86_400_000);
    await inbox('lead', 'listed-for-supervision', r.id);

    // the same body again: 409; a police officer may not list: 403
    expectProblem(
      await s.send(r.id, 'procurator', { type: 'LIST_FOR_SUPERVISION', note: 'again' }),
      409,
      'TRANSITION_NOT_ALLOWED',
    );
    expectProblem(await s.send(r.id, 'lead', { type: 'LIST_FOR_SUPERVISION', note: 'x' }), 403, 'FORBIDDEN');

    // the police report: the period is met and the next one runs from the report
    expectProblem(await s.send(r.id, 'officer', { type: 'REPORT_SUPERVISION_PROGRESS', note: 'x' }), 403, 'FORBIDDEN');
    expectProblem(
      await s.send(unlisted.id, 'policeOfficer', { type: 'REPORT_SUPERVISION_PROGRESS', note: 'x' }),
      409,
      'TRANSITION_NOT_ALLOWED',
    );
    await s.clock.advance({ days: 2 });
    const reported = (await s.must(r.id, 'policeOfficer', {
      type: 'REPORT_SUPERVISION_PROGRESS',
      note: 'Two suppliers questioned, the warehouse sealed',
    })) as Listed;
    expect(reported.listing!.reports).toBe(1);
    const afterReport = reports(reported);
    expect(afterReport.find((d) => d.id === first.id)!.status).toBe('met');
    const next = afterReport.find((d) => d.status === 'pending')!;
    // Counted from the report: 10 days from it at least. (Not simply later than the first
    // due time: both may run on to the same Monday when the 10th day is a rest day.)
    expect(next.id).not.toBe(first.id);
    expect(new Date(next.dueAt).getTime()).toBeGreaterThan((await s.clock.now()).getTime() + 9 * 86_400_000);
    expect(new Date(next.dueAt).getTime()).toBeGreaterThanOrEqual(new Date(first.dueAt).getTime());
    await inbox('procurator', 'supervision-progress-reported', r.id);

    // the reporting record is the timeline
    const timeline = await s.as('procurator').get(`/api/v1/referrals/${r.id}/timeline`);
    const reportEvents = timeline.body.items.filter((e: { type: string }) => e.type === 'REPORT_SUPERVISION_PROGRESS');
    expect(reportEvents).toHaveLength(1);
    expect(reportEvents[0]).toMatchObject({
      payload: { note: 'Two suppliers questioned, the warehouse sealed' },
      actor: { agencyId: agencies.hzPsb },
    });

    // an unreported period breaches and shows in the overdue view of listed cases only
    await s.clock.advance({ days: 30 });
    const listedOverdue = await until(
      () => overdue('procurator', 'listed=true&kind=supervision-report'),
      (items) => items.some((i) => i.referral.id === r.id && i.deadline.status === 'breached'),
    );
    expect(listedOverdue.every((i) => i.deadline.kind === 'supervision-report')).toBe(true);
    const allListed = await overdue('procurator', 'listed=true');
    expect(allListed.some((i) => i.referral.id === r.id)).toBe(true);
    expect(allListed.some((i) => i.referral.id === unlisted.id)).toBe(false);
    const notListed = await overdue('procurator', 'listed=false');
    expect(notListed.some((i) => i.referral.id === unlisted.id)).toBe(true);
    expect(notListed.some((i) => i.referral.id === r.id)).toBe(false);
    expectValidationFailed(await s.as('procurator').get('/api/v1/supervision/overdue?listed=yes'));
    // outside the region the listed case is not there
    expect((await overdue('nbProcurator', 'listed=true')).some((i) => i.referral.id === r.id)).toBe(false);

    // a second overseer joins: its agency is added and its higher level kept
    const joined = (await s.must(r.id, 'supervisor', {
      type: 'LIST_FOR_SUPERVISION',
      note: 'The provincial Kunlun office joins',
      level: 'national',
    })) as Listed;
    expect(joined.listing).toEqual({
      level: 'national',
      bodies: [agencies.hzPro, agencies.zjKunlun],
      reportEveryDays: 10,
      reports: 1,
    });
    await inbox('procurator', 'supervision-listing-joined', r.id);

    // the listed view: the listing, the last report and the (breached, so past) report due
    type ListedItem = {
      referral: { id: string };
      listing: Listed['listing'];
      lastReportAt: string | null;
      nextReportDueAt: string | null;
    };
    const listedView = async (user: 'procurator' | 'nbProcurator' | 'lead', query = '') =>
      s.as(user).get(`/api/v1/supervision/listed?limit=100${query}`);
    const mine = ((await listedView('procurator')).body.items as ListedItem[]).find((i) => i.referral.id === r.id)!;
    expect(mine).toMatchObject({ listing: joined.listing, nextReportDueAt: next.dueAt });
    expect(new Date(mine.lastReportAt!).getTime()).toBe(new Date(reportEvents[0].occurredAt).getTime());
    expect(((await listedView('procurator')).body.items as ListedItem[]).some((i) => i.referral.id === unlisted.id)).toBe(false);
    expect(((await listedView('procurator', '&level=national')).body.items as ListedItem[]).map((i) => i.referral.id)).toContain(
      r.id,
    );
    expect(((await listedView('procurator', '&level=city')).body.items as ListedItem[]).map((i) => i.referral.id)).not.toContain(
      r.id,
    );
    expect(((await listedView('nbProcurator')).body.items as ListedItem[]).some((i) => i.referral.id === r.id)).toBe(false);
    expectProblem(await listedView('lead'), 403, 'FORBIDDEN');
    expectValidationFailed(await listedView('procurator', '&level=county'));
    expectValidationFailed(await listedView('procurator', '&cursor=nope'));

    // out of scope: 404 for everything
    expectProblem(await s.send(r.id, 'nbProcurator', { type: 'LIST_FOR_SUPERVISION', note: 'x' }), 404, 'NOT_FOUND');
    expectProblem(await s.send(r.id, 'jsSupervisor', { type: 'DELIST', reason: 'x' }), 404, 'NOT_FOUND');
    expectProblem(await s.get(r.id, 'nbProcurator'), 404, 'NOT_FOUND');

    // DELIST: a police lead may not (403); a body may, and the listing and its report deadline go
    expectProblem(await s.send(r.id, 'lead', { type: 'DELIST', reason: 'x' }), 403, 'FORBIDDEN');
    expectValidationFailed(await s.send(r.id, 'supervisor', { type: 'DELIST' }));
    const delisted = (await s.must(r.id, 'supervisor', {
      type: 'DELIST',
      reason: 'Filed and investigated on schedule',
    })) as Listed;
    expect(delisted.flags).not.toContain('listed-supervision');
    expect(delisted.listing).toBeNull();
    expect(reports(delisted).filter((d) => d.status === 'pending')).toEqual([]);
    await inbox('procurator', 'delisted-from-supervision', r.id);
    expectProblem(await s.send(r.id, 'procurator', { type: 'DELIST', reason: 'again' }), 409, 'TRANSITION_NOT_ALLOWED');
    expect((await overdue('procurator', 'listed=true')).some((i) => i.referral.id === r.id)).toBe(false);
    expect(((await listedView('procurator')).body.items as ListedItem[]).some((i) => i.referral.id === r.id)).toBe(false);
  });

  it('pages the listed view newest first', async () => {
    const ids: string[] = [];
    for (const title of ['Listed one', 'Listed two', 'Listed three']) {
      const r = await s.referral({ title });
      await s.must(r.id, 'supervisor', { type: 'LIST_FOR_SUPERVISION', note: 'watch it', level: 'province' });
      ids.unshift(r.id);
    }
    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const res = await s
        .as('supervisor')
        .get(`/api/v1/supervision/listed?level=province&limit=2${cursor ? `&cursor=${cursor}` : ''}`);
      expect(res.status).toBe(200);
      seen.push(...res.body.items.map((i: { referral: { id: string } }) => i.referral.id));
      cursor = res.body.nextCursor;
    } while (cursor);
    expect(seen.filter((id) => ids.includes(id))).toEqual(ids);
    expect(new Set(seen).size).toBe(seen.length);
  });

  it('an overseer that is no listing body may not delist (409); the report deadline goes with the referral', async () => {
    const r = await s.referral({ title: 'Listed by the procuratorate alone' }).acknowledged();
    const listed = (await s.must(r.id, 'procurator', {
      type: 'LIST_FOR_SUPERVISION',
      note: 'major case',
      reportEveryDays: 30,
    })) as Listed;
    expect(listed.listing!.level).toBe('city');
    expect(listed.allowedEvents).toEqual(expect.arrayContaining(['DELIST']));
    const bySupervisor = await s.get(r.id, 'supervisor');
    expect(bySupervisor.body.allowedEvents).toContain('LIST_FOR_SUPERVISION');
    expect(bySupervisor.body.allowedEvents).not.toContain('DELIST');
    expectProblem(await s.send(r.id, 'supervisor', { type: 'DELIST', reason: 'not mine' }), 409, 'TRANSITION_NOT_ALLOWED');

    // the agency withdraws: every deadline is cancelled, the report deadline with them
    const withdrawn = (await s.must(r.id, 'officer', { type: 'WITHDRAW', reason: 'Settled elsewhere' })) as Listed;
    expect(withdrawn.state).toBe('withdrawn');
    expect(reports(withdrawn)).toEqual([]);
    const [row] = await s.t.db.query(`SELECT status FROM deadlines WHERE referral_id = $1 AND kind = 'supervision-report'`, [
      r.id,
    ]);
    expect(row.status).toBe('cancelled');
    expectProblem(
      await s.send(r.id, 'policeOfficer', { type: 'REPORT_SUPERVISION_PROGRESS', note: 'x' }),
      409,
      'TRANSITION_NOT_ALLOWED',
    );
  });
});
