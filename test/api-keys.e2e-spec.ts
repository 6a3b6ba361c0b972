// API keys for system-to-system clients: created by an admin and shown once,
// stored hashed, sent as X-Api-Key, acting for one agency with fixed roles and
// attributed in the timeline like a user; revocation takes effect at once.
import { createHash } from 'node:crypto';
import { expectProblem, expectValidationFailed } from './kit/e2e-kit';
import { createTestApp, type TestApp } from './support/test-app';
import { buildWorld, referralBody, type World } from './support/world';

interface CreatedKey {
  id: string;
  key: string;
  name: string;
  keyPrefix: string;
  roles: string[];
  agencyId: string;
  userId: string;
}

describe('API keys', () => {
  let t: TestApp;
  let w: World;

  beforeAll(async () => {
    t = await createTestApp({}, { world: true });
    w = await buildWorld(t);
  });
  afterAll(() => t?.close());

  const bearer = (user: keyof World['tokens']) => `Bearer ${w.tokens[user]}`;

  function createKey(body: Record<string, unknown>, user: keyof World['tokens'] = 'admin') {
    return t.http().post('/api/v1/api-keys').set('Authorization', bearer(user)).send(body);
  }
  async function mustCreateKey(body: Record<string, unknown>): Promise<CreatedKey> {
    const res = await createKey(body);
    if (res.status !== 201) throw new Error(`create key: ${res.status} ${JSON.stringify(res.body)}`);
    return res.body;
  }
  // one body: a repeat with the same Idempotency-Key must be the same request
  let body: ReturnType<typeof referralBody> | undefined;
  const submitWithKey = (key: string, headers: Record<string, string> = {}) =>
    t
      .http()
      .post('/api/v1/referrals')
      .set('X-Api-Key', key)
      .set(headers)
      .send((body ??= referralBody(w.agencies.hzPsb, { externalRef: 'HZAMR-2026-0042' })));

  test("an agency's case system submits a referral with its key, attributed to the key in the timeline", async () => {
    const created = await createKey({ name: 'hz-amr case system', roles: ['agency-officer'], agencyId: w.agencies.hzAmr });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({
      id: expect.any(String),
      key: expect.stringMatching(/^clk_[A-Za-z0-9_-]{43}$/),
      name: 'hz-amr case system',
      roles: ['agency-officer'],
      agencyId: w.agencies.hzAmr,
      userId: expect.any(String),
    });
    const { key, userId } = created.body as CreatedKey;
    expect(key.startsWith(created.body.keyPrefix)).toBe(true);

    const submitted = await submitWithKey(key);
    expect(submitted.status).toBe(201);
    expect(submitted.body).toMatchObject({
      state: 'submitted',
      sourceAgency: { id: w.agencies.hzAmr },
      externalRef: 'HZAMR-2026-0042',
    });
    const [referral] = await t.db.query(`SELECT created_by FROM referrals WHERE id = $1`, [submitted.body.id]);
    expect(referral.created_by).toBe(userId);

    // the agency's officers see it as theirs; the timeline names the key's user
    const timeline = await t
      .http()
      .get(`/api/v1/referrals/${submitted.body.id}/timeline`)
      .set('Authorization', bearer('officer'));
    expect(timeline.body.items[0]).toMatchObject({
      seq: 1,
      type: 'SUBMIT',
      actor: { userId, agencyId: w.agencies.hzAmr, system: false },
    });

    // the key reads what it may, like a user of its agency
    const read = await t.http().get(`/api/v1/referrals/${submitted.body.id}`).set('X-Api-Key', key);
    expect(read.status).toBe(200);
    const me = await t.http().get('/api/v1/auth/me').set('X-Api-Key', key);
    expect(me.body).toMatchObject({
      id: userId,
      username: `api-key:${created.body.id}`,
      roles: ['agency-officer'],
      agency: { id: w.agencies.hzAmr },
    });
    expectProblem(
      await t.http().get(`/api/v1/referrals/${submitted.body.id}`).set('Authorization', bearer('nbOfficer')),
      404,
      'NOT_FOUND',
    );

    // Idempotency-Key works for keys too (its rows belong to the key's user)
    const first = await submitWithKey(key, { 'Idempotency-Key': 'case-system-0042' });
    const again = await submitWithKey(key, { 'Idempotency-Key': 'case-system-0042' });
    expect([first.status, again.status]).toEqual([201, 201]);
    expect(again.body.id).toBe(first.body.id);

    // and it is an agency officer, nothing more
    expectProblem(await t.http().get('/api/v1/api-keys').set('X-Api-Key', key), 403, 'FORBIDDEN');
    const [row] = await t.db.query(`SELECT last_used_at FROM api_keys WHERE id = $1`, [created.body.id]);
    expect(row.last_used_at).not.toBeNull();
  });

  test('the key is shown once: stored as a SHA-256 digest, never listed; its user cannot log in', async () => {
    const created = await mustCreateKey({ name: 'nb-psb bridge', roles: ['police-officer'], agencyId: w.agencies.nbPsb });
    const [row] = await t.db.query(`SELECT * FROM api_keys WHERE id = $1`, [created.id]);
    expect(row.key_hash).toBe(createHash('sha256').update(created.key).digest('hex'));
    expect(JSON.stringify(row)).not.toContain(created.key);

    const list = await t.http().get('/api/v1/api-keys').set('Authorization', bearer('admin'));
    expect(list.status).toBe(200);
    const listed = list.body.items.find((k: { id: string }) => k.id === created.id);
    expect(listed).toMatchObject({
      name: 'nb-psb bridge',
      keyPrefix: created.keyPrefix,
      roles: ['police-officer'],
      agencyId: w.agencies.nbPsb,
      revokedAt: null,
    });
    expect(listed).not.toHaveProperty('key');
    expect(listed).not.toHaveProperty('keyHash');
    expect(JSON.stringify(list.body)).not.toContain(created.key);
    expect(JSON.stringify(list.body)).not.toContain(row.key_hash);

    const login = await t
      .http()
      .post('/api/v1/auth/login')
      .send({ username: `api-key:${created.id}`, password: created.key });
    expectProblem(login, 401, 'UNAUTHENTICATED');
  });

  test('only an admin creates, lists and revokes keys; roles must fit the agency', async () => {
    expectProblem(
      await createKey({ name: 'mine', roles: ['agency-officer'], agencyId: w.agencies.hzAmr }, 'officer'),
      403,
      'FORBIDDEN',
    );
    expectProblem(await t.http().get('/api/v1/api-keys').set('Authorization', bearer('officer')), 403, 'FORBIDDEN');
    expectProblem(
      await t.http().delete(`/api/v1/api-keys/00000000-0000-4000-8000-000000000000`).set('Authorization', bearer('lead')),
      403,
      'FORBIDDEN',
    );

    expectValidationFailed(await createKey({ name: 'x', roles: ['police-lead'], agencyId: w.agencies.hzAmr }), 'roles');
    expectValidationFailed(await createKey({ name: 'x', roles: ['admin'], agencyId: w.agencies.hzAmr }), 'roles');
    expectValidationFailed(await createKey({ name: 'x', roles: [], agencyId: w.agencies.hzAmr }), 'roles');
    expectValidationFailed(await createKey({ name: '', roles: ['agency-officer'], agencyId: w.agencies.hzAmr }), 'name');
    expectValidationFailed(
      await createKey({ name: 'x', roles: ['agency-officer'], agencyId: '00000000-0000-4000-8000-000000000000' }),
      'agencyId',
    );
    expectValidationFailed(
      await createKey({ name: 'x', roles: ['agency-officer'], agencyId: w.agencies.hzAmr, secret: 'mine' }),
      'secret',
    );

    // without agencyId the key acts for the creating admin's own agency (a national supervisor)
    const own = await mustCreateKey({ name: 'national dashboard', roles: ['supervisor'] });
    const [adminAgency] = await t.db.query(`SELECT agency_id FROM users WHERE username = 'admin'`);
    expect(own.agencyId).toBe(adminAgency.agency_id);
    expectValidationFailed(await createKey({ name: 'x', roles: ['agency-officer'] }), 'roles');
  });

  test('a revoked key gets 401 at once; revoking is idempotent; unknown keys 404', async () => {
    const created = await mustCreateKey({ name: 'to revoke', roles: ['agency-officer'], agencyId: w.agencies.hzAmr });
    expect((await submitWithKey(created.key)).status).toBe(201);

    const revoked = await t.http().delete(`/api/v1/api-keys/${created.id}`).set('Authorization', bearer('admin'));
    expect(revoked.status).toBe(204);
    expectProblem(await submitWithKey(created.key), 401, 'UNAUTHENTICATED');
    expectProblem(await t.http().get('/api/v1/referrals').set('X-Api-Key', created.key), 401, 'UNAUTHENTICATED');

    const [first] = await t.db.query(`SELECT revoked_at FROM api_keys WHERE id = $1`, [created.id]);
    expect((await t.http().delete(`/api/v1/api-keys/${created.id}`).set('Authorization', bearer('admin'))).status).toBe(204);
    const [second] = await t.db.query(`SELECT revoked_at FROM api_keys WHERE id = $1`, [created.id]);
    expect(second.revoked_at.toISOString()).toBe(first.revoked_at.toISOString());

    const list = await t.http().get('/api/v1/api-keys').set('Authorization', bearer('admin'));
    expect(list.body.items.find((k: { id: string }) => k.id === created.id).revokedAt).toEqual(expect.any(String));

    expectProblem(
      await t.http().delete('/api/v1/api-keys/00000000-0000-4000-8000-000000000000').set('Authorization', bearer('admin')),
      404,
      'NOT_FOUND',
    );
    expectProblem(await t.http().delete('/api/v1/api-keys/nope').set('Authorization', bearer('admin')), 404, 'NOT_FOUND');
  });

  test('a bad key is 401: unknown, malformed, empty, or sent together with a bearer token', async () => {
    const live = await mustCreateKey({ name: 'live', roles: ['agency-officer'], agencyId: w.agencies.hzAmr });
    const unknown = `clk_${'A'.repeat(43)}`;
    for (const key of [unknown, 'not-a-key', '', live.key.slice(0, -1), `${live.key}x`]) {
      expectProblem(await t.http().get('/api/v1/referrals').set('X-Api-Key', key), 401, 'UNAUTHENTICATED');
    }
    expectProblem(
      await t.http().get('/api/v1/referrals').set('X-Api-Key', live.key).set('Authorization', bearer('officer')),
      401,
      'UNAUTHENTICATED',
    );
    expect((await t.http().get('/api/v1/referrals').set('X-Api-Key', live.key)).status).toBe(200);
  });
});
