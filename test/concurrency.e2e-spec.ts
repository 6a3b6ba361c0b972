// Racing requests against one referral: If-Match lets exactly one writer win,
// unconditioned writers serialise into a gapless hash chain, and an
// Idempotency-Key makes concurrent retries of a submission one referral.
import { randomUUID } from 'node:crypto';
import { buildWorld, referralBody, type World } from './support/world';
import { createTestApp, type TestApp } from './support/test-app';
import { expectProblem, kit } from './kit/e2e-kit';

describe('concurrency', () => {
  let t: TestApp;
  let w: World;
  let k: ReturnType<typeof kit>;

  beforeAll(async () => {
    t = await createTestApp({}, { world: true });
    w = await buildWorld(t);
    k = kit(t, w);
  });
  afterAll(() => t?.close());

  test('20 concurrent ACCEPTs with the same If-Match: one 200, nineteen 412 VERSION_CONFLICT', async () => {
    const reviewed = await k.reviewed();
    expect(reviewed.state).toBe('reviewed');
    const etag = (await k.get(reviewed.id, 'lead')).headers.etag;
    const version = reviewed.version;
    expect(etag).toBe(`"${version}"`);

    const results = await Promise.all(
      Array.from({ length: 20 }, (_, i) => k.send(reviewed.id, 'lead', { type: 'ACCEPT', caseNumber: `HZ-2026-${i}` }, version)),
    );

    const statuses = results.map((r) => r.status).sort();
    expect(statuses).toEqual([200, ...Array(19).fill(412)]);
    const winner = results.find((r) => r.status === 200)!;
    expect(winner.body).toMatchObject({ state: 'accepted', version: version + 1 });
    for (const loser of results.filter((r) => r.status !== 200)) {
      expectProblem(loser, 412, 'VERSION_CONFLICT');
    }

    const after = await k.get(reviewed.id, 'lead');
    expect(after.body).toMatchObject({ state: 'accepted', version: version + 1 });
    const timeline = (await k.timeline(reviewed.id)).body.items as { type: string; payload: { caseNumber?: string } }[];
    const accepts = timeline.filter((e) => e.type === 'ACCEPT');
    expect(accepts).toHaveLength(1);
    // the recorded case number is the winner's
    const winnerIndex = results.indexOf(winner);
    expect(accepts[0].payload.caseNumber).toBe(`HZ-2026-${winnerIndex}`);
    expect((await k.verify(reviewed.id)).body).toMatchObject({ valid: true, events: timeline.length });
  });

  test('20 concurrent COMMENTs without If-Match: all 200, 20 rows with consecutive seq, chain valid', async () => {
    const r = await k.submit();
    const authors = ['officer', 'policeOfficer', 'lead', 'procurator', 'supervisor'] as const;
    const results = await Promise.all(
      Array.from({ length: 20 }, (_, i) => k.send(r.id, authors[i % authors.length], { type: 'COMMENT', text: `comment ${i}` })),
    );
    expect(results.map((res) => res.status)).toEqual(Array(20).fill(200));

    const timeline = (await k.timeline(r.id)).body.items as {
      seq: number;
      type: string;
      hash: string;
      prevHash: string;
      payload: { text?: string };
    }[];
    expect(timeline.map((e) => e.seq)).toEqual(Array.from({ length: 21 }, (_, i) => i + 1));
    const comments = timeline.filter((e) => e.type === 'COMMENT');
    expect(comments).toHaveLength(20);
    expect(comments.map((e) => e.payload.text).sort()).toEqual(Array.from({ length: 20 }, (_, i) => `comment ${i}`).sort());
    // each row links to the one before it
    for (let i = 1; i < timeline.length; i++) expect(timeline[i].prevHash).toBe(timeline[i - 1].hash);

    const verify = (await k.verify(r.id)).body;
    expect(verify).toEqual({ valid: true, events: 21, headHash: timeline[20].hash });
    expect((await k.get(r.id, 'admin')).body.version).toBe(21);
  });

  test('10 concurrent creates with one Idempotency-Key and body: all 201, one id, one referral', async () => {
    const key = randomUUID();
    const body = referralBody(w.agencies.hzPsb, { externalRef: `idem-${key}` });
    const results = await Promise.all(
      Array.from({ length: 10 }, () =>
        t.http().post('/api/v1/referrals').set('Authorization', k.auth('officer')).set('Idempotency-Key', key).send(body),
      ),
    );
    expect(results.map((r) => r.status)).toEqual(Array(10).fill(201));
    const ids = new Set(results.map((r) => r.body.id));
    expect(ids.size).toBe(1);
    const [id] = ids;

    const [{ n }] = await t.db.query(`SELECT count(*)::int AS n FROM referrals WHERE external_ref = $1`, [`idem-${key}`]);
    expect(n).toBe(1);
    const [{ events }] = await t.db.query(`SELECT count(*)::int AS events FROM referral_events WHERE referral_id = $1`, [id]);
    expect(events).toBe(1);
    const [{ keys }] = await t.db.query(`SELECT count(*)::int AS keys FROM idempotency_keys WHERE key = $1`, [key]);
    expect(keys).toBe(1);
  });

  test('the same Idempotency-Key with a different body → 409 IDEMPOTENCY_KEY_REUSED, nothing new written', async () => {
    const key = randomUUID();
    const first = await t
      .http()
      .post('/api/v1/referrals')
      .set('Authorization', k.auth('officer'))
      .set('Idempotency-Key', key)
      .send(referralBody(w.agencies.hzPsb, { title: 'first' }));
    expect(first.status).toBe(201);
    const [{ before }] = await t.db.query(`SELECT count(*)::int AS before FROM referrals`);
    const second = await t
      .http()
      .post('/api/v1/referrals')
      .set('Authorization', k.auth('officer'))
      .set('Idempotency-Key', key)
      .send(referralBody(w.agencies.hzPsb, { title: 'second' }));
    expectProblem(second, 409, 'IDEMPOTENCY_KEY_REUSED');
    const [{ after }] = await t.db.query(`SELECT count(*)::int AS after FROM referrals`);
    expect(after).toBe(before);
  });
});
