// Reverse transfer (行刑反向衔接) over HTTP: from a referral the police declined, and
// from a procuratorate's decision not to prosecute; scope, refusals, deadlines with
// their legal basis, the timeline, links, and breaches in the supervision view.
import {
  countRows,
  eventually,
  expectProblem,
  REVERSE_TRANSFERS as RT,
  reverseTransferBody,
  sendTo,
  useScenario,
  type Scenario,
} from './kit';

/** A referral of hz-amr declined by hz-psb and closed (the agency accepted the decision). */
async function declinedReferral(s: Scenario) {
  const r = await s.referral().acknowledged().reviewed('not-file').declined();
  return s.must(r.id, 'officer', { type: 'ACCEPT_DECISION' });
}

const fromScratch = reverseTransferBody;

describe('reverse transfer', () => {
  const s = useScenario({ CLOCK_MODE: 'controllable' });

  const send = (id: string, user: Parameters<Scenario['as']>[0], event: object, ifMatch?: number) =>
    sendTo(s, RT, id, user, event, ifMatch);

  it('goes back from a declined referral to its agency: received, decided with a penalty, replied', async () => {
    const referral = await declinedReferral(s);
    expect(referral).toMatchObject({ state: 'closed', outcome: 'declined' });

    const created = await s.as('lead').post(RT, { referralId: referral.id, basis: 'not-filed', reasons: 'Below the threshold' });
    expect(created.status).toBe(201);
    expect(created.headers.etag).toBe('"1"');
    const rt = created.body;
    expect(rt).toMatchObject({
      workflow: 'reverse-transfer',
      state: 'transferred',
      title: referral.title,
      sourceAgency: { id: s.w.agencies.hzPsb },
      targetAgency: { id: s.w.agencies.hzAmr },
      regionCode: '330100',
      facts: { basis: 'not-filed', procuratorialOpinion: false, reasons: 'Below the threshold' },
      links: [{ relation: 'origin', id: referral.id, workflow: 'referral' }],
    });
    expect(rt.referenceNo).toMatch(/^FX-330100-\d{4}-\d{6}$/);
    expect(rt.deadlines).toEqual([
      expect.objectContaining({ kind: 'reverse-receipt', status: 'pending', responsibleAgencyId: s.w.agencies.hzAmr }),
    ]);
    expect(rt.deadlines[0].legalBasis).toMatch(/\S{10,}/);
    expect(rt.allowedEvents).toEqual(expect.arrayContaining(['WITHDRAW', 'COMMENT']));

    // The referral shows what was started from it.
    const back = await s.get(referral.id, 'lead');
    expect(back.body.links).toEqual([
      expect.objectContaining({ relation: 'follow-up', id: rt.id, workflow: 'reverse-transfer' }),
    ]);

    // The agency's view: it may receive; the police may not.
    const seen = await s.as('officer').get(`${RT}/${rt.id}`);
    expect(seen.status).toBe(200);
    expect(seen.body.allowedEvents).toEqual(expect.arrayContaining(['RECEIVE', 'COMMENT']));
    expectProblem(await send(rt.id, 'lead', { type: 'RECEIVE' }), 403, 'FORBIDDEN');

    const received = await send(rt.id, 'officer', { type: 'RECEIVE' }, 1);
    expect(received.status).toBe(200);
    expect(received.body.state).toBe('received');
    expect(received.body.deadlines).toEqual([expect.objectContaining({ kind: 'reverse-receipt', status: 'met' })]);

    // A penalty needs its decision number and kinds: refused by the chart, nothing written.
    const before = await countRows(s.t);
    expectProblem(
      await send(rt.id, 'officer', { type: 'DECIDE', decision: 'penalty-imposed', reasons: 'Fine' }),
      409,
      'TRANSITION_NOT_ALLOWED',
    );
    expect((await countRows(s.t)).referral_events).toEqual(before.referral_events);

    const decided = await send(rt.id, 'officer', {
      type: 'DECIDE',
      decision: 'penalty-imposed',
      reasons: 'Fine and confiscation of the goods',
      decisionNo: '杭市监罚〔2026〕95号',
      penaltyKinds: ['fine', 'confiscation'],
      fineAmount: '30000.00',
    });
    expect(decided.status).toBe(200);
    expect(decided.body.record.decision).toMatchObject({ decision: 'penalty-imposed', fineAmount: '30000.00' });

    const replied = await send(rt.id, 'officer', { type: 'REPLY', note: 'Decision served on 2026-03-10' });
    expect(replied.body).toMatchObject({ state: 'replied', outcome: 'penalty-imposed', allowedEvents: ['COMMENT'] });

    const timeline = await s.as('lead').get(`${RT}/${rt.id}/timeline`);
    expect(timeline.body.items.map((e: { type: string }) => e.type)).toEqual(['TRANSFER', 'RECEIVE', 'DECIDE', 'REPLY']);
    const verify = await s.as('procurator').get(`${RT}/${rt.id}/verify`);
    expect(verify.body).toMatchObject({ valid: true, events: 4 });

    // The police hear of the decision in their inbox.
    const inbox = await s.as('lead').get('/api/v1/notifications?limit=50');
    expect(inbox.body.items.map((n: { title: string }) => n.title)).toEqual(
      expect.arrayContaining([`Penalty decision on ${rt.referenceNo}`]),
    );
  });

  it('from a procuratorate: the reply on its opinion is due 2 months after receipt, and it may chase', async () => {
    const created = await s.as('procurator').post(RT, fromScratch(s));
    expect(created.status).toBe(201);
    const rt = created.body;
    expect(rt.facts).toMatchObject({
      basis: 'not-prosecuted',
      procuratorialOpinion: true,
      opinion: '建议对该公司依法给予行政处罚',
    });
    // The parties' ID numbers are the two agencies' to see.
    expect(rt.parties[0].idNumber).toBe('330102199001011234');
    const asSupervisor = await s.as('supervisor').get(`${RT}/${rt.id}`);
    expect(asSupervisor.body.parties[0].idNumber).not.toBe('330102199001011234');

    const chased = await send(rt.id, 'procurator', { type: 'CHASE', note: 'Please acknowledge' });
    expect(chased.body).toMatchObject({ state: 'transferred', flags: ['chased'], record: { chaseCount: 1 } });

    const received = await send(rt.id, 'officer', { type: 'RECEIVE' });
    const reply = received.body.deadlines.find((d: { kind: string }) => d.kind === 'reverse-reply');
    expect(reply).toMatchObject({ status: 'pending', responsibleAgencyId: s.w.agencies.hzAmr });
    const months = (Date.parse(reply.dueAt) - Date.parse(received.body.updatedAt)) / (24 * 3600 * 1000);
    expect(months).toBeGreaterThan(58);
    expect(months).toBeLessThan(64);
  });

  it('is answered with no penalty, or withdrawn by its source before receipt', async () => {
    const rt = (await s.as('procurator').post(RT, fromScratch(s))).body;
    await send(rt.id, 'officer', { type: 'RECEIVE' }).expect(200);
    expectProblem(
      await send(rt.id, 'officer', { type: 'DECIDE', decision: 'no-penalty', reasons: 'Settled', penaltyKinds: ['fine'] }),
      409,
      'TRANSITION_NOT_ALLOWED',
    );
    await send(rt.id, 'officer', {
      type: 'DECIDE',
      decision: 'no-penalty',
      reasons: 'The goods were destroyed; no penalty is due',
    }).expect(200);
    const replied = await send(rt.id, 'officer', { type: 'REPLY', note: 'No penalty, reasons attached' });
    expect(replied.body).toMatchObject({ state: 'replied', outcome: 'no-penalty' });
    expect(replied.body.deadlines.find((d: { kind: string }) => d.kind === 'reverse-reply')).toMatchObject({ status: 'met' });

    const other = (await s.as('procurator').post(RT, fromScratch(s))).body;
    const withdrawn = await send(other.id, 'procurator', { type: 'WITHDRAW', reason: 'Sent to the wrong agency' });
    expect(withdrawn.body).toMatchObject({ state: 'withdrawn', outcome: 'withdrawn', deadlines: [] });
    const received = (await s.as('procurator').post(RT, fromScratch(s))).body;
    await send(received.id, 'officer', { type: 'RECEIVE' }).expect(200);
    expectProblem(await send(received.id, 'procurator', { type: 'WITHDRAW', reason: 'late' }), 409, 'TRANSITION_NOT_ALLOWED');
  });

  it('is in scope for its two agencies and the overseers of its region only', async () => {
    const rt = (await s.as('procurator').post(RT, fromScratch(s))).body;
    for (const user of ['procurator', 'officer', 'supervisor', 'admin'] as const) {
      expect((await s.as(user).get(`${RT}/${rt.id}`)).status).toBe(200);
    }
    for (const user of ['nbProcurator', 'nbOfficer', 'lead', 'jsSupervisor'] as const) {
      expectProblem(await s.as(user).get(`${RT}/${rt.id}`), 404, 'NOT_FOUND');
      expectProblem(await send(rt.id, user, { type: 'COMMENT', text: 'hello' }), 404, 'NOT_FOUND');
    }
    const mine = await s.as('officer').get(`${RT}?direction=incoming`);
    expect(mine.body.items.map((i: { id: string }) => i.id)).toContain(rt.id);
    const theirs = await s.as('nbOfficer').get(RT);
    expect(theirs.body.items.map((i: { id: string }) => i.id)).not.toContain(rt.id);
    // Each resource answers for its own workflow only.
    expectProblem(await s.get(rt.id, 'admin'), 404, 'NOT_FOUND');
    const referral = await s.referral();
    expectProblem(await s.as('admin').get(`${RT}/${referral.id}`), 404, 'NOT_FOUND');
  });

  it('refuses the wrong sender, a referral still under review, and incomplete bodies, writing nothing', async () => {
    const before = await countRows(s.t);
    expectProblem(await s.as('officer').post(RT, fromScratch(s)), 403, 'FORBIDDEN');
    expectProblem(await s.as('lead').post(RT, fromScratch(s)), 403, 'FORBIDDEN'); // not-prosecuted is the procuratorate's
    const open = await s.referral().acknowledged();
    expectProblem(
      await s.as('lead').post(RT, { referralId: open.id, basis: 'not-filed', reasons: 'x' }),
      409,
      'TRANSITION_NOT_ALLOWED',
    );
    expectProblem(await s.as('westLead').post(RT, { referralId: open.id, basis: 'not-filed', reasons: 'x' }), 404, 'NOT_FOUND');
    const missing = await s.as('procurator').post(RT, { basis: 'not-prosecuted', reasons: 'x' });
    expect(missing.status).toBe(400);
    expect(missing.body.errors.map((e: { field: string }) => e.field)).toEqual(
      expect.arrayContaining(['opinion', 'targetAgencyId', 'domain', 'title', 'summary', 'parties']),
    );
    expectProblem(
      await s.as('procurator').post(RT, fromScratch(s, { targetAgencyId: s.w.agencies.hzPsb })),
      400,
      'VALIDATION_FAILED',
    );
    expectProblem(await s.as('procurator').post(RT, fromScratch(s, { basis: 'because' })), 400, 'VALIDATION_FAILED');
    const after = await countRows(s.t);
    // Only the referral this test submitted (and its rows) were written.
    expect(after.referrals - before.referrals).toBe(1);
  });

  it('answers a stale If-Match with 412 and an unknown event with 400', async () => {
    const rt = (await s.as('procurator').post(RT, fromScratch(s))).body;
    expectProblem(await send(rt.id, 'officer', { type: 'RECEIVE' }, 7), 412, 'VERSION_CONFLICT');
    expectProblem(await send(rt.id, 'officer', { type: 'ACKNOWLEDGE' }), 400, 'VALIDATION_FAILED');
    expectProblem(await send(rt.id, 'officer', { type: 'DEADLINE_EXPIRED' }), 400, 'VALIDATION_FAILED');
    expectProblem(await send('not-a-uuid', 'officer', { type: 'RECEIVE' }), 404, 'NOT_FOUND');
  });

  it('an unacknowledged one breaches after 3 working days and shows in the overdue view', async () => {
    const rt = (await s.as('procurator').post(RT, fromScratch(s))).body;
    // well past 3 working days, whatever weekends and holidays they run into
    await s.clock.advance({ days: 20 });
    const overdue = await eventually(
      'the breach (the job has fired) in the overdue view',
      () => s.as('procurator').get('/api/v1/supervision/overdue?workflow=reverse-transfer&limit=100'),
      (res) =>
        res.body.items?.some(
          (i: { referral: { id: string }; deadline: { status: string } }) =>
            i.referral.id === rt.id && i.deadline.status === 'breached',
        ),
    );
    const item = overdue.body.items.find((i: { referral: { id: string } }) => i.referral.id === rt.id);
    expect(item).toMatchObject({
      referral: { workflow: 'reverse-transfer', referenceNo: rt.referenceNo },
      deadline: { kind: 'reverse-receipt', status: 'breached' },
    });
    const referralsOnly = await s.as('procurator').get('/api/v1/supervision/overdue?workflow=referral&limit=100');
    expect(referralsOnly.body.items.map((i: { referral: { id: string } }) => i.referral.id)).not.toContain(rt.id);
    const breached = await s.as('officer').get(`${RT}/${rt.id}/timeline`);
    expect(breached.body.items.map((e: { type: string }) => e.type)).toContain('DEADLINE_EXPIRED');
  });
});
