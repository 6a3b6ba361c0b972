// PostgreSQL connections killed (pg_terminate_backend) during a burst of events:
// every request either succeeds or answers 503, nothing is half-written, and the
// service recovers without a restart.
import { withServer, createTestApp, type TestApp } from './support/test-app';
import { actions, buildWorld, type World } from './support/world';

describe('fault: database connections are terminated during a burst', () => {
  let t: TestApp;
  let w: World;
  beforeAll(async () => {
    t = await createTestApp({}, { world: true });
    w = await buildWorld(t);
  });
  afterAll(() => t?.close());

  it('answers 200 or 503, keeps every referral consistent, and recovers', async () => {
    const a = actions(t, w);
    const ids: string[] = [];
    for (let i = 0; i < 5; i++) ids.push((await a.submit({ title: `burst case ${i}` })).id);
    const database = new URL(t.databaseUrl).pathname.slice(1);

    let stop = false;
    let terminated = 0;
    const killer = withServer(async (c) => {
      while (!stop) {
        const res = await c.query(
          `SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = $1 AND pid <> pg_backend_pid()`,
          [database],
        );
        terminated += res.rowCount ?? 0;
        await new Promise((r) => setTimeout(r, 40));
      }
    });

    const statuses: number[] = [];
    const bodies: unknown[] = [];
    const burst = Array.from({ length: 120 }, (_, i) => i);
    for (let i = 0; i < burst.length; i += 12) {
      const results = await Promise.all(
        burst.slice(i, i + 12).map((n) => a.send(ids[n % ids.length], 'officer', { type: 'COMMENT', text: `note ${n}` })),
      );
      for (const r of results) {
        statuses.push(r.status);
        if (r.status !== 200) bodies.push(r.body);
      }
    }
    stop = true;
    await killer;

    expect(terminated).toBeGreaterThan(0);
    expect(statuses.filter((s) => s !== 200 && s !== 503)).toEqual([]);
    for (const body of bodies) expect(body).toMatchObject({ status: 503, code: 'UNAVAILABLE' });

    // Nothing half-written: each referral's version counts its timeline rows, the chain holds,
    // and every timeline row has its outbox message.
    for (const id of ids) {
      const [{ version }] = await t.db.query(`SELECT version FROM referrals WHERE id = $1`, [id]);
      const [{ n }] = await t.db.query(`SELECT count(*)::int AS n FROM referral_events WHERE referral_id = $1`, [id]);
      expect(version).toBe(n);
      const [{ m }] = await t.db.query(
        `SELECT count(*)::int AS m FROM outbox WHERE topic = 'timeline' AND payload->>'referralId' = $1`,
        [id],
      );
      expect(m).toBe(n);
      const verify = await t.http().get(`/api/v1/referrals/${id}/verify`).set('Authorization', a.auth('officer'));
      expect(verify.body).toMatchObject({ valid: true, events: n });
    }
    const ok = statuses.filter((s) => s === 200).length;
    const [{ comments }] = await t.db.query(
      `SELECT count(*)::int AS comments FROM referral_events WHERE referral_id = ANY($1) AND type = 'COMMENT'`,
      [ids],
    );
    expect(comments).toBe(ok); // every 200 was written, every 503 was not
    console.info(
      `burst of ${statuses.length}: ${ok} answered 200, ${statuses.length - ok} answered 503; ${terminated} backends terminated`,
    );

    // Recovered without a restart.
    const after = await a.send(ids[0], 'officer', { type: 'COMMENT', text: 'after the storm' });
    expect(after.status).toBe(200);
  });
});
