// Elevated and designated jurisdiction (提级侦办, 指定管辖; issue 11 §2) over HTTP: a
// police unit above the target's region sees the referral and may take it over
// (ELEVATE) or assign it to another unit inside its region (DESIGNATE). The state and
// the running clocks stay (same due times, now answered for by the new unit); the unit
// left behind keeps reading the referral and its timeline but no longer acts.
import { randomUUID } from 'node:crypto';
import type { DeadlineView as Deadline } from '../src/deadlines/deadline.views';
import { expectProblem, expectValidationFailed, until, useScenario, type ReferralBody } from './kit';

type Referral = ReferralBody & {
  targetAgency: { id: string };
  formerTargetAgencies: { id: string }[];
  allowedEvents: string[];
  deadlines: Deadline[];
  suspects: { idNumber?: string }[];
};

const live = (r: Referral) =>
  r.deadlines.filter((d) => d.status === 'pending' || d.status === 'paused').map((d) => [d.kind, d.dueAt, d.responsibleAgencyId]);

describe('elevated and designated jurisdiction', () => {
  const s = useScenario({ WEBHOOK_ALLOW_PRIVATE_TARGETS: 'true' });

  /** A referral sent to the Xihu district police (330106), acknowledged there. */
  const atWest = async () => {
    const r = await s.referral({ targetAgencyId: s.w.agencies.hzPsbWest }).step('westLead', { type: 'ACKNOWLEDGE' });
    return r as Referral;
  };
  const read = async (id: string, user: Parameters<typeof s.get>[1]) => {
    const res = await s.get(id, user);
    return { status: res.status, body: res.body as Referral };
  };
  const inbox = (user: 'westLead' | 'officer', type: string, referralId: string) =>
    until(
      async () => (await s.as(user).get('/api/v1/notifications?limit=100')).body.items as { type: string; referralId: string }[],
      (items) => items.some((n) => n.type === type && n.referralId === referralId),
    );

  it('the city bureau above the district unit sees its referral and is offered ELEVATE and DESIGNATE; others are not', async () => {
    const r = await atWest();
    const city = await read(r.id, 'lead');
    expect(city.status).toBe(200);
    expect(city.body.allowedEvents).toEqual(expect.arrayContaining(['ELEVATE', 'DESIGNATE']));
    // seeing is not being a party: suspects' ID numbers stay masked for it
    expect(JSON.stringify(city.body.suspects)).not.toContain('91330100MA2B3C4D12');
    // the target itself and the police officer of the city bureau are not offered them
    expect((await read(r.id, 'westLead')).body.allowedEvents).not.toContain('ELEVATE');
    expect((await read(r.id, 'policeOfficer')).body.allowedEvents).not.toContain('ELEVATE');
    // a police unit of another city sees nothing
    expect((await read(r.id, 'nbLead')).status).toBe(404);
    // and the city bureau's own list has it
    const list = await s.as('lead').get('/api/v1/referrals?limit=100');
    expect(list.body.items.map((x: { id: string }) => x.id)).toContain(r.id);
  });

  it('ELEVATE: the city bureau takes the case over; the state and due times stay; the district unit reads on but no longer acts', async () => {
    const r = await atWest();
    const before = live(r);
    expect(before.length).toBeGreaterThan(0);

    // refusals: outside scope 404, not the superior 403, wrong role 403, no reason 400
    expectProblem(await s.send(r.id, 'nbLead', { type: 'ELEVATE', reason: 'ours' }), 404, 'NOT_FOUND');
    expectProblem(await s.send(r.id, 'westLead', { type: 'ELEVATE', reason: 'mine' }), 403, 'FORBIDDEN');
    expectProblem(await s.send(r.id, 'policeOfficer', { type: 'ELEVATE', reason: 'x' }), 403, 'FORBIDDEN');
    expectValidationFailed(await s.send(r.id, 'lead', { type: 'ELEVATE' }), 'reason');
    // who takes it over is the sender's unit, not a field of the body
    expectValidationFailed(await s.send(r.id, 'lead', { type: 'ELEVATE', reason: 'x', toAgencyId: s.w.agencies.nbPsb }));
    expect((await read(r.id, 'westLead')).body.version).toBe(r.version);

    const elevated = (await s.must(r.id, 'lead', { type: 'ELEVATE', reason: 'A network across three districts' })) as Referral;
    expect(elevated.state).toBe(r.state);
    expect(elevated.targetAgency.id).toBe(s.w.agencies.hzPsb);
    expect(elevated.formerTargetAgencies.map((a) => a.id)).toEqual([s.w.agencies.hzPsbWest]);
    // the clocks run on: same kinds and due times, the city bureau answers for them now
    expect(live(elevated)).toEqual(before.map(([kind, due]) => [kind, due, s.w.agencies.hzPsb]));

    // the district unit reads the referral and its timeline, and acts no more
    const west = await read(r.id, 'westLead');
    expect(west.status).toBe(200);
    expect(await s.timeline(r.id, 'westLead')).toEqual(['SUBMIT', 'ACKNOWLEDGE', 'ELEVATE']);
    expect(west.body.allowedEvents).not.toContain('RECORD_REVIEW');
    expectProblem(
      await s.send(r.id, 'westLead', { type: 'RECORD_REVIEW', recommendation: 'file', opinion: 'x' }),
      403,
      'FORBIDDEN',
    );
    // the timeline records who took it over
    const events = (await s.as('lead').get(`/api/v1/referrals/${r.id}/timeline`)).body.items as {
      type: string;
      payload: Record<string, unknown>;
    }[];
    expect(events.find((e) => e.type === 'ELEVATE')?.payload).toEqual({
      reason: 'A network across three districts',
      toAgencyId: s.w.agencies.hzPsb,
    });
    // the new target acts: it records the review
    const reviewed = await s.must(r.id, 'lead', { type: 'RECORD_REVIEW', recommendation: 'file', opinion: 'File it' });
    expect(reviewed.state).toBe('reviewed');

    // the unit left behind and the agency are told
    await inbox('westLead', 'referral-elevated', r.id);
    await inbox('officer', 'referral-elevated', r.id);
  });

  it('DESIGNATE: the city bureau assigns the case to another unit inside its region; the rules are the same', async () => {
    const east = await s.as('admin').post('/api/v1/agencies', {
      code: `hz-psb-east-${randomUUID().slice(0, 8)}`,
      name: 'Hangzhou Shangcheng Police',
      kind: 'police',
      regionCode: '330102',
    });
    expect(east.status).toBe(201);
    const r = await atWest();
    const before = live(r);

    const designate = (toAgencyId: string) => s.send(r.id, 'lead', { type: 'DESIGNATE', toAgencyId, reason: 'The den is there' });
    // not a police unit, not inside the region, the current unit, its own unit, no such agency: 400 on the field
    for (const bad of [s.w.agencies.hzAmr, s.w.agencies.nbPsb, s.w.agencies.hzPsbWest, s.w.agencies.hzPsb, randomUUID()]) {
      expectValidationFailed(await designate(bad), 'toAgencyId');
    }
    expectProblem(await s.send(r.id, 'westLead', { type: 'DESIGNATE', toAgencyId: east.body.id, reason: 'x' }), 403, 'FORBIDDEN');
    expect((await read(r.id, 'westLead')).body.version).toBe(r.version);

    const designated = (await s.must(r.id, 'lead', {
      type: 'DESIGNATE',
      toAgencyId: east.body.id,
      reason: 'The den is in Shangcheng',
    })) as Referral;
    expect(designated.state).toBe(r.state);
    expect(designated.targetAgency.id).toBe(east.body.id);
    expect(live(designated)).toEqual(before.map(([kind, due]) => [kind, due, east.body.id]));
    // the designating bureau still sees it (it stands above the new unit), and so does the unit it left
    expect((await read(r.id, 'lead')).status).toBe(200);
    expect((await read(r.id, 'westLead')).status).toBe(200);
    await inbox('westLead', 'referral-designated', r.id);
  });

  it('webhooks: the unit elevated from keeps receiving the referral’s events; the bureau above receives them before it takes over', async () => {
    const receiver = await s.receiver();
    await s.subscribe('westLead', receiver.url('/west'), ['*']);
    await s.subscribe('lead', receiver.url('/city'), ['*']);
    await s.subscribe('nbLead', receiver.url('/nb'), ['*']);
    const r = await atWest();
    await s.must(r.id, 'lead', { type: 'ELEVATE', reason: 'A network across three districts' });
    await s.must(r.id, 'lead', { type: 'COMMENT', text: 'Taken over by the city bureau' });
    const types = (path: string) =>
      receiver
        .to(path, r.id)
        .map((x) => x.body.type as string)
        .sort();
    const all = ['ACKNOWLEDGE', 'COMMENT', 'ELEVATE', 'SUBMIT'];
    await until(
      async () => [types('/west'), types('/city')],
      ([west, city]) => west.length === 4 && city.length === 4,
    );
    expect(types('/west')).toEqual(all);
    expect(types('/city')).toEqual(all);
    expect(types('/nb')).toEqual([]);
  });

  it('a forward or designation never lets a unit of another city in, and a final referral is not elevated', async () => {
    const r = await atWest();
    const withdrawn = await s.must(r.id, 'officer', { type: 'WITHDRAW', reason: 'sent by mistake' });
    expect(withdrawn.state).toBe('withdrawn');
    expectProblem(await s.send(r.id, 'lead', { type: 'ELEVATE', reason: 'late' }), 409, 'TRANSITION_NOT_ALLOWED');
    expect((await read(r.id, 'nbLead')).status).toBe(404);
  });
});
