// FLUSHDB of the queue's Redis database with deadlines pending: PostgreSQL is the
// truth, the sweeper re-arms every deadline, and each still fires exactly once; the
// test clock's offset lives in PostgreSQL too, so the flush never moves it back.
import { Redis } from 'ioredis';
import { Clock } from '../src/common/clock';
import { DeadlineScheduler } from '../src/deadlines/deadline.scheduler';
import { TestClockService } from '../src/test-clock/test-clock.service';
import { until } from './support/processes';
import { REDIS } from '../src/redis/redis';
import { BASE_REDIS_URL, databaseOf, redisUrlWithDatabase } from './support/redis-db';
import { createTestApp, type TestApp } from './support/test-app';
import { actions, buildWorld, type World } from './support/world';

const HOUR = 3_600_000;

describe('Redis URLs of the test run', () => {
  it('replaces a database index instead of appending one', () => {
    expect(redisUrlWithDatabase('redis://127.0.0.1:6379', 5)).toBe('redis://127.0.0.1:6379/5');
    expect(redisUrlWithDatabase('redis://127.0.0.1:6379/2', 5)).toBe('redis://127.0.0.1:6379/5');
    expect(redisUrlWithDatabase('redis://u:p%40ss@cache:6380/3?family=6', 7)).toBe('redis://u:p%40ss@cache:6380/7?family=6');
    expect(databaseOf('redis://127.0.0.1:6379')).toBe(0);
    expect(databaseOf('redis://127.0.0.1:6379/4')).toBe(4);
  });
});

describe('fault: the queue Redis is flushed', () => {
  let t: TestApp;
  let w: World;
  let a: ReturnType<typeof actions>;
  beforeAll(async () => {
    // A Redis database of its own, leased for this suite, so flushing it touches no other suite.
    t = await createTestApp({ CLOCK_MODE: 'controllable' }, { ownRedisDatabase: true, world: true });
    w = await buildWorld(t);
    a = actions(t, w);
  });
  afterAll(() => t?.close());

  const flush = async () => {
    const redis = new Redis(t.config.REDIS_URL);
    try {
      expect(databaseOf(t.config.REDIS_URL)).not.toBe(databaseOf(BASE_REDIS_URL));
      expect((await redis.keys(`${t.config.QUEUE_PREFIX}:*`)).length).toBeGreaterThan(0);
      await redis.flushdb();
      expect(await redis.dbsize()).toBe(0);
    } finally {
      redis.disconnect();
    }
  };
  const advance = (by: { days?: number; hours?: number }) =>
    t.http().post('/api/v1/test-clock/advance').set('Authorization', a.auth('admin')).send(by).expect(200);
  const clockNow = async () =>
    new Date((await t.http().get('/api/v1/test-clock').set('Authorization', a.auth('admin')).expect(200)).body.now).getTime();

  let firstAdvanceDays = 0;

  it('fires every pending deadline once after FLUSHDB', async () => {
    const ids: string[] = [];
    for (let i = 0; i < 5; i++) ids.push((await a.submit({ title: `flush case ${i}` })).id);
    await until(
      () => t.db.query(`SELECT count(*)::int AS n FROM outbox WHERE dispatched_at IS NULL`),
      ([x]) => x.n === 0,
    );
    await flush();

    // Past every acknowledge (24 h) and review (3 days) due time: whole days beyond the latest
    // one, since a period ending on a rest day runs on to the next working day (a review
    // submitted on a Wednesday in Asia/Shanghai is due the Monday after, not on Saturday).
    const [{ last }] = await t.db.query(`SELECT max(due_at) AS last FROM deadlines WHERE referral_id = ANY($1)`, [ids]);
    firstAdvanceDays = Math.ceil((last.getTime() - (await clockNow())) / (24 * HOUR)) + 1;
    await advance({ days: firstAdvanceDays });
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
    await advance({ days: 1 });
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

  it('never moves the test clock back: a deadline submitted after the first advance fires after FLUSHDB and a second one', async () => {
    await advance({ days: 2 });
    const r = await a.submit({ title: 'submitted after the first advance' });
    const before = await clockNow();
    await until(
      () => t.db.query(`SELECT count(*)::int AS n FROM outbox WHERE dispatched_at IS NULL`),
      ([x]) => x.n === 0,
    );
    await flush();

    // Its acknowledge deadline (24 h) is due after 25 more hours, counted from where the clock was.
    await advance({ hours: 25 });
    expect(await clockNow()).toBeGreaterThanOrEqual(before + 25 * HOUR);
    const expired = await until(
      () =>
        t.db.query(`SELECT status FROM deadlines WHERE referral_id = $1 AND kind = 'acknowledge' AND status <> 'cancelled'`, [
          r.id,
        ]),
      (rows) => rows[0]?.status === 'breached',
      30_000,
    );
    expect(expired).toEqual([{ status: 'breached' }]);

    // The offset is in PostgreSQL: a process booting now (empty Redis) reads all of it.
    const [{ offset_ms }] = await t.db.query(`SELECT offset_ms FROM test_clock`);
    expect(Number(offset_ms)).toBe((firstAdvanceDays + 1 + 2) * 24 * HOUR + 25 * HOUR);
    const booted = new Clock();
    await new TestClockService(booted, t.config, t.app.get(DeadlineScheduler), t.db, t.app.get<Redis>(REDIS)).refresh();
    expect(booted.offset()).toBe(Number(offset_ms));
  });
});
