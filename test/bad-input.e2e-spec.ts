// Bad input to the two write endpoints: each is refused with a problem+json
// 4xx carrying a code of API.md's table, and nothing at all is written.
import type { Response } from 'supertest';
import { randomUUID } from 'node:crypto';
import { actions, buildWorld, referralBody, type World } from './support/world';
import { createTestApp, type TestApp } from './support/test-app';
import { countRows, expectProblem, expectValidationFailed, kit, PROBLEM_CODES, type Caller } from './kit/e2e-kit';

const TWO_MB = 2 * 1024 * 1024;

interface BadRequest {
  name: string;
  /** Who sends it (default officer). */
  as?: Caller;
  /** A JSON body, or a raw string sent as application/json. */
  body: (ctx: { w: World }) => unknown;
  raw?: boolean;
  headers?: Record<string, string>;
  status: number | number[];
  code: (typeof PROBLEM_CODES)[number];
  /** For VALIDATION_FAILED: a field that `errors` must name (prefix). */
  field?: string;
}

const valid = ({ w }: { w: World }) => referralBody(w.agencies.hzPsb);
const withSuspect =
  (extra: Record<string, unknown>) =>
  ({ w }: { w: World }) =>
    referralBody(w.agencies.hzPsb, { suspects: [{ kind: 'organization', name: 'Example Co.', ...extra }] });

// Every create carries an Idempotency-Key, so a refused one must not leave a key row behind either.
// prettier-ignore
const CREATE_CASES: BadRequest[] = [
  { name: 'amountInvolved as a number',          body: ({ w }) => referralBody(w.agencies.hzPsb, { amountInvolved: 182000 }),   status: 400, code: 'VALIDATION_FAILED', field: 'amountInvolved' },
  { name: 'amountInvolved as a float string',    body: ({ w }) => referralBody(w.agencies.hzPsb, { amountInvolved: '1.5e5' }),  status: 400, code: 'VALIDATION_FAILED', field: 'amountInvolved' },
  { name: 'suspects as a string',                body: ({ w }) => referralBody(w.agencies.hzPsb, { suspects: 'Example Co.' }),  status: 400, code: 'VALIDATION_FAILED', field: 'suspects' },
  { name: 'suspects as an array of strings',     body: ({ w }) => referralBody(w.agencies.hzPsb, { suspects: ['Example Co.'] }), status: 400, code: 'VALIDATION_FAILED', field: 'suspects' },
  { name: 'suspects empty',                      body: ({ w }) => referralBody(w.agencies.hzPsb, { suspects: [] }),             status: 400, code: 'VALIDATION_FAILED', field: 'suspects' },
  { name: 'title as a number',                   body: ({ w }) => referralBody(w.agencies.hzPsb, { title: 42 }),                status: 400, code: 'VALIDATION_FAILED', field: 'title' },
  { name: 'unknown domain',                      body: ({ w }) => referralBody(w.agencies.hzPsb, { domain: 'weapons' }),        status: 400, code: 'VALIDATION_FAILED', field: 'domain' },
  { name: 'unknown top-level field',             body: ({ w }) => referralBody(w.agencies.hzPsb, { priority: 'high' }),         status: 400, code: 'VALIDATION_FAILED', field: 'priority' },
  { name: 'unknown field inside suspects[]',     body: withSuspect({ nationality: 'CN' }),                                       status: 400, code: 'VALIDATION_FAILED', field: 'suspects.0' },
  // a nested array once slipped through as {"0": {...}}, past the masking of idNumber
  { name: 'suspects as a nested array',          body: ({ w }) => referralBody(w.agencies.hzPsb, { suspects: [[{ kind: 'organization', name: 'Example Co.', idNumber: '91330100MA2B3C4D12' }]] }), status: 400, code: 'VALIDATION_FAILED', field: 'suspects' },
  { name: 'suspects [null]',                     body: ({ w }) => referralBody(w.agencies.hzPsb, { suspects: [null] }),         status: 400, code: 'VALIDATION_FAILED', field: 'suspects' },
  { name: 'suspects [1]',                        body: ({ w }) => referralBody(w.agencies.hzPsb, { suspects: [1] }),            status: 400, code: 'VALIDATION_FAILED', field: 'suspects' },
  { name: 'bad suspects[].kind',                 body: withSuspect({ kind: 'robot' }),                                           status: 400, code: 'VALIDATION_FAILED', field: 'suspects.0' },
  { name: 'missing required fields',             body: () => ({ domain: 'food' }),                                               status: 400, code: 'VALIDATION_FAILED', field: 'targetAgencyId' },
  { name: 'targetAgencyId not a UUID',           body: ({ w }) => ({ ...valid({ w }), targetAgencyId: 'hz-psb' }),               status: 400, code: 'VALIDATION_FAILED', field: 'targetAgencyId' },
  { name: 'target does not exist',               body: ({ w }) => ({ ...valid({ w }), targetAgencyId: randomUUID() }),           status: 400, code: 'VALIDATION_FAILED', field: 'targetAgencyId' },
  { name: 'target is not police',                body: ({ w }) => ({ ...valid({ w }), targetAgencyId: w.agencies.hzPro }),       status: 400, code: 'VALIDATION_FAILED', field: 'targetAgencyId' },
  { name: 'body is a JSON array',                body: ({ w }) => [valid({ w })],                                                status: 400, code: 'VALIDATION_FAILED' },
  { name: 'malformed JSON',                      body: () => '{"title": "unterminated',                          raw: true,    status: 400, code: 'VALIDATION_FAILED' },
  { name: 'a bare JSON string',                  body: () => '"just a string"',                                  raw: true,    status: 400, code: 'VALIDATION_FAILED' },
  { name: 'a 2 MB body',                         body: ({ w }) => referralBody(w.agencies.hzPsb, { summary: 'x'.repeat(TWO_MB) }), status: 413, code: 'PAYLOAD_TOO_LARGE' },
  { name: 'Idempotency-Key over 200 characters', body: valid, headers: { 'Idempotency-Key': 'k'.repeat(201) },                   status: 400, code: 'VALIDATION_FAILED', field: 'Idempotency-Key' },
  { name: 'a police lead submitting',            as: 'lead', body: valid,                                                        status: 403, code: 'FORBIDDEN' },
];

// prettier-ignore
const EVENT_CASES: BadRequest[] = [
  { name: 'unknown event type',                  body: () => ({ type: 'ESCALATE' }),                                             status: 400, code: 'VALIDATION_FAILED', field: 'type' },
  { name: 'type missing',                        body: () => ({ text: 'hello' }),                                                status: 400, code: 'VALIDATION_FAILED', field: 'type' },
  { name: 'type as a number',                    body: () => ({ type: 7 }),                                                      status: 400, code: 'VALIDATION_FAILED', field: 'type' },
  // names that exist on every object: an event table looked up with `in` finds them
  { name: "type 'constructor'",                  body: () => ({ type: 'constructor' }),                                          status: 400, code: 'VALIDATION_FAILED', field: 'type' },
  { name: "type 'toString'",                     body: () => ({ type: 'toString' }),                                             status: 400, code: 'VALIDATION_FAILED', field: 'type' },
  { name: "type 'hasOwnProperty'",               body: () => ({ type: 'hasOwnProperty' }),                                       status: 400, code: 'VALIDATION_FAILED', field: 'type' },
  { name: 'lower-case event type',               body: () => ({ type: 'comment', text: 'hello' }),                               status: 400, code: 'VALIDATION_FAILED', field: 'type' },
  // the system sends these itself; API.md names no code, but they must be refused without a trace
  { name: 'DEADLINE_EXPIRED from a client',      as: 'lead', body: () => ({ type: 'DEADLINE_EXPIRED', deadlineId: randomUUID(), kind: 'review' }), status: [400, 403], code: 'VALIDATION_FAILED' },
  { name: 'DEADLINE_REMINDER from a client',     as: 'lead', body: () => ({ type: 'DEADLINE_REMINDER', deadlineId: randomUUID(), kind: 'review' }), status: [400, 403], code: 'VALIDATION_FAILED' },
  { name: 'COMMENT text as a number',            body: () => ({ type: 'COMMENT', text: 42 }),                                    status: 400, code: 'VALIDATION_FAILED', field: 'text' },
  { name: 'COMMENT text as an object',           body: () => ({ type: 'COMMENT', text: { en: 'hello' } }),                       status: 400, code: 'VALIDATION_FAILED', field: 'text' },
  { name: 'COMMENT text empty',                  body: () => ({ type: 'COMMENT', text: '' }),                                    status: 400, code: 'VALIDATION_FAILED', field: 'text' },
  { name: 'COMMENT with an unknown field',       body: () => ({ type: 'COMMENT', text: 'hello', urgent: true }),                 status: 400, code: 'VALIDATION_FAILED', field: 'urgent' },
  { name: 'ACKNOWLEDGE with an unknown field',   as: 'lead', body: () => ({ type: 'ACKNOWLEDGE', note: 'seen' }),                status: 400, code: 'VALIDATION_FAILED', field: 'note' },
  { name: 'REQUEST_SUPPLEMENT items as a string', as: 'lead', body: () => ({ type: 'REQUEST_SUPPLEMENT', items: 'letter', reason: 'x' }), status: 400, code: 'VALIDATION_FAILED', field: 'items' },
  { name: 'unknown field inside tasks[]',        as: 'lead', body: ({ w }) => ({ type: 'START_JOINT_RECTIFICATION', dueAt: '2026-12-31T00:00:00.000Z', tasks: [{ agencyId: w.agencies.hzAmr, description: 'Inspect', budget: 1 }] }), status: 400, code: 'VALIDATION_FAILED', field: 'tasks.0' },
  { name: 'tasks as a nested array',             as: 'lead', body: ({ w }) => ({ type: 'START_JOINT_RECTIFICATION', dueAt: '2026-12-31T00:00:00.000Z', tasks: [[{ agencyId: w.agencies.hzAmr, description: 'Inspect' }]] }), status: 400, code: 'VALIDATION_FAILED', field: 'tasks' },
  { name: 'tasks [null]',                        as: 'lead', body: () => ({ type: 'START_JOINT_RECTIFICATION', dueAt: '2026-12-31T00:00:00.000Z', tasks: [null] }), status: 400, code: 'VALIDATION_FAILED', field: 'tasks' },
  { name: 'tasks [1]',                           as: 'lead', body: () => ({ type: 'START_JOINT_RECTIFICATION', dueAt: '2026-12-31T00:00:00.000Z', tasks: [1] }), status: 400, code: 'VALIDATION_FAILED', field: 'tasks' },
  { name: 'inventory as a nested array',         body: () => ({ type: 'HANDOVER_EVIDENCE', inventory: [[{ item: 'labels' }]] }), status: 400, code: 'VALIDATION_FAILED', field: 'inventory' },
  { name: 'inventory [null]',                    body: () => ({ type: 'HANDOVER_EVIDENCE', inventory: [null] }),                 status: 400, code: 'VALIDATION_FAILED', field: 'inventory' },
  { name: 'inventory [1]',                       body: () => ({ type: 'HANDOVER_EVIDENCE', inventory: [1] }),                    status: 400, code: 'VALIDATION_FAILED', field: 'inventory' },
  { name: 'REQUEST_SUPPLEMENT items [[...]]',    as: 'lead', body: () => ({ type: 'REQUEST_SUPPLEMENT', items: [['letter']], reason: 'x' }), status: 400, code: 'VALIDATION_FAILED', field: 'items' },
  { name: 'body is a JSON array',                body: () => [{ type: 'COMMENT', text: 'hello' }],                               status: 400, code: 'VALIDATION_FAILED' },
  { name: 'malformed JSON',                      body: () => '{"type": "COMMENT", "text": ',                     raw: true,    status: 400, code: 'VALIDATION_FAILED' },
  { name: 'a bare JSON string',                  body: () => '"COMMENT"',                                        raw: true,    status: 400, code: 'VALIDATION_FAILED' },
  { name: 'JSON null',                           body: () => 'null',                                             raw: true,    status: 400, code: 'VALIDATION_FAILED' },
  { name: 'a 2 MB body',                         body: () => ({ type: 'COMMENT', text: 'x'.repeat(TWO_MB) }),                    status: 413, code: 'PAYLOAD_TOO_LARGE' },
  { name: 'If-Match garbage',                    body: () => ({ type: 'COMMENT', text: 'hello' }), headers: { 'If-Match': 'abc' }, status: 400, code: 'VALIDATION_FAILED', field: 'If-Match' },
  { name: 'If-Match of another version',         body: () => ({ type: 'COMMENT', text: 'hello' }), headers: { 'If-Match': '"99"' }, status: 412, code: 'VERSION_CONFLICT' },
];

describe('bad input writes nothing', () => {
  let t: TestApp;
  let w: World;
  let k: ReturnType<typeof kit>;
  let referralId: string;

  beforeAll(async () => {
    t = await createTestApp({}, { world: true });
    w = await buildWorld(t);
    k = kit(t, w);
    referralId = (await k.submit()).id;
  });
  afterAll(() => t?.close());

  async function expectRefusedWithoutWrites(c: BadRequest, path: string, extraHeaders: Record<string, string> = {}) {
    const before = await countRows(t);
    let req = t
      .http()
      .post(path)
      .set('Authorization', k.auth(c.as ?? 'officer'));
    for (const [h, v] of Object.entries({ ...extraHeaders, ...c.headers })) req = req.set(h, v);
    const body = c.body({ w });
    const res: Response = c.raw
      ? await req.set('Content-Type', 'application/json').send(body as string)
      : await req.send(body as object);

    const statuses = Array.isArray(c.status) ? c.status : [c.status];
    if (!statuses.includes(res.status)) {
      throw new Error(`expected status ${statuses.join(' or ')}, got ${res.status}: ${JSON.stringify(res.body)}`);
    }
    expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(PROBLEM_CODES).toContain(res.body.code);
    expect(res.body.status).toBe(res.status);
    if (res.status === 400) expectValidationFailed(res, c.field);
    else if (!Array.isArray(c.status)) expectProblem(res, c.status, c.code);
    expect(JSON.stringify(res.body)).not.toMatch(/\n\s+at /); // no stack trace

    expect(await countRows(t)).toEqual(before);
  }

  describe('POST /referrals', () => {
    test.each(CREATE_CASES)('$name → $status $code', (c) =>
      expectRefusedWithoutWrites(c, '/api/v1/referrals', { 'Idempotency-Key': randomUUID() }),
    );
  });

  describe('POST /referrals/:id/events', () => {
    test.each(EVENT_CASES)('$name → $status $code', (c) =>
      expectRefusedWithoutWrites(c, `/api/v1/referrals/${referralId}/events`),
    );

    test('the referral is untouched: version 1, only the SUBMIT on its timeline', async () => {
      const r = await k.get(referralId, 'admin');
      expect(r.body).toMatchObject({ state: 'submitted', version: 1 });
      expect((await k.timeline(referralId)).body.items.map((e: { type: string }) => e.type)).toEqual(['SUBMIT']);
    });
  });

  describe('the controls are writable at all', () => {
    // Guards the "nothing written" assertions above against a broken counter.
    test('a valid create and a valid COMMENT do change the counts', async () => {
      const before = await countRows(t);
      const created = await t
        .http()
        .post('/api/v1/referrals')
        .set('Authorization', k.auth('officer'))
        .set('Idempotency-Key', randomUUID())
        .send(referralBody(w.agencies.hzPsb));
      expect(created.status).toBe(201);
      const afterCreate = await countRows(t);
      expect(afterCreate.referrals).toBe(before.referrals + 1);
      expect(afterCreate.referral_events).toBe(before.referral_events + 1);
      expect(afterCreate.idempotency_keys).toBe(before.idempotency_keys + 1);
      expect(afterCreate.deadlines).toBeGreaterThan(before.deadlines);
      expect(afterCreate.outbox).toBeGreaterThan(before.outbox);

      expect((await k.send(created.body.id, 'officer', { type: 'COMMENT', text: 'hello' })).status).toBe(200);
      expect((await countRows(t)).referral_events).toBe(afterCreate.referral_events + 1);
    });
  });

  describe('errors never leak internals', () => {
    // A cursor that decodes but carries a non-UUID id: a query the service cannot run as given.
    const badCursor = Buffer.from(JSON.stringify(['2026-01-01T00:00:00.000Z', 'not-a-uuid'])).toString('base64url');

    test('GET /referrals with a cursor holding a non-UUID id → 400 VALIDATION_FAILED', async () => {
      const res = await t.http().get('/api/v1/referrals').query({ cursor: badCursor }).set('Authorization', k.auth('officer'));
      expectValidationFailed(res, 'cursor');
    });

    test('a 5xx, if any, carries an errorId and no stack trace', async () => {
      const res = await t.http().get('/api/v1/referrals').query({ cursor: badCursor }).set('Authorization', k.auth('officer'));
      expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
      const text = JSON.stringify(res.body);
      expect(text).not.toMatch(/\n\s+at |\.ts:\d+|node_modules|QueryFailedError|invalid input syntax/);
      expect(res.body).not.toHaveProperty('stack');
      if (res.status >= 500) expect(res.body.errorId).toEqual(expect.any(String));
    });
  });
});

describe('text PostgreSQL cannot store', () => {
  let t: TestApp;
  let w: World;
  beforeAll(async () => {
    t = await createTestApp({}, { world: true });
    w = await buildWorld(t);
  });
  afterAll(() => t?.close());

  it('answers a NUL character with 400 and writes nothing', async () => {
    const a = actions(t, w);
    const before = await t.db.query(`SELECT count(*)::int AS n FROM referrals`);
    const res = await t
      .http()
      .post('/api/v1/referrals')
      .set('Authorization', a.auth('officer'))
      .send(referralBody(w.agencies.hzPsb, { title: 'nul \u0000 here' }));
    expect(res.status).toBe(400);
    expect(res.body).toMatchObject({ code: 'VALIDATION_FAILED', errors: [{ field: 'body' }] });
    expect(await t.db.query(`SELECT count(*)::int AS n FROM referrals`)).toEqual(before);
  });
});
