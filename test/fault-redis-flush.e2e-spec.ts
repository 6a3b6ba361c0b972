// FLUSHDB of the queue's Redis database with deadlines pending: PostgreSQL is the
// truth, the sweeper re-arms every deadline, and each still fires exactly once.
import { Redis } from 'ioredis';
import { until } from './support/processes';
import { createTestApp, type TestApp } from './support/test-app';
import { actions, buildWorld, type World } from './support/world';

// A Redis database of its own, so flushing it touches no other suite.
const REDIS_URL = `${process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379'}/5`;

describe('fault: the queue Redis is flushed', () => {
  let t: TestApp;
  let w: World;
  beforeAll(async () => {
    t = await createTestApp({ CLOCK_MODE: 'controllable', REDIS_URL });
    w = await buildWorld(t);
  });
  afterAll(() => t?.close());

  it('fires every pending deadline once after FLUSHDB', async () => {
    const a = actions(t, w);
    const ids: string[] = [];
    for (let i = 0; i < 5; i++) ids.push((await a.submit({ title: `flush case ${i}` })).id);
    await until(
      () => t.db.query(`SELECT count(*)::int AS n FROM outbox WHERE dispatched_at IS NULL`),
      ([x]) => x.n === 0,
    );

    const redis = new Redis(REDIS_URL);
    try {
      expect((await redis.keys(`${t.config.QUEUE_PREFIX}:deadlines:*`)).length).toBeGreaterThan(0);
      await redis.flushdb();
      expect(await redis.dbsize()).toBe(0);
    } finally {
      redis.disconnect();
    }

    // Four days later every acknowledge (24 h) and review (3 days) deadline is due.
    await t.http().post('/api/v1/test-clock/advance').set('Authorization', a.auth('admin')).send({ days: 4 }).expect(200);
    const count = () =>
      t.db.query(
        `SELECT type, payload->>'kind' AS kind, count(*)::int AS n FROM referral_events
          WHERE referral_id = ANY($1) AND type LIKE 'DEADLINE_%' GROUP BY type, kind ORDER BY type, kind`,
        [ids],
      );
    // Reminders that come after the due time are moot and not sent; every expiry fires.
    const fired = await until(count, (rows) => rows.length === 2 && rows.every((r: { n: number }) => r.n === 5), 30_000);
    expect(fired).toEqual([
      { type: 'DEADLINE_EXPIRED', kind: 'acknowledge', n: 5 },
      { type: 'DEADLINE_EXPIRED', kind: 'review', n: 5 },
    ]);

    // Another sweep (and another day) fires nothing twice.
    await t.http().post('/api/v1/test-clock/advance').set('Authorization', a.auth('admin')).send({ days: 1 }).expect(200);
    await new Promise((r) => setTimeout(r, 1500));
    expect(await count()).toEqual(fired);
    const statuses = await t.db.query(
      `SELECT kind, status, count(*)::int AS n FROM deadlines WHERE referral_id = ANY($1) GROUP BY kind, status ORDER BY kind`,
      [ids],
    );
    expect(statuses).toEqual([
      { kind: 'acknowledge', status: 'breached', n: 5 },
      { kind: 'review', status: 'breached', n: 5 },
    ]);
  });
});
