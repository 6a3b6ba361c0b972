// Who sees and who may act on a referral from hz-amr (330100) to hz-psb
// (API.md "Roles and scope", "Errors"): in scope → 200, out of scope → 404
// (never 403: existence is not leaked), in scope but the wrong role → 403,
// the right role in the wrong state → 409.
import { randomUUID } from 'node:crypto';
import { buildWorld, type World } from './support/world';
import { createTestApp, type TestApp } from './support/test-app';
import { expectProblem, kit, type Caller } from './kit/e2e-kit';

const FULL_ID = '91330100MA2B3C4D12'; // the suspect idNumber of world.referralBody

interface ScopeRow {
  caller: Caller;
  why: string;
  inScope: boolean;
  /** ACKNOWLEDGE on a fresh (submitted) referral */
  ack: 200 | 403 | 404;
}

// prettier-ignore
const MATRIX: ScopeRow[] = [
  // caller            why                                      in scope  ACKNOWLEDGE
  { caller: 'officer',       why: 'source agency (hz-amr)',             inScope: true,  ack: 403 },
  { caller: 'policeOfficer', why: 'target police (hz-psb)',             inScope: true,  ack: 200 },
  { caller: 'lead',          why: 'target police (hz-psb)',             inScope: true,  ack: 200 },
  { caller: 'westLead',      why: 'other police unit, same city',       inScope: false, ack: 404 },
  { caller: 'procurator',    why: 'procuratorate 330100 covers it',     inScope: true,  ack: 403 },
  { caller: 'supervisor',    why: 'supervisor 330000 covers it',        inScope: true,  ack: 403 },
  { caller: 'nbOfficer',     why: 'regulator in another prefecture',    inScope: false, ack: 404 },
  { caller: 'nbLead',        why: 'police in another prefecture',       inScope: false, ack: 404 },
  { caller: 'nbProcurator',  why: 'procuratorate 330200 does not cover', inScope: false, ack: 404 },
  { caller: 'jsSupervisor',  why: 'supervisor of another province',     inScope: false, ack: 404 },
  { caller: 'jsProcurator',  why: 'procuratorate of another province',  inScope: false, ack: 404 },
  { caller: 'admin',         why: 'admin reads everything',             inScope: true,  ack: 403 },
];
const IN_SCOPE = MATRIX.filter((r) => r.inScope);
const read = (r: ScopeRow) => (r.inScope ? 200 : 404);

const reason = 'Not a matter for this unit';
// Role-specific events, each on a fresh submitted referral. (Every row has all four
// columns: jest-each takes a shorter row's missing argument for a `done` callback.)
// prettier-ignore
const EVENTS: [Caller, Record<string, unknown>, 200 | 403 | 404 | 409, string][] = [
  // caller         event                                                                        status, state after
  // allowed role, allowed state → 200 (and the resulting state)
  ['officer',       { type: 'WITHDRAW', reason },                                                200, 'withdrawn'],
  ['policeOfficer', { type: 'REQUEST_SUPPLEMENT', items: ['transfer letter'], reason },          200, 'supplement-requested'],
  ['lead',          { type: 'REQUEST_SUPPLEMENT', items: ['test report'], reason },              200, 'supplement-requested'],
  ['procurator',    { type: 'LIST_FOR_SUPERVISION', note: 'watch it' },                          200, 'submitted'],
  ['supervisor',    { type: 'LIST_FOR_SUPERVISION', note: 'watch it' },                          200, 'submitted'],
  // allowed role, wrong state → 409
  ['lead',          { type: 'ACCEPT', caseNumber: 'HZ-2026-1' },                                 409, 'submitted'],
  ['lead',          { type: 'DECLINE', reasons: 'No criminal liability', legalBasis: 'art. 1' }, 409, 'submitted'],
  ['policeOfficer', { type: 'RECORD_REVIEW', recommendation: 'file', opinion: 'ok' },            409, 'submitted'],
  ['officer',       { type: 'SUPPLEMENT', note: 'here it is' },                                  409, 'submitted'],
  ['officer',       { type: 'ACCEPT_DECISION' },                                                 409, 'submitted'],
  ['procurator',    { type: 'ORDER_FILING', note: 'file it' },                                   409, 'submitted'],
  // in scope, role may never send it → 403
  ['policeOfficer', { type: 'ACCEPT', caseNumber: 'HZ-2026-1' },                                 403, 'submitted'],
  ['lead',          { type: 'WITHDRAW', reason },                                                403, 'submitted'],
  ['officer',       { type: 'LIST_FOR_SUPERVISION', note: 'x' },                                 403, 'submitted'],
  ['procurator',    { type: 'WITHDRAW', reason },                                                403, 'submitted'],
  ['supervisor',    { type: 'ORDER_FILING', note: 'file it' },                                   403, 'submitted'],
  ['admin',         { type: 'LIST_FOR_SUPERVISION', note: 'x' },                                 403, 'submitted'],
  ['admin',         { type: 'WITHDRAW', reason },                                                403, 'submitted'],
  // out of scope, whatever the role → 404
  ['westLead',      { type: 'ACCEPT', caseNumber: 'HZ-2026-1' },                                 404, 'submitted'],
  ['nbOfficer',     { type: 'WITHDRAW', reason },                                                404, 'submitted'],
  ['nbLead',        { type: 'REQUEST_SUPPLEMENT', items: ['x'], reason },                        404, 'submitted'],
  ['nbProcurator',  { type: 'LIST_FOR_SUPERVISION', note: 'x' },                                 404, 'submitted'],
  ['jsSupervisor',  { type: 'LIST_FOR_SUPERVISION', note: 'x' },                                 404, 'submitted'],
  ['jsProcurator',  { type: 'ORDER_FILING', note: 'x' },                                         404, 'submitted'],
];

describe('scope matrix: one referral hz-amr → hz-psb', () => {
  let t: TestApp;
  let w: World;
  let k: ReturnType<typeof kit>;
  let shared: { id: string; version: number };
  let notFoundBody: Record<string, unknown>;

  beforeAll(async () => {
    t = await createTestApp({}, { world: true });
    w = await buildWorld(t);
    k = kit(t, w);
    shared = await k.submit({ title: 'Shared referral of the scope matrix' });
    const res = await k.get(randomUUID(), 'admin');
    notFoundBody = res.body;
  });
  afterAll(() => t?.close());

  describe('reads', () => {
    test.each(MATRIX)('GET /referrals/:id as $caller ($why) → in scope: $inScope', async (row) => {
      const res = await k.get(shared.id, row.caller);
      if (row.inScope) {
        expect(res.status).toBe(200);
        expect(res.body).toMatchObject({ id: shared.id, state: 'submitted' });
        expect(res.headers.etag).toBe(`"${res.body.version}"`);
      } else {
        expectProblem(res, 404, 'NOT_FOUND');
        // indistinguishable from a referral that does not exist
        expect(res.body).toEqual(notFoundBody);
      }
    });

    test.each(MATRIX)('GET /referrals as $caller lists it: $inScope', async (row) => {
      const res = await k.list(row.caller);
      expect(res.status).toBe(200);
      const ids = res.body.items.map((i: { id: string }) => i.id);
      expect(ids.includes(shared.id)).toBe(row.inScope);
      // every referral of this suite goes hz-amr → hz-psb: outsiders see none of them
      if (!row.inScope) expect(res.body.items).toEqual([]);
    });

    test.each(MATRIX)('GET /referrals/:id/timeline as $caller → in scope: $inScope', async (row) => {
      const res = await k.timeline(shared.id, row.caller);
      expect(res.status).toBe(read(row));
      if (row.inScope) expect(res.body.items[0]).toMatchObject({ seq: 1, type: 'SUBMIT', toState: 'submitted' });
      else expectProblem(res, 404, 'NOT_FOUND');
    });

    test.each(MATRIX)('GET /referrals/:id/verify as $caller → in scope: $inScope', async (row) => {
      const res = await k.verify(shared.id, row.caller);
      expect(res.status).toBe(read(row));
      if (row.inScope) expect(res.body).toMatchObject({ valid: true, events: expect.any(Number) });
      else expectProblem(res, 404, 'NOT_FOUND');
    });
  });

  describe('COMMENT (the only event that mutates the shared referral)', () => {
    test.each(MATRIX)('COMMENT as $caller → in scope: $inScope', async (row) => {
      const res = await k.send(shared.id, row.caller, { type: 'COMMENT', text: `comment by ${row.caller}` });
      if (row.inScope) {
        expect(res.status).toBe(200);
        expect(res.body).toMatchObject({ id: shared.id, state: 'submitted' });
      } else {
        expectProblem(res, 404, 'NOT_FOUND');
        expect(res.body).toEqual(notFoundBody);
      }
    });

    test('out-of-scope callers with a stale If-Match still get 404, not 412', async () => {
      for (const row of MATRIX.filter((r) => !r.inScope)) {
        const res = await k.send(shared.id, row.caller, { type: 'COMMENT', text: 'x' }, 999);
        expectProblem(res, 404, 'NOT_FOUND');
      }
    });

    test('only the in-scope comments reached the timeline, in order', async () => {
      const res = await k.timeline(shared.id);
      const comments = res.body.items.filter((e: { type: string }) => e.type === 'COMMENT');
      expect(comments.map((e: { payload: { text: string } }) => e.payload.text)).toEqual(
        IN_SCOPE.map((r) => `comment by ${r.caller}`),
      );
      const ref = await k.get(shared.id, 'admin');
      expect(ref.body.version).toBe(1 + IN_SCOPE.length);
      expect((await k.verify(shared.id)).body).toMatchObject({ valid: true, events: 1 + IN_SCOPE.length });
    });
  });

  describe('ACKNOWLEDGE on a fresh referral', () => {
    test.each(MATRIX)('ACKNOWLEDGE as $caller → $ack', async (row) => {
      const r = await k.submit();
      const res = await k.send(r.id, row.caller, { type: 'ACKNOWLEDGE' });
      expect(res.status).toBe(row.ack);
      if (row.ack === 200) {
        expect(res.body.state).toBe('under-review');
      } else {
        expectProblem(res, row.ack, row.ack === 403 ? 'FORBIDDEN' : 'NOT_FOUND');
        const after = await k.get(r.id, 'admin');
        expect(after.body).toMatchObject({ state: 'submitted', version: 1 });
      }
    });

    test('ACKNOWLEDGE twice by the target police → 409 with allowedEvents', async () => {
      const r = await k.submit();
      await k.must(r.id, 'policeOfficer', { type: 'ACKNOWLEDGE' });
      const res = await k.send(r.id, 'lead', { type: 'ACKNOWLEDGE' });
      expectProblem(res, 409, 'TRANSITION_NOT_ALLOWED');
      expect(res.body.allowedEvents).toEqual(expect.arrayContaining(['RECORD_REVIEW', 'COMMENT']));
      expect(res.body.allowedEvents).not.toContain('ACKNOWLEDGE');
    });
  });

  describe('role-specific events on a fresh referral', () => {
    test.each(EVENTS)('%s sends %j → %i, state %s', async (caller, event, status, stateAfter) => {
      const r = await k.submit();
      const res = await k.send(r.id, caller, event);
      expect({ status: res.status, code: res.body.code }).toMatchObject({ status });
      const timeline = await k.timeline(r.id);
      const after = await k.get(r.id, 'admin');
      expect(after.body.state).toBe(stateAfter);
      if (status === 200) {
        expect(res.body.state).toBe(stateAfter);
        expect(timeline.body.items.map((e: { type: string }) => e.type)).toEqual(['SUBMIT', event.type]);
        if (event.type === 'LIST_FOR_SUPERVISION') expect(after.body.flags).toContain('listed-supervision');
        return;
      }
      const code = ({ 403: 'FORBIDDEN', 404: 'NOT_FOUND', 409: 'TRANSITION_NOT_ALLOWED' } as const)[status];
      expectProblem(res, status, code);
      if (status === 409) {
        // allowedEvents is what the caller may do now: the same list GET shows them
        const view = await k.get(r.id, caller);
        expect(res.body.allowedEvents).toEqual(view.body.allowedEvents);
        expect(res.body.allowedEvents).not.toContain(event.type);
        expect(res.body.allowedEvents).toContain('COMMENT');
      }
      // refused events leave no trace
      expect(timeline.body.items.map((e: { type: string }) => e.type)).toEqual(['SUBMIT']);
      expect(after.body.version).toBe(1);
    });
  });

  describe('suspect ID numbers', () => {
    // prettier-ignore
    test.each([
      ['officer', true], ['policeOfficer', true], ['lead', true],
      ['procurator', false], ['supervisor', false], ['admin', false],
    ] as [Caller, boolean][])('%s sees the full idNumber: %s', async (caller, full) => {
      const [one, list, timeline] = await Promise.all([k.get(shared.id, caller), k.list(caller), k.timeline(shared.id, caller)]);
      const fromList = list.body.items.find((i: { id: string }) => i.id === shared.id);
      const seen = [one.body.suspects[0].idNumber, fromList.suspects[0].idNumber, timeline.body.items[0].payload.suspects[0].idNumber];
      for (const idNumber of seen) {
        if (full) expect(idNumber).toBe(FULL_ID);
        else expect(idNumber).toMatch(/^9133\*+12$/);
      }
    });
  });

  describe('ids that lead nowhere', () => {
    const paths = (id: string) => [
      ['GET', `/api/v1/referrals/${id}`],
      ['GET', `/api/v1/referrals/${id}/timeline`],
      ['GET', `/api/v1/referrals/${id}/verify`],
      ['POST', `/api/v1/referrals/${id}/events`],
    ];
    test.each([
      ['a random UUID', randomUUID()],
      ['a malformed id', 'not-a-uuid'],
      ['a numeric id', '12345'],
    ])('%s → 404 NOT_FOUND on every endpoint', async (_, id) => {
      for (const [method, path] of paths(id)) {
        const req = method === 'GET' ? t.http().get(path) : t.http().post(path).send({ type: 'COMMENT', text: 'x' });
        const res = await req.set('Authorization', k.auth('admin'));
        expectProblem(res, 404, 'NOT_FOUND');
      }
    });
  });
});

// The same callers on an administrative case recorded by hz-amr (330100): the recording
// agency, and procuratorates / supervisors whose region covers 330100 (API.md scope).
// The police, other regulators and overseers elsewhere get 404, as for a case that does not exist.
// prettier-ignore
const ADMIN_CASE_SCOPE: { caller: Caller; why: string; inScope: boolean; fullIds: boolean }[] = [
  { caller: 'officer',       why: 'recording agency (hz-amr)',           inScope: true,  fullIds: true },
  { caller: 'policeOfficer', why: 'police: no part in an admin case',    inScope: false, fullIds: false },
  { caller: 'lead',          why: 'police: no part in an admin case',    inScope: false, fullIds: false },
  { caller: 'westLead',      why: 'other police unit',                   inScope: false, fullIds: false },
  { caller: 'procurator',    why: 'procuratorate 330100 covers it',      inScope: true,  fullIds: false },
  { caller: 'supervisor',    why: 'supervisor 330000 covers it',         inScope: true,  fullIds: false },
  { caller: 'nbOfficer',     why: 'regulator in another prefecture',     inScope: false, fullIds: false },
  { caller: 'nbLead',        why: 'police in another prefecture',        inScope: false, fullIds: false },
  { caller: 'nbProcurator',  why: 'procuratorate 330200 does not cover', inScope: false, fullIds: false },
  { caller: 'jsSupervisor',  why: 'supervisor of another province',      inScope: false, fullIds: false },
  { caller: 'jsProcurator',  why: 'procuratorate of another province',   inScope: false, fullIds: false },
  { caller: 'admin',         why: 'admin reads everything',              inScope: true,  fullIds: false },
];

describe('scope matrix: one administrative case of hz-amr', () => {
  let t: TestApp;
  let w: World;
  let k: ReturnType<typeof kit>;
  let shared: { id: string; caseNo: string };
  let notFoundBody: Record<string, unknown>;
  const get = (path: string, caller: Caller) => t.http().get(path).set('Authorization', k.auth(caller));

  beforeAll(async () => {
    t = await createTestApp({}, { world: true });
    w = await buildWorld(t);
    k = kit(t, w);
    const res = await t
      .http()
      .post('/api/v1/admin-cases')
      .set('Authorization', k.auth('officer'))
      .send({
        caseNo: '杭市监处罚〔2026〕scope',
        domain: 'food',
        title: 'Shared case of the scope matrix',
        summary: 'Pork from sick pigs.',
        parties: [{ kind: 'organization', name: 'Hangzhou Example Trading Co.', idNumber: FULL_ID }],
        facts: { findings: ['sick-animal-meat'] },
        penalty: { decisionNo: '杭市监处罚〔2026〕9号', decidedAt: '2026-03-01', kinds: ['warning'] },
      });
    expect(res.status).toBe(201);
    shared = res.body;
    notFoundBody = (await get(`/api/v1/admin-cases/${randomUUID()}`, 'admin')).body;
  });
  afterAll(() => t?.close());

  test.each(ADMIN_CASE_SCOPE)('GET /admin-cases/:id as $caller ($why) → in scope: $inScope', async (row) => {
    const res = await get(`/api/v1/admin-cases/${shared.id}`, row.caller);
    if (!row.inScope) {
      expectProblem(res, 404, 'NOT_FOUND');
      expect(res.body).toEqual(notFoundBody);
      return;
    }
    expect(res.status).toBe(200);
    expect(res.headers.etag).toBe('"1"');
    const idNumber = res.body.parties[0].idNumber;
    if (row.fullIds) expect(idNumber).toBe(FULL_ID);
    else expect(idNumber).toMatch(/^9133\*+12$/);
  });

  test.each(ADMIN_CASE_SCOPE)('GET /admin-cases (and ?flag=flagged) as $caller lists it: $inScope', async (row) => {
    for (const query of ['', '?flag=flagged']) {
      const res = await get(`/api/v1/admin-cases${query}`, row.caller);
      expect(res.status).toBe(200);
      expect(res.body.items.map((i: { id: string }) => i.id).includes(shared.id)).toBe(row.inScope);
    }
  });

  test.each([
    ['a random UUID', randomUUID()],
    ['a malformed id', 'not-a-uuid'],
  ])('%s → 404 NOT_FOUND', async (_, id) => {
    expectProblem(await get(`/api/v1/admin-cases/${id}`, 'admin'), 404, 'NOT_FOUND');
  });
});

// The other workflows follow the referral's rule on their own two agencies: a
// recommendation of hz-pro to hz-amr, a reverse transfer of hz-psb to hz-amr.
interface InstanceScopeRow {
  caller: Caller;
  recommendation: boolean;
  reverseTransfer: boolean;
  /** INSIST on a fresh (issued) recommendation */
  insist: 403 | 404 | 409;
  /** RECEIVE on a fresh (transferred) reverse transfer */
  receive: 200 | 403 | 404;
}

// prettier-ignore
const INSTANCE_SCOPE: InstanceScopeRow[] = [
  // caller               recommendation  reverseTransfer  INSIST  RECEIVE
  { caller: 'officer',       recommendation: true,  reverseTransfer: true,  insist: 403, receive: 200 }, // target of both
  { caller: 'policeOfficer', recommendation: false, reverseTransfer: true,  insist: 404, receive: 403 }, // source agency of the reverse transfer
  { caller: 'lead',          recommendation: false, reverseTransfer: true,  insist: 404, receive: 403 },
  { caller: 'westLead',      recommendation: false, reverseTransfer: false, insist: 404, receive: 404 },
  { caller: 'procurator',    recommendation: true,  reverseTransfer: true,  insist: 409, receive: 403 }, // source / oversight
  { caller: 'supervisor',    recommendation: true,  reverseTransfer: true,  insist: 403, receive: 403 }, // oversight
  { caller: 'nbOfficer',     recommendation: false, reverseTransfer: false, insist: 404, receive: 404 },
  { caller: 'nbLead',        recommendation: false, reverseTransfer: false, insist: 404, receive: 404 },
  { caller: 'nbProcurator',  recommendation: false, reverseTransfer: false, insist: 404, receive: 404 },
  { caller: 'jsSupervisor',  recommendation: false, reverseTransfer: false, insist: 404, receive: 404 },
  { caller: 'jsProcurator',  recommendation: false, reverseTransfer: false, insist: 404, receive: 404 },
  { caller: 'admin',         recommendation: true,  reverseTransfer: true,  insist: 403, receive: 403 },
];

describe('scope matrix: a recommendation hz-pro → hz-amr and a reverse transfer hz-psb → hz-amr', () => {
  let t: TestApp;
  let w: World;
  let k: ReturnType<typeof kit>;
  const ids = { recommendation: '', reverseTransfer: '' };
  const path = { recommendation: '/api/v1/recommendations', reverseTransfer: '/api/v1/reverse-transfers' };
  const as = (caller: Caller) => ({
    get: (p: string) => t.http().get(p).set('Authorization', k.auth(caller)),
    post: (p: string, body: object) => t.http().post(p).set('Authorization', k.auth(caller)).send(body),
  });
  const newRecommendation = async () => {
    const c = await as('officer').post('/api/v1/admin-cases', {
      caseNo: `杭市监处罚〔2026〕${randomUUID().slice(0, 8)}`,
      domain: 'food',
      title: 'Pork from sick pigs',
      summary: 'Pork from sick pigs sold at a market.',
      parties: [{ kind: 'organization', name: 'Hangzhou Example Trading Co.', idNumber: FULL_ID }],
      facts: { findings: ['sick-animal-meat'] },
      penalty: { decisionNo: '杭市监处罚〔2026〕9号', decidedAt: '2026-03-01', kinds: ['warning'] },
    });
    const r = await as('procurator').post(path.recommendation, {
      adminCaseId: c.body.id,
      reasons: 'Art. 143: any amount of sick meat.',
    });
    expect(r.status).toBe(201);
    return r.body.id as string;
  };
  const newReverseTransfer = async () => {
    const r = await as('lead').post(path.reverseTransfer, {
      basis: 'not-filed',
      targetAgencyId: w.agencies.hzAmr,
      reasons: 'Below the threshold; a penalty is called for',
      domain: 'food',
      title: 'Expired meat',
      summary: 'Expired meat sold by a supplier.',
      parties: [{ kind: 'organization', name: 'Hangzhou Example Trading Co.', idNumber: FULL_ID }],
    });
    expect(r.status).toBe(201);
    return r.body.id as string;
  };

  beforeAll(async () => {
    t = await createTestApp({}, { world: true });
    w = await buildWorld(t);
    k = kit(t, w);
    ids.recommendation = await newRecommendation();
    ids.reverseTransfer = await newReverseTransfer();
  });
  afterAll(() => t?.close());

  describe.each(['recommendation', 'reverseTransfer'] as const)('%s', (which) => {
    test.each(INSTANCE_SCOPE)(`GET, list and COMMENT as $caller → in scope: $${which}`, async (row) => {
      const inScope = row[which];
      const read = await as(row.caller).get(`${path[which]}/${ids[which]}`);
      if (inScope) {
        expect(read.status).toBe(200);
        const masked = !['officer', ...(which === 'reverseTransfer' ? ['policeOfficer', 'lead'] : ['procurator'])].includes(
          row.caller,
        );
        expect(read.body.parties[0].idNumber === FULL_ID).toBe(!masked);
      } else {
        expectProblem(read, 404, 'NOT_FOUND');
      }
      const list = await as(row.caller).get(`${path[which]}?limit=100`);
      expect(list.body.items.map((i: { id: string }) => i.id).includes(ids[which])).toBe(inScope);
      const comment = await as(row.caller).post(`${path[which]}/${ids[which]}/events`, { type: 'COMMENT', text: 'seen' });
      if (inScope) expect(comment.status).toBe(200);
      else expectProblem(comment, 404, 'NOT_FOUND');
    });
  });

  test.each(INSTANCE_SCOPE)('INSIST on a fresh recommendation as $caller → $insist', async (row) => {
    const id = await newRecommendation();
    const res = await as(row.caller).post(`${path.recommendation}/${id}/events`, { type: 'INSIST', reasons: 'Insist' });
    expect(res.status).toBe(row.insist);
  });

  test.each(INSTANCE_SCOPE)('RECEIVE on a fresh reverse transfer as $caller → $receive', async (row) => {
    const id = await newReverseTransfer();
    const res = await as(row.caller).post(`${path.reverseTransfer}/${id}/events`, { type: 'RECEIVE' });
    expect(res.status).toBe(row.receive);
  });
});
