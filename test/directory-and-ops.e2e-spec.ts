// Authentication and the directory, listing referrals with filters and
// pagination, holiday calendars (and the deadline recomputation they cause),
// the workflow description endpoints, health and OpenAPI.
import type { Response } from 'supertest';
import { createTestApp, type TestApp } from './support/test-app';
import { actions, buildWorld, registerCampaign, type World } from './support/world';

type User = keyof World['tokens'];

// API.md's event table, in its order.
const CLIENT_EVENTS = [
  'ACKNOWLEDGE',
  'REQUEST_SUPPLEMENT',
  'SUPPLEMENT',
  'FORWARD',
  'EXTEND_REVIEW',
  'RECORD_REVIEW',
  'RETURN_TO_REVIEW',
  'ACCEPT',
  'DECLINE',
  'REQUEST_RECONSIDERATION',
  'UPHOLD_DECLINE',
  'REQUEST_SUPERVISION',
  'ACCEPT_DECISION',
  'REQUIRE_REASONS',
  'SUBMIT_REASONS',
  'ORDER_FILING',
  'UPHOLD_NON_FILING',
  'HANDOVER_EVIDENCE',
  'START_JOINT_RECTIFICATION',
  'REPORT_PROGRESS',
  'COMPLETE_TASK',
  'COMPLETE_RECTIFICATION',
  'CLOSE',
  'WITHDRAW',
  'LIST_FOR_SUPERVISION',
  'REPORT_SUPERVISION_PROGRESS',
  'DELIST',
  'COMMENT',
];

let t: TestApp;
let w: World;
let a: ReturnType<typeof actions>;

beforeAll(async () => {
  t = await createTestApp({}, { world: true });
  w = await buildWorld(t);
  a = actions(t, w);
});
afterAll(() => t?.close());

// ---- small helpers ------------------------------------------------------------

function expectProblem(res: Response, status: number, code: string) {
  expect({ status: res.status, code: res.body.code }).toEqual({ status, code });
  expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
  expect(res.body).toMatchObject({ type: 'about:blank', status });
  expect(res.headers['x-request-id']).toBeTruthy();
}

const getAs = (user: User, path: string) => t.http().get(path).set('Authorization', a.auth(user));
const postAs = (user: User, path: string, body: object) => t.http().post(path).set('Authorization', a.auth(user)).send(body);
const putAs = (user: User, path: string, body: object) => t.http().put(path).set('Authorization', a.auth(user)).send(body);

async function listReferrals(user: User, query: Record<string, string | number> = {}) {
  const res = await getAs(user, '/api/v1/referrals').query(query);
  expect(res.status).toBe(200);
  return res.body as {
    items: { id: string; state: string; campaign: string | null; sourceAgency: { id: string }; targetAgency: { id: string } }[];
    nextCursor: string | null;
  };
}
const idsOf = (page: { items: { id: string }[] }) => page.items.map((r) => r.id);

/** The local (Asia/Shanghai, UTC+8, no DST) calendar date of an instant. */
const shanghaiDate = (d: Date) => new Date(d.getTime() + 8 * 3_600_000).toISOString().slice(0, 10);
/** 24:00 Shanghai of the given date, as an instant. */
const endOfShanghaiDay = (date: string) => new Date(Date.parse(`${date}T00:00:00+08:00`) + 86_400_000);
const addDays = (date: string, n: number) =>
  new Date(Date.parse(`${date}T00:00:00Z`) + n * 86_400_000).toISOString().slice(0, 10);

function isRestDay(date: string, cal: { holidays: string[]; workdays: string[] }) {
  if (cal.holidays.includes(date)) return true;
  if (cal.workdays.includes(date)) return false;
  const dow = new Date(`${date}T00:00:00Z`).getUTCDay();
  return dow === 0 || dow === 6;
}

// ---- authentication and the directory -----------------------------------------

describe('authentication and directory', () => {
  it('refuses a wrong password with 401 problem+json', async () => {
    const res = await t.http().post('/api/v1/auth/login').send({ username: 'officer', password: 'wrong-password-1' });
    expectProblem(res, 401, 'UNAUTHENTICATED');
    expect(res.body.accessToken).toBeUndefined();
  });

  it('logs in and answers /auth/me with the user and agency', async () => {
    const login = await t.http().post('/api/v1/auth/login').send({ username: 'officer', password: 'password-12345' });
    expect(login.status).toBe(200);
    expect(login.body).toMatchObject({ tokenType: 'Bearer', user: { username: 'officer' } });
    expect(login.body.expiresIn).toBeGreaterThan(0);

    const me = await t.http().get('/api/v1/auth/me').set('Authorization', `Bearer ${login.body.accessToken}`);
    expect(me.status).toBe(200);
    expect(me.body).toMatchObject({
      id: w.userIds.officer,
      username: 'officer',
      displayName: 'officer',
      roles: ['agency-officer'],
      agency: {
        id: w.agencies.hzAmr,
        code: 'hz-amr',
        name: 'Hangzhou Market Regulation',
        kind: 'regulator',
        regionCode: '330100',
      },
    });
  });

  it('needs a token', async () => {
    expectProblem(await t.http().get('/api/v1/auth/me'), 401, 'UNAUTHENTICATED');
    expectProblem(await t.http().get('/api/v1/referrals'), 401, 'UNAUTHENTICATED');
    expectProblem(await t.http().get('/api/v1/auth/me').set('Authorization', 'Bearer not-a-token'), 401, 'UNAUTHENTICATED');
  });

  it('lets only admins create agencies', async () => {
    const body = { code: 'sh-amr', name: 'Shanghai Market Regulation', kind: 'regulator', regionCode: '310000' };
    expectProblem(await postAs('lead', '/api/v1/agencies', body), 403, 'FORBIDDEN');
    const [{ n }] = await t.db.query(`SELECT count(*)::int AS n FROM agencies WHERE code = 'sh-amr'`);
    expect(n).toBe(0);
    const created = await postAs('admin', '/api/v1/agencies', body);
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject(body);
  });

  it('refuses a password shorter than 12 characters', async () => {
    const res = await postAs('admin', '/api/v1/users', {
      username: 'shortpw',
      password: 'short-pw-11',
      displayName: 'Short',
      agencyId: w.agencies.hzAmr,
      roles: ['agency-officer'],
    });
    expectProblem(res, 400, 'VALIDATION_FAILED');
    expect(res.body.errors.map((e: { field: string }) => e.field)).toContain('password');
  });

  it('refuses a role that does not fit the agency kind', async () => {
    const res = await postAs('admin', '/api/v1/users', {
      username: 'misfit',
      password: 'long-enough-pw-1',
      displayName: 'Misfit',
      agencyId: w.agencies.hzAmr,
      roles: ['police-lead'],
    });
    expectProblem(res, 400, 'VALIDATION_FAILED');
    expect(res.body.errors.map((e: { field: string }) => e.field)).toContain('roles');
    const [{ n }] = await t.db.query(`SELECT count(*)::int AS n FROM users WHERE username = 'misfit'`);
    expect(n).toBe(0);
  });

  it('lists agencies by kind for any authenticated user', async () => {
    const res = await getAs('officer', '/api/v1/agencies').query({ kind: 'police' });
    expect(res.status).toBe(200);
    expect(res.body.items.map((x: { code: string }) => x.code).sort()).toEqual(['hz-psb', 'hz-psb-west', 'nb-psb']);
    expect(res.body.items.every((x: { kind: string }) => x.kind === 'police')).toBe(true);
  });
});

// ---- listing referrals ---------------------------------------------------------

describe('listing referrals', () => {
  it('filters by state', async () => {
    const submitted = await a.submit();
    const reviewing = await a.submit();
    expect((await a.send(reviewing.id, 'policeOfficer', { type: 'ACKNOWLEDGE' })).status).toBe(200);

    const page = await listReferrals('lead', { state: 'under-review', limit: 100 });
    expect(idsOf(page)).toContain(reviewing.id);
    expect(idsOf(page)).not.toContain(submitted.id);
    expect(page.items.every((r) => r.state === 'under-review')).toBe(true);
  });

  it('filters by direction', async () => {
    const r = await a.submit();
    const incoming = await listReferrals('lead', { direction: 'incoming', limit: 100 });
    expect(idsOf(incoming)).toContain(r.id);
    expect(incoming.items.every((x) => x.targetAgency.id === w.agencies.hzPsb)).toBe(true);
    expect((await listReferrals('lead', { direction: 'outgoing' })).items).toEqual([]);

    const outgoing = await listReferrals('officer', { direction: 'outgoing', limit: 100 });
    expect(idsOf(outgoing)).toContain(r.id);
    expect(outgoing.items.every((x) => x.sourceAgency.id === w.agencies.hzAmr)).toBe(true);
    expect((await listReferrals('officer', { direction: 'incoming' })).items).toEqual([]);
  });

  it('filters by campaign and by free text', async () => {
    await registerCampaign(t, w.tokens.admin, 'kunlun-wildlife', { domains: ['wildlife'] });
    const wildlife = await a.submit({
      campaign: 'kunlun-wildlife',
      domain: 'wildlife',
      title: 'Pangolin scales seized at a Hangzhou market',
    });
    const other = await a.submit({ campaign: 'kunlun-2026' });

    const byCampaign = await listReferrals('officer', { campaign: 'kunlun-wildlife' });
    expect(idsOf(byCampaign)).toEqual([wildlife.id]);

    const byTitle = await listReferrals('officer', { q: 'pangolin' });
    expect(idsOf(byTitle)).toEqual([wildlife.id]);
    const byReference = await listReferrals('officer', { q: String(other.referenceNo) });
    expect(idsOf(byReference)).toEqual([other.id]);
  });

  it('filters overdue referrals', async () => {
    const late = await a.submit();
    const onTime = await a.submit();
    await t.db.query(`UPDATE deadlines SET due_at = now() - interval '1 hour' WHERE referral_id = $1 AND kind = 'review'`, [
      late.id,
    ]);

    const overdue = await listReferrals('lead', { overdue: 'true', limit: 100 });
    expect(idsOf(overdue)).toContain(late.id);
    expect(idsOf(overdue)).not.toContain(onTime.id);
  });

  it('pages with limit and cursor', async () => {
    await registerCampaign(t, w.tokens.admin, 'paging-test');
    const created = [];
    for (let i = 0; i < 5; i++) created.push((await a.submit({ campaign: 'paging-test', title: `Paging ${i}` })).id);

    const seen: string[] = [];
    const sizes: number[] = [];
    let cursor: string | null = null;
    do {
      const page = await listReferrals('officer', { campaign: 'paging-test', limit: 2, ...(cursor ? { cursor } : {}) });
      sizes.push(page.items.length);
      seen.push(...idsOf(page));
      cursor = page.nextCursor;
    } while (cursor && sizes.length < 10);

    expect(sizes).toEqual([2, 2, 1]);
    expect(cursor).toBeNull();
    expect(new Set(seen).size).toBe(5);
    expect([...seen].sort()).toEqual([...created].sort());
    expect(seen).toEqual([...created].reverse()); // newest first
  });

  it('shows only referrals in the caller’s scope', async () => {
    const r = await a.submit();
    const nb = await listReferrals('nbOfficer', { limit: 100 });
    expect(nb.items).toEqual([]);
    expect((await listReferrals('nbLead', { limit: 100 })).items).toEqual([]);
    expect(idsOf(await listReferrals('procurator', { limit: 100 }))).toContain(r.id);
    expect((await listReferrals('nbProcurator', { limit: 100 })).items).toEqual([]);
  });
});

// ---- calendars -----------------------------------------------------------------

describe('calendars', () => {
  it('shows the shipped 2026 calendar and empty lists for an unloaded year', async () => {
    const y2026 = await getAs('officer', '/api/v1/calendars/2026');
    expect(y2026.status).toBe(200);
    expect(y2026.body.year).toBe(2026);
    expect(y2026.body.holidays).toContain('2026-10-01');
    expect(y2026.body.workdays).toContain('2026-10-10');

    const y2031 = await getAs('officer', '/api/v1/calendars/2031');
    expect(y2031.status).toBe(200);
    expect(y2031.body).toEqual({ year: 2031, holidays: [], workdays: [] });
  });

  it('lets only admins replace a year, and refuses dates of another year', async () => {
    const current = (await getAs('admin', '/api/v1/calendars/2026')).body;
    const body = { holidays: current.holidays, workdays: current.workdays };
    expectProblem(await putAs('lead', '/api/v1/calendars/2026', body), 403, 'FORBIDDEN');
    expectProblem(
      await putAs('admin', '/api/v1/calendars/2026', { ...body, holidays: [...body.holidays, '2027-01-01'] }),
      400,
      'VALIDATION_FAILED',
    );
    expect((await getAs('admin', '/api/v1/calendars/2026')).body.holidays).not.toContain('2027-01-01');
  });

  it('recomputes a pending review deadline when its last day becomes a holiday', async () => {
    const r = await a.submit();
    let [review] = await t.db.query(`SELECT id, due_at, version FROM deadlines WHERE referral_id = $1 AND kind = 'review'`, [
      r.id,
    ]);
    let lastDay = shanghaiDate(new Date(review.due_at.getTime() - 1));
    if (!lastDay.startsWith('2026-')) {
      // Run outside late 2026: pin the deadline into 2026 (Tue 2026-03-10 10:00 local → ends Fri 2026-03-13 24:00).
      await t.db.query(`UPDATE deadlines SET starts_at = $2, due_at = $3 WHERE id = $1`, [
        review.id,
        new Date('2026-03-10T10:00:00+08:00'),
        endOfShanghaiDay('2026-03-13'),
      ]);
      [review] = await t.db.query(`SELECT id, due_at, version FROM deadlines WHERE id = $1`, [review.id]);
      lastDay = '2026-03-13';
    }

    const current = (await getAs('admin', '/api/v1/calendars/2026')).body;
    const next = { holidays: [...current.holidays, lastDay], workdays: current.workdays.filter((d: string) => d !== lastDay) };
    let expectedDay = addDays(lastDay, 1);
    while (isRestDay(expectedDay, next)) expectedDay = addDays(expectedDay, 1);

    const res = await putAs('admin', '/api/v1/calendars/2026', next);
    expect(res.status).toBe(200);
    expect(res.body.holidays).toContain(lastDay);

    const [after] = await t.db.query(`SELECT due_at, version, status FROM deadlines WHERE id = $1`, [review.id]);
    expect(after.status).toBe('pending');
    expect(after.due_at.toISOString()).toBe(endOfShanghaiDay(expectedDay).toISOString());
    expect(after.version).toBeGreaterThan(review.version);
    const outbox = await t.db.query(`SELECT payload FROM outbox WHERE topic = 'deadline' AND dedupe_key = $1`, [
      `deadline:${review.id}:v${after.version}`,
    ]);
    expect(outbox).toHaveLength(1);
    expect(outbox[0].payload).toMatchObject({ deadlineId: review.id, version: after.version });

    const view = await a.get(r.id, 'lead');
    expect(view.body.deadlines.find((d: { id: string }) => d.id === review.id).dueAt).toBe(after.due_at.toISOString());

    // put the shipped calendar back for the rest of the file
    expect(
      (await putAs('admin', '/api/v1/calendars/2026', { holidays: current.holidays, workdays: current.workdays })).status,
    ).toBe(200);
  });
});

// ---- workflows -----------------------------------------------------------------

describe('workflows', () => {
  it('lists the referral workflow with its states and every client event', async () => {
    const res = await getAs('officer', '/api/v1/workflows');
    expect(res.status).toBe(200);
    const referral = res.body.items.find((x: { name: string }) => x.name === 'referral');
    expect(referral).toBeDefined();
    expect(referral.version).toBeDefined();
    expect(referral.states).toEqual(
      expect.arrayContaining([
        'submitted',
        'under-review',
        'procuratorial-supervision',
        'procuratorial-supervision.reasons-required',
        'closed',
        'withdrawn',
      ]),
    );
    expect(referral.events).toEqual(expect.arrayContaining(CLIENT_EVENTS));
  });

  it('draws the referral diagram as Mermaid text', async () => {
    const res = await getAs('officer', '/api/v1/workflows/referral/diagram');
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toMatch(/^text\/plain/);
    expect(res.text.startsWith('stateDiagram-v2')).toBe(true);
    expect(res.text).toContain('submitted --> under_review: ACKNOWLEDGE');
  });

  it('lists every workflow the engine runs, each with its deadline kinds and a diagram', async () => {
    const res = await getAs('officer', '/api/v1/workflows');
    expect(res.body.items.map((x: { name: string }) => x.name)).toEqual([
      'referral',
      'transfer-recommendation',
      'reverse-transfer',
    ]);
    const rec = res.body.items.find((x: { name: string }) => x.name === 'transfer-recommendation');
    expect(rec).toMatchObject({ finalStates: ['transferred', 'closed', 'withdrawn'] });
    expect(rec.events).toEqual(
      expect.arrayContaining(['TRANSFER', 'EXPLAIN', 'ACCEPT_EXPLANATION', 'INSIST', 'WITHDRAW', 'COMMENT']),
    );
    expect(rec.deadlines).toEqual([
      expect.objectContaining({ kind: 'recommendation-response', period: '3 calendar-days', responsible: 'target' }),
    ]);
    const rt = res.body.items.find((x: { name: string }) => x.name === 'reverse-transfer');
    expect(rt.deadlines.map((d: { kind: string; period: string }) => `${d.kind} ${d.period}`)).toEqual([
      'reverse-receipt 3 working-days',
      'reverse-reply 2 months',
    ]);
    for (const item of res.body.items) {
      expect(item.title.length).toBeGreaterThan(10);
      for (const d of item.deadlines) expect(d.legalBasis.length).toBeGreaterThan(10);
      const diagram = await getAs('officer', `/api/v1/workflows/${item.name}/diagram`);
      expect(diagram.status).toBe(200);
      expect(diagram.text).toMatch(/^stateDiagram-v2\n {2}state /);
    }
    const drawn = await getAs('officer', '/api/v1/workflows/reverse-transfer/diagram');
    expect(drawn.text).toContain('transferred --> received: RECEIVE');
  });

  it('answers 404 for an unknown workflow', async () => {
    expectProblem(await getAs('officer', '/api/v1/workflows/no-such-flow/diagram'), 404, 'NOT_FOUND');
  });
});

// ---- operations ----------------------------------------------------------------

describe('operations', () => {
  it('reports liveness and readiness', async () => {
    const live = await t.http().get('/health/live');
    expect(live.status).toBe(200);
    const ready = await t.http().get('/health/ready');
    expect(ready.status).toBe(200);
    expect(ready.body.checks).toEqual({ database: 'up', redis: 'up' });
  });

  it('publishes OpenAPI JSON with the events path', async () => {
    const res = await t.http().get('/docs-json');
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toMatch(/json/);
    expect(res.body.openapi).toMatch(/^3\./);
    expect(Object.keys(res.body.paths)).toContain('/api/v1/referrals/{id}/events');
  });

  it('puts an X-Request-Id on every response', async () => {
    const requests: [string, PromiseLike<Response>][] = [
      ['GET /health/live', t.http().get('/health/live')],
      ['GET /health/ready', t.http().get('/health/ready')],
      ['GET /docs-json', t.http().get('/docs-json')],
      ['GET /docs', t.http().get('/docs')],
      ['GET /api/v1/auth/me (401)', t.http().get('/api/v1/auth/me')],
      ['GET /api/v1/referrals', getAs('officer', '/api/v1/referrals')],
      ['GET /api/v1/referrals/:id (404)', getAs('officer', '/api/v1/referrals/00000000-0000-4000-8000-000000000000')],
      [
        'POST /api/v1/auth/login (401)',
        t.http().post('/api/v1/auth/login').send({ username: 'nobody', password: 'whatever-password' }),
      ],
      ['GET /no/such/route (404)', t.http().get('/no/such/route')],
    ];
    const ids = new Map<string, string | undefined>();
    for (const [label, req] of requests) ids.set(label, (await req).headers['x-request-id']);
    const missing = [...ids].filter(([, id]) => !id || !/^[A-Za-z0-9._:-]{1,128}$/.test(id)).map(([label]) => label);
    expect(missing).toEqual([]);
    expect(new Set(ids.values()).size).toBe(requests.length); // a fresh id per request

    const echoed = await t.http().get('/health/live').set('X-Request-Id', 'trace-abc-123');
    expect(echoed.headers['x-request-id']).toBe('trace-abc-123');
  });
});
