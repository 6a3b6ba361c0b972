// A deadline job whose retries ran out (e.g. the database was down longer than
// its backoff) is run again by the sweeper while the deadline row still wants it.
import { Worker } from 'bullmq';
import { Redis } from 'ioredis';
import { DeadlineScheduler } from '../src/deadlines/deadline.scheduler';
import { QueueService } from '../src/queues/queue.service';
import { until } from './support/until';
import { createTestApp, type TestApp } from './support/test-app';
import { actions, buildWorld, type World } from './support/world';

describe('sweeper and failed jobs', () => {
  let t: TestApp;
  let w: World;
  beforeAll(async () => {
    // No workers in this process: the test plays the failing worker itself.
    t = await createTestApp({ CLOCK_MODE: 'controllable', RUN_WORKERS: 'false' }, { world: true });
    w = await buildWorld(t);
  });
  afterAll(() => t?.close());

  it('retries a failed expiry job of a still-pending deadline', async () => {
    const a = actions(t, w);
    const r = await a.submit({ title: 'failed job' });
    const [d] = await t.db.query(`SELECT id, version, due_at FROM deadlines WHERE referral_id = $1 AND kind = 'acknowledge'`, [
      r.id,
    ]);
    const queues = t.app.get(QueueService);
    const id = `deadline.expire.${d.id}.v${d.version}`;
    // The job as it stands after its last retry ran out during an outage: failed.
    await queues.queues.deadlines.add('deadline.expire', { deadlineId: d.id, version: d.version }, { jobId: id, attempts: 1 });

    const connection = new Redis(t.config.REDIS_URL, { maxRetriesPerRequest: null });
    const failing = new Worker(
      'deadlines',
      async () => {
        throw new Error('database unreachable');
      },
      { connection, prefix: t.config.QUEUE_PREFIX },
    );
    try {
      await until(
        () => queues.queues.deadlines.getJobState(id),
        (s) => s === 'failed',
        10_000,
      );
    } finally {
      await failing.close();
      connection.disconnect();
    }
    expect(await queues.queues.deadlines.getJobState(id)).toBe('failed');

    // Past the due time (the test clock moves; this process runs no workers, so nothing else acts).
    await t.http().post('/api/v1/test-clock/advance').set('Authorization', a.auth('admin')).send({ hours: 25 }).expect(200);
    await t.app.get(DeadlineScheduler).sweep();
    expect(['waiting', 'prioritized']).toContain(await queues.queues.deadlines.getJobState(id));
  });
});
