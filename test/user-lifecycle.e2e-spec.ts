// The user lifecycle of API.md: listing and changing users, password reset and
// change, logout; every request re-checks the user behind a token or API key
// (active, token generation, logout), across processes; the notification
// stream and the queue dashboard end with the token; per-account login
// lockout; 409 ALREADY_EXISTS for taken agency codes and usernames.
import { JwtService } from '@nestjs/jwt';
import http from 'node:http';
import { randomUUID } from 'node:crypto';
import type { Redis } from 'ioredis';
import type { Response } from 'supertest';
import { PRODUCTION_HASH_COST } from '../src/auth/passwords';
import { loadConfig } from '../src/config/app-config';
import { REDIS } from '../src/redis/redis';
import { expectProblem, expectValidationFailed } from './kit/e2e-kit';
import { createSiblingApp, type SiblingApp } from './support/sibling-app';
import { ADMIN_PASSWORD, createTestApp, TEST_HASH_COST, type TestApp } from './support/test-app';
import { until } from './support/until';
import { buildWorld, PASSWORD, referralBody, type World } from './support/world';

const NEW_PASSWORD = 'a-new-password-456';

let t: TestApp;
let w: World;

beforeAll(async () => {
  t = await createTestApp({}, { world: true });
  w = await buildWorld(t);
});
afterAll(() => t?.close());

const bearer = (token: string) => `Bearer ${token}`;
/** 409 ALREADY_EXISTS problem+json (not in the shared kit's list of codes yet). */
function expectAlreadyExists(res: Response): void {
  expect({ status: res.status, code: res.body?.code }).toEqual({ status: 409, code: 'ALREADY_EXISTS' });
  expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
  expect(res.body).toMatchObject({ type: 'about:blank', title: 'Conflict', status: 409 });
}
const asAdmin = () => bearer(w.tokens.admin);
const me = (token: string) => t.http().get('/api/v1/auth/me').set('Authorization', bearer(token));
const patchUser = (id: string, body: object, token = w.tokens.admin) =>
  t.http().patch(`/api/v1/users/${id}`).set('Authorization', bearer(token)).send(body);
const login = (username: string, password = PASSWORD) => t.http().post('/api/v1/auth/login').send({ username, password });

let serial = 0;
/** A fresh user of its own, so that tests do not end each other's tokens; its token is issued as a login issues it (the tests log in where logging in is what they judge). */
async function newUser(agency: keyof World['agencies'] = 'hzAmr', roles = ['agency-officer']) {
  const username = `lc-user-${++serial}`;
  const res = await t
    .http()
    .post('/api/v1/users')
    .set('Authorization', asAdmin())
    .send({ username, password: PASSWORD, displayName: `User ${serial}`, agencyId: w.agencies[agency], roles });
  if (res.status !== 201) throw new Error(`user: ${res.status} ${JSON.stringify(res.body)}`);
  return { id: res.body.id as string, username, token: await t.token(username) };
}

describe('GET /api/v1/users', () => {
  it('lists people with active, filtered and paged, never the users behind API keys; admin only', async () => {
    const key = await t
      .http()
      .post('/api/v1/api-keys')
      .set('Authorization', asAdmin())
      .send({ name: 'listing probe', roles: ['agency-officer'], agencyId: w.agencies.hzAmr });
    expect(key.status).toBe(201);

    const all: { id: string; username: string; active: boolean; roles: string[]; agency: { id: string } }[] = [];
    let cursor: string | null | undefined = null;
    let pages = 0;
    do {
      const res = await t
        .http()
        .get('/api/v1/users')
        .query({ limit: 4, ...(cursor ? { cursor } : {}) })
        .set('Authorization', asAdmin());
      expect(res.status).toBe(200);
      expect(res.body.items.length).toBeLessThanOrEqual(4);
      all.push(...res.body.items);
      cursor = res.body.nextCursor as string | null;
      pages++;
    } while (cursor && pages < 20);
    const names = all.map((u) => u.username);
    expect(new Set(names).size).toBe(names.length); // no page repeats an item
    expect(names).toEqual(expect.arrayContaining(['admin', 'officer', 'lead', 'jsProcurator']));
    expect(names.some((n) => n.startsWith('api-key:'))).toBe(false);
    expect(all.find((u) => u.username === 'officer')).toMatchObject({
      id: w.userIds.officer,
      active: true,
      roles: ['agency-officer'],
      agency: { id: w.agencies.hzAmr, code: 'hz-amr' },
    });

    const leads = await t.http().get('/api/v1/users').query({ role: 'police-lead' }).set('Authorization', asAdmin());
    expect(leads.body.items.map((u: { username: string }) => u.username).sort()).toEqual(['lead', 'nbLead', 'westLead']);
    const hzPsb = await t.http().get('/api/v1/users').query({ agencyId: w.agencies.hzPsb }).set('Authorization', asAdmin());
    expect(hzPsb.body.items.map((u: { username: string }) => u.username).sort()).toEqual(['lead', 'policeOfficer']);
    expect(hzPsb.body.nextCursor).toBeNull();

    const inactive = await newUser();
    expect((await patchUser(inactive.id, { active: false })).status).toBe(200);
    const off = await t.http().get('/api/v1/users').query({ active: 'false' }).set('Authorization', asAdmin());
    expect(off.body.items.map((u: { id: string }) => u.id)).toEqual([inactive.id]);

    const forged = (at: string) => Buffer.from(JSON.stringify([at, randomUUID()])).toString('base64url');
    for (const query of [
      { cursor: forged('2026-02-30') },
      { cursor: forged('+275760-09-13T00:00:00.000Z') },
      { cursor: forged('1') },
    ]) {
      expectValidationFailed(await t.http().get('/api/v1/users').query(query).set('Authorization', asAdmin()), 'cursor');
    }
    for (const query of [
      { limit: 0 },
      { limit: 101 },
      { limit: 'x' },
      { cursor: 'not-a-cursor' },
      { role: 'boss' },
      { active: 'yes' },
    ]) {
      expectValidationFailed(await t.http().get('/api/v1/users').query(query).set('Authorization', asAdmin()));
    }
    expectProblem(await t.http().get('/api/v1/users').set('Authorization', bearer(w.tokens.lead)), 403, 'FORBIDDEN');
  });
});

describe('PATCH /api/v1/users/:id', () => {
  it('renames without ending tokens; refuses roles that do not fit the agency; 404 for unknown users', async () => {
    const u = await newUser();
    const renamed = await patchUser(u.id, { displayName: 'Li Na' });
    expect(renamed.status).toBe(200);
    expect(renamed.body).toMatchObject({ id: u.id, displayName: 'Li Na', active: true, roles: ['agency-officer'] });
    expect((await me(u.token)).status).toBe(200);

    expectValidationFailed(await patchUser(u.id, { roles: ['police-lead'] }), 'roles');
    expectValidationFailed(await patchUser(u.id, { agencyId: w.agencies.hzPsb }), 'agencyId'); // an officer in a police agency
    expectValidationFailed(await patchUser(u.id, { agencyId: randomUUID() }), 'agencyId');
    expectValidationFailed(await patchUser(u.id, { active: 'no' }), 'active');
    expectValidationFailed(await patchUser(u.id, { username: 'renamed' }));
    expect((await me(u.token)).status).toBe(200); // refused changes end nothing
    expectProblem(await patchUser(randomUUID(), { displayName: 'x' }), 404, 'NOT_FOUND');
    expectProblem(await patchUser('not-a-uuid', { displayName: 'x' }), 404, 'NOT_FOUND');
    expectProblem(await patchUser(u.id, { displayName: 'x' }, w.tokens.lead), 403, 'FORBIDDEN');
  });

  it('a role change ends the old tokens; the new token acts with the stored roles', async () => {
    const u = await newUser('hzPsb', ['police-officer']);
    const changed = await patchUser(u.id, { roles: ['police-lead'] });
    expect(changed.status).toBe(200);
    expect(changed.body.roles).toEqual(['police-lead']);
    expectProblem(await me(u.token), 401, 'UNAUTHENTICATED');
    const fresh = await t.login(u.username, PASSWORD);
    expect((await me(fresh)).body.roles).toEqual(['police-lead']);
  });

  it('an agency move ends the old tokens; the new token acts for the new agency', async () => {
    const u = await newUser('hzAmr');
    const submitted = await t
      .http()
      .post('/api/v1/referrals')
      .set('Authorization', bearer(u.token))
      .send(referralBody(w.agencies.hzPsb));
    expect(submitted.status).toBe(201);
    const moved = await patchUser(u.id, { agencyId: w.agencies.nbAmr });
    expect(moved.body.agency).toMatchObject({ id: w.agencies.nbAmr, code: 'nb-amr' });
    expectProblem(
      await t.http().get(`/api/v1/referrals/${submitted.body.id}`).set('Authorization', bearer(u.token)),
      401,
      'UNAUTHENTICATED',
    );
    const fresh = await t.login(u.username, PASSWORD);
    // Hangzhou's referral is out of the Ningbo agency's scope now.
    expectProblem(
      await t.http().get(`/api/v1/referrals/${submitted.body.id}`).set('Authorization', bearer(fresh)),
      404,
      'NOT_FOUND',
    );
  });

  it('deactivation ends the tokens and refuses login like a wrong password; reactivation lets the user log in again', async () => {
    const u = await newUser();
    const off = await patchUser(u.id, { active: false });
    expect(off.body.active).toBe(false);
    expectProblem(await me(u.token), 401, 'UNAUTHENTICATED');
    const refused = await login(u.username);
    expectProblem(refused, 401, 'UNAUTHENTICATED');
    expect(refused.body.detail).toBe((await login(u.username, 'wrong-password-1')).body.detail);

    expect((await patchUser(u.id, { active: true })).body.active).toBe(true);
    expectProblem(await me(u.token), 401, 'UNAUTHENTICATED'); // the old token stays dead
    expect((await me(await t.login(u.username, PASSWORD))).status).toBe(200);
  });

  it('an admin cannot remove their own admin access', async () => {
    const self = await t.db.query(`SELECT id FROM users WHERE username = 'admin'`);
    expectValidationFailed(await patchUser(self[0].id, { active: false }), 'active');
    expectValidationFailed(await patchUser(self[0].id, { roles: ['supervisor'] }), 'roles');
    expect((await me(w.tokens.admin)).status).toBe(200);
  });
});

describe('passwords and logout', () => {
  it('an admin reset ends every token of the user; only the new password logs in', async () => {
    const u = await newUser();
    const second = await t.login(u.username, PASSWORD);
    const reset = await t
      .http()
      .post(`/api/v1/users/${u.id}/password`)
      .set('Authorization', asAdmin())
      .send({ newPassword: NEW_PASSWORD });
    expect(reset.status).toBe(204);
    expectProblem(await me(u.token), 401, 'UNAUTHENTICATED');
    expectProblem(await me(second), 401, 'UNAUTHENTICATED');
    expectProblem(await login(u.username), 401, 'UNAUTHENTICATED');
    expect((await login(u.username, NEW_PASSWORD)).status).toBe(200);

    const short = await t
      .http()
      .post(`/api/v1/users/${u.id}/password`)
      .set('Authorization', asAdmin())
      .send({ newPassword: 'short' });
    expectValidationFailed(short, 'newPassword');
    const unknown = await t
      .http()
      .post(`/api/v1/users/${randomUUID()}/password`)
      .set('Authorization', asAdmin())
      .send({ newPassword: NEW_PASSWORD });
    expectProblem(unknown, 404, 'NOT_FOUND');
  });

  it("changing one's own password ends every other token, even one issued in the same second; the answer's token works", async () => {
    const u = await newUser();
    const other = await t.login(u.username, PASSWORD);
    const changed = await t
      .http()
      .post('/api/v1/auth/password')
      .set('Authorization', bearer(u.token))
      .send({ currentPassword: PASSWORD, newPassword: NEW_PASSWORD });
    expect(changed.status).toBe(200);
    expect(changed.body).toMatchObject({ tokenType: 'Bearer', expiresIn: expect.any(Number), user: { id: u.id, active: true } });
    const fresh = changed.body.accessToken as string;
    expectProblem(await me(u.token), 401, 'UNAUTHENTICATED');
    expectProblem(await me(other), 401, 'UNAUTHENTICATED');
    expect((await me(fresh)).status).toBe(200);
    expect((await login(u.username, NEW_PASSWORD)).status).toBe(200);
    expectProblem(await login(u.username), 401, 'UNAUTHENTICATED');

    const wrong = await t
      .http()
      .post('/api/v1/auth/password')
      .set('Authorization', bearer(fresh))
      .send({ currentPassword: 'wrong-password-1', newPassword: 'yet-another-pass-789' });
    expectValidationFailed(wrong, 'currentPassword');
    expect((await me(fresh)).status).toBe(200); // a refused change ends nothing
    const same = await t
      .http()
      .post('/api/v1/auth/password')
      .set('Authorization', bearer(fresh))
      .send({ currentPassword: NEW_PASSWORD, newPassword: NEW_PASSWORD });
    expectValidationFailed(same, 'newPassword');
  });

  it('logout ends this token only', async () => {
    const u = await newUser();
    const other = await t.login(u.username, PASSWORD);
    expect((await t.http().post('/api/v1/auth/logout').set('Authorization', bearer(u.token))).status).toBe(204);
    expectProblem(await me(u.token), 401, 'UNAUTHENTICATED');
    expectProblem(await t.http().post('/api/v1/auth/logout').set('Authorization', bearer(u.token)), 401, 'UNAUTHENTICATED');
    expect((await me(other)).status).toBe(200);
  });

  it('refuses a token that carries no token generation (issued before the lifecycle existed)', async () => {
    const legacy = t.app.get(JwtService).sign({
      sub: w.userIds.officer,
      username: 'officer',
      roles: ['agency-officer'],
      agency: { id: w.agencies.hzAmr, kind: 'regulator', regionCode: '330100' },
    });
    expectProblem(await me(legacy), 401, 'UNAUTHENTICATED');
  });
});

describe('API keys and the lifecycle', () => {
  it("a key stops working when its user is deactivated; the key's roles and agency cannot be changed through the user", async () => {
    const created = await t
      .http()
      .post('/api/v1/api-keys')
      .set('Authorization', asAdmin())
      .send({ name: 'hz-amr case system', roles: ['agency-officer'], agencyId: w.agencies.hzAmr });
    const { key, userId } = created.body as { key: string; userId: string };
    const withKey = () => t.http().get('/api/v1/auth/me').set('X-Api-Key', key);
    expect((await withKey()).status).toBe(200);

    expectValidationFailed(await patchUser(userId, { roles: ['admin'] }), 'roles');
    expectValidationFailed(await patchUser(userId, { agencyId: w.agencies.nbAmr }), 'agencyId');
    const reset = await t
      .http()
      .post(`/api/v1/users/${userId}/password`)
      .set('Authorization', asAdmin())
      .send({ newPassword: NEW_PASSWORD });
    expectValidationFailed(reset, 'newPassword');

    expect((await patchUser(userId, { active: false })).status).toBe(200);
    expectProblem(await withKey(), 401, 'UNAUTHENTICATED');
    expectProblem(
      await t.http().post('/api/v1/referrals').set('X-Api-Key', key).send(referralBody(w.agencies.hzPsb)),
      401,
      'UNAUTHENTICATED',
    );
    expect((await patchUser(userId, { active: true })).status).toBe(200);
    expect((await withKey()).status).toBe(200);
    expectValidationFailed(await t.http().post('/api/v1/auth/logout').set('X-Api-Key', key));
  });
});

describe('queue dashboard', () => {
  it('the cookie of an admin stops working when the admin is deactivated', async () => {
    const [{ agency_id }] = await t.db.query(`SELECT agency_id FROM users WHERE username = 'admin'`);
    const created = await t
      .http()
      .post('/api/v1/users')
      .set('Authorization', asAdmin())
      .send({ username: 'second-admin', password: PASSWORD, displayName: 'Second admin', agencyId: agency_id, roles: ['admin'] });
    expect(created.status).toBe(201);
    const token = await t.login('second-admin', PASSWORD);
    const first = await t.http().get(`/admin/queues?token=${token}`).redirects(0);
    expect(first.status).toBe(303);
    const cookie = String(first.headers['set-cookie']).split(';')[0];
    expect((await t.http().get('/admin/queues/api/queues').set('Cookie', cookie)).status).toBe(200);

    expect((await patchUser(created.body.id, { active: false })).status).toBe(200);
    const refused = await t.http().get('/admin/queues/api/queues').set('Cookie', cookie);
    expectProblem(refused, 401, 'UNAUTHENTICATED');
    expect(String(refused.headers['set-cookie'])).toMatch(/caselink_queues_token=; .*Max-Age=0/);
    expectProblem(await t.http().get('/admin/queues').set('Authorization', bearer(token)), 401, 'UNAUTHENTICATED');
    // A demoted admin is not an admin any more, whatever the token said.
    const demoted = await newUser('hzAmr', ['admin']);
    const demotedToken = demoted.token;
    expect((await t.http().get('/admin/queues').set('Authorization', bearer(demotedToken))).status).toBe(200);
    await patchUser(demoted.id, { roles: ['agency-officer'] });
    const again = await t.login(demoted.username, PASSWORD);
    expectProblem(await t.http().get('/admin/queues').set('Authorization', bearer(again)), 403, 'FORBIDDEN');
  });
});

describe('notification stream', () => {
  let port: number;
  beforeAll(() => {
    port = t.port;
  });

  /** Opens the stream; resolves with the status and a promise of its end. */
  function openStream(token: string): Promise<{ status: number; ended: Promise<number>; close: () => void }> {
    return new Promise((resolve, reject) => {
      const opened = Date.now();
      const req = http.get(
        { host: '127.0.0.1', port, path: '/api/v1/notifications/stream', headers: { Authorization: bearer(token) } },
        (res) => {
          res.on('data', () => undefined);
          const ended = new Promise<number>((done) => res.on('end', () => done(Date.now() - opened)));
          resolve({ status: res.statusCode ?? 0, ended, close: () => req.destroy() });
        },
      );
      req.on('error', reject);
    });
  }
  const within = <T>(p: Promise<T>, ms: number) =>
    Promise.race([p, new Promise<'timeout'>((r) => setTimeout(() => r('timeout'), ms))]);

  it('ends when its token is logged out, and when the user is deactivated', async () => {
    const u = await newUser();
    const stream = await openStream(u.token);
    expect(stream.status).toBe(200);
    const other = await openStream(await t.login(u.username, PASSWORD));
    expect((await t.http().post('/api/v1/auth/logout').set('Authorization', bearer(u.token))).status).toBe(204);
    expect(await within(stream.ended, 3000)).not.toBe('timeout');
    expect(await within(other.ended, 300)).toBe('timeout'); // another token of the user goes on

    expect((await patchUser(u.id, { active: false })).status).toBe(200);
    expect(await within(other.ended, 3000)).not.toBe('timeout');
  });

  it('ends when its token expires', async () => {
    const u = await newUser();
    const [{ token_generation }] = await t.db.query(`SELECT token_generation FROM users WHERE id = $1`, [u.id]);
    const shortLived = t.app
      .get(JwtService)
      .sign({ sub: u.id, username: u.username, gen: token_generation }, { jwtid: randomUUID(), expiresIn: 2 });
    const stream = await openStream(shortLived);
    expect(stream.status).toBe(200);
    const lasted = await within(stream.ended, 5000);
    expect(lasted).not.toBe('timeout');
    expect(lasted as number).toBeLessThan(3500);
  });
});

describe('two API processes', () => {
  let sibling: SiblingApp | undefined;
  afterAll(() => sibling?.close());

  it('a change made through one process ends the token in the other at once, although the other caches the user for a minute', async () => {
    // A minute of cache: only the pub/sub announcement can explain the 401 below.
    sibling = await createSiblingApp(t, { AUTH_USER_CACHE_MS: 60_000 });
    const u = await newUser('hzPsb', ['police-officer']);
    const onSibling = (token: string) => sibling!.http().get('/api/v1/auth/me').set('Authorization', bearer(token));
    expect((await onSibling(u.token)).body.roles).toEqual(['police-officer']); // now cached there

    expect((await patchUser(u.id, { roles: ['police-lead'] })).status).toBe(200); // through the first process
    const seen = await until(
      async () => (await onSibling(u.token)).status,
      (s) => s === 401,
      2000,
      50,
    );
    expect(seen).toBe(401);
    const fresh = await t.login(u.username, PASSWORD);
    expect((await onSibling(fresh)).body.roles).toEqual(['police-lead']);

    // and logout through the sibling ends the token in the first process
    expect((await sibling.http().post('/api/v1/auth/logout').set('Authorization', bearer(fresh))).status).toBe(204);
    expectProblem(await me(fresh), 401, 'UNAUTHENTICATED');
  });
});

describe('PATCH /api/v1/agencies/:id', () => {
  it('renames and deactivates an agency; a deactivated agency takes no new users or API keys', async () => {
    const created = await t
      .http()
      .post('/api/v1/agencies')
      .set('Authorization', asAdmin())
      .send({ code: 'sx-amr', name: 'Shaoxing AMR', kind: 'regulator', regionCode: '330600' });
    expect(created.body).toMatchObject({ code: 'sx-amr', active: true });
    const id = created.body.id as string;
    const patchAgency = (body: object, token = w.tokens.admin) =>
      t.http().patch(`/api/v1/agencies/${id}`).set('Authorization', bearer(token)).send(body);

    const renamed = await patchAgency({ name: 'Shaoxing Market Regulation' });
    expect(renamed.status).toBe(200);
    expect(renamed.body).toMatchObject({ id, code: 'sx-amr', name: 'Shaoxing Market Regulation', active: true });
    const off = await patchAgency({ active: false });
    expect(off.body).toMatchObject({ name: 'Shaoxing Market Regulation', active: false });

    const listed = await t
      .http()
      .get('/api/v1/agencies')
      .query({ active: 'false' })
      .set('Authorization', bearer(w.tokens.officer));
    expect(listed.body.items.map((a: { id: string }) => a.id)).toEqual([id]);
    const user = { username: 'sx-officer', password: PASSWORD, displayName: 'SX', agencyId: id, roles: ['agency-officer'] };
    expectValidationFailed(await t.http().post('/api/v1/users').set('Authorization', asAdmin()).send(user), 'agencyId');
    const u = await newUser();
    expectValidationFailed(await patchUser(u.id, { agencyId: id }), 'agencyId');
    const key = await t
      .http()
      .post('/api/v1/api-keys')
      .set('Authorization', asAdmin())
      .send({ name: 'sx', roles: ['agency-officer'], agencyId: id });
    expectValidationFailed(key, 'agencyId');

    expectValidationFailed(await patchAgency({ code: 'renamed' }));
    expectValidationFailed(await patchAgency({ active: 'no' }), 'active');
    expectProblem(await patchAgency({ name: 'x' }, w.tokens.lead), 403, 'FORBIDDEN');
    expectProblem(
      await t.http().patch(`/api/v1/agencies/${randomUUID()}`).set('Authorization', asAdmin()).send({ name: 'x' }),
      404,
      'NOT_FOUND',
    );
    expect((await patchAgency({ active: true })).body.active).toBe(true);
    expect((await t.http().post('/api/v1/users').set('Authorization', asAdmin()).send(user)).status).toBe(201);
  });
});

describe('duplicates', () => {
  it('a taken agency code or username is 409 ALREADY_EXISTS, also when requests race', async () => {
    const agency = { code: 'dup-amr', name: 'Duplicate AMR', kind: 'regulator', regionCode: '330100' };
    const createAgency = () => t.http().post('/api/v1/agencies').set('Authorization', asAdmin()).send(agency);
    const agencies = await Promise.all(Array.from({ length: 6 }, createAgency));
    expect(agencies.map((r) => r.status).sort()).toEqual([201, 409, 409, 409, 409, 409]);
    const again = await createAgency();
    expectAlreadyExists(again);
    expect(again.body.detail).toContain('dup-amr');

    const user = {
      username: 'dup-user',
      password: PASSWORD,
      displayName: 'Dup',
      agencyId: w.agencies.hzAmr,
      roles: ['agency-officer'],
    };
    const createUser = () => t.http().post('/api/v1/users').set('Authorization', asAdmin()).send(user);
    const users = await Promise.all(Array.from({ length: 6 }, createUser));
    expect(users.map((r) => r.status).sort()).toEqual([201, 409, 409, 409, 409, 409]);
    expectAlreadyExists(await createUser());
    const [{ n }] = await t.db.query(`SELECT count(*)::int AS n FROM users WHERE username = 'dup-user'`);
    expect(n).toBe(1);
  });
});

describe('password hashes at the production cost', () => {
  // The suites hash at TEST_HASH_COST; the operator's CLI hashes at the default (test/cli.e2e-spec.ts).
  it('is scrypt N=16384 unless configured, and a lower cost is refused in production', async () => {
    expect(loadConfig({}).PASSWORD_HASH_COST).toBe(PRODUCTION_HASH_COST);
    expect(PRODUCTION_HASH_COST).toBe(16384);
    expect(() => loadConfig({ NODE_ENV: 'production', PASSWORD_HASH_COST: TEST_HASH_COST })).toThrow(
      /PASSWORD_HASH_COST below 16384 is refused when NODE_ENV=production/,
    );
    expect(loadConfig({ NODE_ENV: 'production', PASSWORD_HASH_COST: '16384' }).PASSWORD_HASH_COST).toBe(16384);
    expect(() => loadConfig({ PASSWORD_HASH_COST: '1000' })).toThrow(/PASSWORD_HASH_COST/);
    // The test apps' own hashes carry their lower cost: the knob is what sets it.
    const [{ password_hash: testHash }] = await t.db.query(`SELECT password_hash FROM users WHERE username = $1`, [
      (await newUser()).username,
    ]);
    expect(testHash).toMatch(new RegExp(`^scrypt\\$${TEST_HASH_COST}\\$8\\$1\\$`));
  });
});

describe('account lockout', () => {
  let lt: TestApp;
  afterAll(() => lt?.close());

  it('locks a username after repeated failures from any address, also against the right password; a success resets the count', async () => {
    lt = await createTestApp({
      TRUST_PROXY: 'loopback',
      LOGIN_LOCKOUT_FAILURES: '3',
      LOGIN_LOCKOUT_WINDOW_SECONDS: '60',
      LOGIN_LOCKOUT_SECONDS: '2', // the test waits it out
    });
    const from = (ip: string, username: string, password: string) =>
      lt.http().post('/api/v1/auth/login').set('X-Forwarded-For', ip).send({ username, password });

    // two failures, then a success: the count starts again
    expect((await from('203.0.113.1', 'admin', 'wrong-password-1')).status).toBe(401);
    expect((await from('203.0.113.2', 'admin', 'wrong-password-2')).status).toBe(401);
    expect((await from('203.0.113.3', 'admin', ADMIN_PASSWORD)).status).toBe(200);
    expect((await from('203.0.113.1', 'admin', 'wrong-password-3')).status).toBe(401);
    expect((await from('203.0.113.2', 'admin', 'wrong-password-4')).status).toBe(401);
    expect((await from('203.0.113.3', 'admin', ADMIN_PASSWORD)).status).toBe(200);

    // three failures from two addresses lock the account for every address
    expect((await from('203.0.113.1', 'admin', 'wrong-password-5')).status).toBe(401);
    expect((await from('203.0.113.2', 'admin', 'wrong-password-6')).status).toBe(401);
    expect((await from('203.0.113.1', 'admin', 'wrong-password-7')).status).toBe(401);
    const locked = await from('198.51.100.7', 'admin', ADMIN_PASSWORD);
    expectProblem(locked, 429, 'RATE_LIMITED');
    const retryAfter = Number(locked.headers['retry-after']);
    expect(retryAfter >= 1 && retryAfter <= 2).toBe(true);
    expect(locked.body.retryAfterSeconds).toBe(retryAfter);
    expect(locked.body.accessToken).toBeUndefined();
    // another account is not locked; the counter lives under this app's queue prefix
    expectProblem(await from('198.51.100.7', 'nobody', 'wrong-password-8'), 401, 'UNAUTHENTICATED');
    const redis = lt.app.get<Redis>(REDIS);
    expect((await redis.keys(`${lt.config.QUEUE_PREFIX}:login-lockout:*`)).length).toBeGreaterThan(0);

    // the lock ends by itself
    await new Promise((r) => setTimeout(r, retryAfter * 1000 + 200));
    expect((await from('198.51.100.7', 'admin', ADMIN_PASSWORD)).status).toBe(200);
  });
});
