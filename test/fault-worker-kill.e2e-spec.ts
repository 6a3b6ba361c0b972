// kill -9 of a worker after a deadline job's effect committed and before the job
// was acknowledged: the next worker takes the stalled job over, and the effect
// still happens exactly once (one timeline event, one notification per recipient).
import { QueueService } from '../src/queues/queue.service';
import { startService, sharedEnv, until, type ServiceProcess } from './support/processes';
import { createTestApp, type TestApp } from './support/test-app';
import { actions, buildWorld, type World } from './support/world';

jest.setTimeout(120_000);

describe('fault: worker killed in the middle of a deadline job', () => {
  let t: TestApp;
  let w: World;
  const workers: ServiceProcess[] = [];

  beforeAll(async () => {
    // This process serves HTTP only; the workers are separate processes.
    t = await createTestApp({ CLOCK_MODE: 'controllable', RUN_WORKERS: 'false' });
    w = await buildWorld(t);
  });
  afterAll(async () => {
    await Promise.all(workers.map((p) => p.kill()));
    await t?.close();
  });

  it('fires the breach once although the first worker died before acknowledging the job', async () => {
    const first = startService(sharedEnv(t, { FAULT_PAUSE_AFTER_JOB: 'deadline.expire' }), 'worker');
    workers.push(first);
    await first.waitFor('running as a worker');

    const a = actions(t, w);
    const r = await a.submit();
    const ack = await until(
      () => t.db.query(`SELECT id, version FROM deadlines WHERE referral_id = $1 AND kind = 'acknowledge'`, [r.id]),
      (rows) => rows.length === 1,
    );
    // The relay in the worker has armed the jobs before the clock moves.
    await until(() => t.db.query(`SELECT count(*)::int AS n FROM outbox WHERE dispatched_at IS NULL`), ([x]) => x.n === 0);

    const advance = (hours: number) =>
      t.http().post('/api/v1/test-clock/advance').set('Authorization', a.auth('admin')).send({ hours }).expect(200);
    // Half-time: the reminder; then past the 24 hours: the expiry, where the first worker dies.
    await advance(13);
    await until(
      () => t.db.query(`SELECT reminded_at FROM deadlines WHERE id = $1`, [ack[0].id]),
      ([d]) => d.reminded_at !== null,
    );
    await advance(12);
    await first.waitFor('fault-pause deadline.expire');
    await first.kill('SIGKILL');

    const second = startService(sharedEnv(t), 'worker');
    workers.push(second);
    await second.waitFor('running as a worker');

    const queues = t.app.get(QueueService);
    const jobId = `deadline.expire.${ack[0].id}.v${ack[0].version}`;
    const state = await until(() => queues.queues.deadlines.getJobState(jobId), (s) => s === 'completed', 30_000);
    expect(state).toBe('completed');

    const events = await t.db.query(
      `SELECT type, count(*)::int AS n FROM referral_events WHERE referral_id = $1 GROUP BY type ORDER BY type`,
      [r.id],
    );
    expect(events).toEqual([
      { type: 'DEADLINE_EXPIRED', n: 1 },
      { type: 'DEADLINE_REMINDER', n: 1 },
      { type: 'SUBMIT', n: 1 },
    ]);
    const [deadline] = await t.db.query(`SELECT status, escalation_level FROM deadlines WHERE id = $1`, [ack[0].id]);
    expect(deadline).toEqual({ status: 'breached', escalation_level: 1 });
    // One breach notification message, and (once delivered) one inbox row per recipient.
    const breachMessages = await t.db.query(
      `SELECT count(*)::int AS n FROM outbox WHERE topic = 'notification' AND payload->>'template' = 'deadline-breached' AND payload->>'referralId' = $1`,
      [r.id],
    );
    expect(breachMessages[0].n).toBe(1);
    const perRecipient = await until(
      () =>
        t.db.query(
          `SELECT agency_id, count(*)::int AS n FROM notifications WHERE referral_id = $1 AND type = 'deadline-breached' GROUP BY agency_id`,
          [r.id],
        ),
      (rows) => rows.length >= 4,
    );
    // the responsible police, hz-pro, the Zhejiang supervisor and the national administration (region 000000)
    const [national] = await t.db.query(`SELECT id FROM agencies WHERE code = 'caselink-admin'`);
    expect(perRecipient.map((x: { agency_id: string }) => x.agency_id).sort()).toEqual(
      [w.agencies.hzPsb, w.agencies.hzPro, w.agencies.zjKunlun, national.id].sort(),
    );
    expect(perRecipient.every((x: { n: number }) => x.n === 1)).toBe(true);
  });
});
