// The recommendation to transfer (检察意见 建议移送) over HTTP: a procurator issues it on
// a flagged administrative case; the agency transfers (a referral pre-filled from the
// case, linked both ways) or explains; the procurator accepts or insists; scope,
// refusals, the 3-day deadline and its breach.
import { randomUUID } from 'node:crypto';
import {
  countRows,
  eventually,
  expectProblem,
  expectValidationFailed,
  issueRecommendation,
  RECOMMENDATIONS as REC,
  recordAdminCase,
  sendTo,
  useScenario,
  type Caller,
} from './kit';
import { referralBody } from './support/world';

describe('recommendation to transfer', () => {
  const s = useScenario({ CLOCK_MODE: 'controllable' });
  const send = (id: string, user: Caller, event: object, ifMatch?: number) => sendTo(s, REC, id, user, event, ifMatch);
  const issue = (adminCaseId: string) => issueRecommendation(s, adminCaseId);
  const recordCase = () => recordAdminCase(s);

  it('flagged case → recommendation → the agency transfers → the referral arrives at the police unit', async () => {
    const c = await recordCase();
    expect(c.screening.flag).toBe('flagged');
    const screening = await s.as('procurator').get('/api/v1/admin-cases?flag=flagged&limit=100');
    expect(screening.body.items.map((i: { id: string }) => i.id)).toContain(c.id);

    const rec = await issue(c.id);
    expect(rec).toMatchObject({
      workflow: 'transfer-recommendation',
      state: 'issued',
      sourceAgency: { id: s.w.agencies.hzPro },
      targetAgency: { id: s.w.agencies.hzAmr },
      adminCaseId: c.id,
      title: c.title,
      facts: { caseNo: c.caseNo, screeningFlag: 'flagged' },
      record: { referralId: null, insistCount: 0 },
    });
    expect(rec.referenceNo).toMatch(/^JY-330100-\d{4}-\d{6}$/);
    expect(rec.facts.screeningReasons[0]).toMatch(/art\. 140/);
    expect(rec.deadlines).toEqual([
      expect.objectContaining({ kind: 'recommendation-response', status: 'pending', responsibleAgencyId: s.w.agencies.hzAmr }),
    ]);
    const due = Date.parse(rec.deadlines[0].dueAt) - Date.parse(rec.createdAt);
    expect(due).toBeGreaterThan(3 * 24 * 3600e3 - 24 * 3600e3);
    expect(due).toBeLessThan(6 * 24 * 3600e3);

    // The agency hears of it.
    const inbox = await eventually(
      'the recommendation in the agency inbox',
      async () => (await s.as('officer').get('/api/v1/notifications?limit=50')).body.items as { title: string }[],
      (items) => items.some((n) => n.title === `Recommendation to transfer ${rec.referenceNo}`),
    );
    expect(inbox.length).toBeGreaterThan(0);

    const officerView = await s.as('officer').get(`${REC}/${rec.id}`);
    expect(officerView.body.allowedEvents).toEqual(expect.arrayContaining(['TRANSFER', 'EXPLAIN', 'COMMENT']));
    expect(officerView.body.allowedEvents).not.toContain('INSIST');

    const transferred = await send(
      rec.id,
      'officer',
      { type: 'TRANSFER', targetAgencyId: s.w.agencies.hzPsb, offence: 'Art. 140' },
      1,
    );
    expect(transferred.status).toBe(200);
    expect(transferred.body).toMatchObject({ state: 'transferred', outcome: 'transferred' });
    const referralId = transferred.body.record.referralId;
    expect(transferred.body.links).toEqual([
      expect.objectContaining({ relation: 'follow-up', id: referralId, workflow: 'referral' }),
    ]);

    // The referral, pre-filled from the case, is with the police unit.
    const referral = await s.get(referralId, 'policeOfficer');
    expect(referral.status).toBe(200);
    expect(referral.body).toMatchObject({
      state: 'submitted',
      title: c.title,
      amountInvolved: '182000.00',
      externalRef: c.caseNo,
      offence: 'Art. 140',
      adminCaseId: c.id,
      sourceAgency: { id: s.w.agencies.hzAmr },
      targetAgency: { id: s.w.agencies.hzPsb },
      administrativePenalties: [{ decisionNo: '杭市监处罚〔2026〕12号', kinds: ['fine'], fineAmount: '20000.00' }],
    });
    // The police see where it came from, not the recommendation itself (outside their scope).
    expect(referral.body.links).toEqual([
      {
        relation: 'origin',
        id: rec.id,
        workflow: 'transfer-recommendation',
        referenceNo: rec.referenceNo,
        visible: false,
        state: null,
        outcome: null,
      },
    ]);
    expectProblem(await s.as('policeOfficer').get(`${REC}/${rec.id}`), 404, 'NOT_FOUND');
    const asAgency = await s.get(referralId, 'officer');
    expect(asAgency.body.links).toEqual([
      expect.objectContaining({ relation: 'origin', id: rec.id, visible: true, state: 'transferred' }),
    ]);
    const incoming = await s.as('policeOfficer').get('/api/v1/referrals?direction=incoming&limit=100');
    expect(incoming.body.items.map((r: { id: string }) => r.id)).toContain(referralId);

    // The case shows both.
    const caseNow = await s.as('procurator').get(`/api/v1/admin-cases/${c.id}`);
    expect(caseNow.body.links.map((l: { workflow: string }) => l.workflow).sort()).toEqual([
      'referral',
      'transfer-recommendation',
    ]);

    const timeline = await s.as('procurator').get(`${REC}/${rec.id}/timeline`);
    expect(timeline.body.items.map((e: { type: string }) => e.type)).toEqual(['ISSUE', 'TRANSFER']);
    expect((await s.as('procurator').get(`${REC}/${rec.id}/verify`)).body).toMatchObject({ valid: true, events: 2 });
  });

  it('a referral submitted directly records the penalties already imposed, shown to the police', async () => {
    const penalties = [
      { decisionNo: '杭市监罚〔2026〕88号', decidedAt: '2026-03-02', kinds: ['fine', 'confiscation'], fineAmount: '50000.00' },
    ];
    const r = await s.referral({ administrativePenalties: penalties });
    const seen = await s.get(r.id, 'policeOfficer');
    expect(seen.body).toMatchObject({ administrativePenalties: penalties, adminCaseId: null, links: [] });
    const bad = await s.as('officer').post(
      '/api/v1/referrals',
      referralBody(s.w.agencies.hzPsb, {
        administrativePenalties: [{ decisionNo: 'x', decidedAt: '2026-03-02', kinds: ['caning'] }],
      }),
    );
    expectValidationFailed(bad, 'administrativePenalties.0.kinds');
  });

  it('explain → insist (a new 3 days, supervisors told) → explain → accepted', async () => {
    const rec = await issue((await recordCase()).id);
    const explained = await send(rec.id, 'officer', {
      type: 'EXPLAIN',
      explanation: 'The sales figure includes returned goods.',
    });
    expect(explained.body).toMatchObject({ state: 'explanation-submitted', record: { explanation: expect.any(String) } });
    expect(explained.body.deadlines).toEqual([expect.objectContaining({ kind: 'recommendation-response', status: 'met' })]);

    const insisted = await send(rec.id, 'procurator', { type: 'INSIST', reasons: 'The returns ledger was drawn up later.' });
    expect(insisted.body).toMatchObject({ state: 'insisted', record: { insistCount: 1 } });
    expect(insisted.body.deadlines.filter((d: { status: string }) => d.status === 'pending')).toHaveLength(1);
    await eventually(
      'the insistence in the supervisor inbox',
      async () => (await s.as('supervisor').get('/api/v1/notifications?limit=50')).body.items as { title: string }[],
      (items) => items.some((n) => n.title === `Procuratorate insists: ${rec.referenceNo}`),
    );

    await send(rec.id, 'officer', { type: 'EXPLAIN', explanation: 'The net amount is 38,000 CNY, see the audit.' }).expect(200);
    const closed = await send(rec.id, 'procurator', { type: 'ACCEPT_EXPLANATION', note: 'The audit supports it' });
    expect(closed.body).toMatchObject({ state: 'closed', outcome: 'explained', allowedEvents: ['COMMENT'] });
  });

  it('is withdrawn by its procuratorate: deadlines cancelled, then only COMMENT', async () => {
    const rec = await issue((await recordCase()).id);
    expectProblem(await send(rec.id, 'officer', { type: 'WITHDRAW', reason: 'mine' }), 403, 'FORBIDDEN');
    const withdrawn = await send(rec.id, 'procurator', { type: 'WITHDRAW', reason: 'Issued on the wrong case' });
    expect(withdrawn.body).toMatchObject({ state: 'withdrawn', outcome: 'withdrawn', allowedEvents: ['COMMENT'] });
    expect(withdrawn.body.deadlines).toEqual([]);
    expectProblem(
      await send(rec.id, 'officer', { type: 'EXPLAIN', explanation: 'Too late to explain anything now.' }),
      409,
      'TRANSITION_NOT_ALLOWED',
    );
  });

  it('is issued by a procurator of the case’s region only, once at a time, and refused bodies write nothing', async () => {
    const c = await recordCase();
    const before = await countRows(s.t);
    expectProblem(
      await s.as('officer').post(REC, { adminCaseId: c.id, reasons: 'Sales exceed the threshold.' }),
      403,
      'FORBIDDEN',
    );
    expectProblem(
      await s.as('nbProcurator').post(REC, { adminCaseId: c.id, reasons: 'Sales exceed the threshold.' }),
      404,
      'NOT_FOUND',
    );
    expectProblem(
      await s.as('procurator').post(REC, { adminCaseId: randomUUID(), reasons: 'Sales exceed the threshold.' }),
      404,
      'NOT_FOUND',
    );
    expectProblem(await s.as('procurator').post(REC, { adminCaseId: c.id, reasons: 'short' }), 400, 'VALIDATION_FAILED');
    expect(await countRows(s.t)).toEqual(before);

    const rec = await issue(c.id);
    expectProblem(
      await s.as('procurator').post(REC, { adminCaseId: c.id, reasons: 'Sales exceed the threshold again.' }),
      409,
      'ALREADY_EXISTS',
    );

    // Scope: the two agencies and the overseers of the case's region.
    for (const user of ['officer', 'procurator', 'supervisor', 'admin'] as const) {
      expect((await s.as(user).get(`${REC}/${rec.id}`)).status).toBe(200);
    }
    for (const user of ['nbOfficer', 'nbProcurator', 'lead', 'jsSupervisor'] as const) {
      expectProblem(await s.as(user).get(`${REC}/${rec.id}`), 404, 'NOT_FOUND');
    }
    // A TRANSFER by the police, or to a unit that is no police agency, leaves no referral behind.
    const referralsBefore = (await countRows(s.t)).referrals;
    expectProblem(await send(rec.id, 'procurator', { type: 'TRANSFER', targetAgencyId: s.w.agencies.hzPsb }), 403, 'FORBIDDEN');
    expectProblem(
      await send(rec.id, 'officer', { type: 'TRANSFER', targetAgencyId: s.w.agencies.hzAmr }),
      400,
      'VALIDATION_FAILED',
    );
    expectProblem(
      await send(rec.id, 'officer', { type: 'TRANSFER', targetAgencyId: s.w.agencies.hzPsb }, 9),
      412,
      'VERSION_CONFLICT',
    );
    expectProblem(await send(rec.id, 'officer', { type: 'INSIST', reasons: 'x' }), 403, 'FORBIDDEN');
    expectProblem(await send(rec.id, 'procurator', { type: 'ACCEPT_EXPLANATION', note: 'x' }), 409, 'TRANSITION_NOT_ALLOWED');
    expect((await countRows(s.t)).referrals).toBe(referralsBefore);
  });

  it('unanswered for 3 days, the response deadline breaches and shows in the overdue view', async () => {
    const rec = await issue((await recordCase()).id);
    // well past 3 days, whatever rest days and holidays they run into
    await s.clock.advance({ days: 20 });
    const overdue = await eventually(
      'the breach (the job has fired) in the overdue view',
      () => s.as('supervisor').get('/api/v1/supervision/overdue?workflow=transfer-recommendation&limit=100'),
      (res) =>
        res.body.items?.some(
          (i: { referral: { id: string }; deadline: { status: string } }) =>
            i.referral.id === rec.id && i.deadline.status === 'breached',
        ),
    );
    expect(overdue.body.items.find((i: { referral: { id: string } }) => i.referral.id === rec.id)).toMatchObject({
      referral: { workflow: 'transfer-recommendation' },
      deadline: { kind: 'recommendation-response', status: 'breached' },
    });
  });
});
