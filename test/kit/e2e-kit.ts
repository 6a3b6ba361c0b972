// Helpers shared by the scope, concurrency, bad-input and tamper suites.
// (re-exported with the rest of the kit by test/kit/index.ts)
import { Client } from 'pg';
import type { Response } from 'supertest';
import type { TestApp } from '../support/test-app';
import { actions, type World } from '../support/world';

/** The codes of API.md's "Errors" table. */
export const PROBLEM_CODES = [
  'VALIDATION_FAILED',
  'UNAUTHENTICATED',
  'FORBIDDEN',
  'NOT_FOUND',
  'TRANSITION_NOT_ALLOWED',
  'IDEMPOTENCY_KEY_REUSED',
  'ALREADY_EXISTS',
  'VERSION_CONFLICT',
  'PAYLOAD_TOO_LARGE',
  'RATE_LIMITED',
  'UNAVAILABLE',
] as const;
export type ProblemCode = (typeof PROBLEM_CODES)[number];

export type Caller = keyof World['tokens'];

/** An RFC 9457 problem with the given status and code. */
export function expectProblem(res: Response, status: number, code: ProblemCode): void {
  expect({ status: res.status, code: res.body?.code }).toEqual({ status, code });
  expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
  expect(res.body).toMatchObject({ type: expect.any(String), title: expect.any(String), status, code });
}

/** 400 VALIDATION_FAILED with `errors: [{field, message}]`, one of which names `field` (a prefix match, for nested paths). */
export function expectValidationFailed(res: Response, field?: string | RegExp): void {
  expectProblem(res, 400, 'VALIDATION_FAILED');
  expect(Array.isArray(res.body.errors)).toBe(true);
  expect(res.body.errors.length).toBeGreaterThan(0);
  for (const e of res.body.errors) expect(e).toEqual({ field: expect.any(String), message: expect.any(String) });
  if (field !== undefined) {
    const fields: string[] = res.body.errors.map((e: { field: string }) => e.field);
    const re = typeof field === 'string' ? new RegExp(`^${field.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}`) : field;
    expect(fields.some((f) => re.test(f))).toBe(true);
  }
}

export const COUNTED_TABLES = ['referrals', 'referral_events', 'deadlines', 'outbox', 'idempotency_keys'] as const;
export type RowCounts = Record<(typeof COUNTED_TABLES)[number], number>;

export async function countRows(t: TestApp): Promise<RowCounts> {
  const [row] = await t.db.query(
    `SELECT ${COUNTED_TABLES.map((table) => `(SELECT count(*) FROM ${table})::int AS ${table}`).join(', ')}`,
  );
  return row as RowCounts;
}

/** The suite's HTTP helpers: world's `actions` plus timeline/verify/list reads. */
export function kit(t: TestApp, w: World) {
  const a = actions(t, w);
  /** Sends an event and fails loudly unless it is accepted. */
  async function must(referralId: string, user: Caller, event: Record<string, unknown>) {
    const res = await a.send(referralId, user, event);
    if (res.status !== 200) throw new Error(`${event.type} by ${user}: ${res.status} ${JSON.stringify(res.body)}`);
    return res.body as { id: string; version: number; state: string; [k: string]: unknown };
  }
  return {
    ...a,
    must,
    timeline(referralId: string, user: Caller = 'admin') {
      return t.http().get(`/api/v1/referrals/${referralId}/timeline`).set('Authorization', a.auth(user));
    },
    verify(referralId: string, user: Caller = 'admin') {
      return t.http().get(`/api/v1/referrals/${referralId}/verify`).set('Authorization', a.auth(user));
    },
    list(user: Caller, query: Record<string, string> = {}) {
      return t
        .http()
        .get('/api/v1/referrals')
        .query({ limit: '100', ...query })
        .set('Authorization', a.auth(user));
    },
    /** submitted → under-review → reviewed (recommendation "file"). */
    async reviewed(overrides: Record<string, unknown> = {}) {
      const r = await a.submit(overrides);
      await must(r.id, 'policeOfficer', { type: 'ACKNOWLEDGE' });
      return must(r.id, 'policeOfficer', { type: 'RECORD_REVIEW', recommendation: 'file', opinion: 'Evidence supports filing' });
    },
  };
}

/** Runs one statement as the superuser with triggers off (session_replication_role = replica): tampering, for tests only. */
export async function asSuperuserBypassingTriggers(t: TestApp, sql: string, params: unknown[]): Promise<number> {
  const client = new Client({ connectionString: t.databaseUrl });
  await client.connect();
  try {
    await client.query('SET session_replication_role = replica');
    const res = await client.query(sql, params);
    return res.rowCount ?? 0;
  } finally {
    await client.end();
  }
}
