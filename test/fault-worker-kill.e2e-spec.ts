// kill -9 of a worker after a job's effect committed and before the job was
// acknowledged: the next worker takes the stalled job over, and the effect still
// happens exactly once (one timeline event and one notification per recipient for
// a deadline; one POST and one succeeded delivery for a webhook).
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { QueueService } from '../src/queues/queue.service';
import { startService, sharedEnv, until, type ServiceProcess } from './support/processes';
import { createTestApp, type TestApp } from './support/test-app';
import { actions, buildWorld, type World } from './support/world';

jest.setTimeout(120_000);
// The worker that takes over looks for stalled jobs every second (its first look is a stalled interval after
// it starts); the killed one held its lock for the usual 2 s of the fault tests (sharedEnv).
const TAKEOVER = { WORKER_LOCK_MS: '1000' };

describe('fault: worker killed in the middle of a job', () => {
  let t: TestApp;
  let w: World;
  // The webhook test runs on an app of its own (own database and queue prefix), so that its first
  // worker boots while the deadline test runs: no job of one test can reach the other's workers.
  let tw: TestApp;
  let ww: World;
  let webhookFirst: ServiceProcess;
  const workers: ServiceProcess[] = [];

  beforeAll(async () => {
    // This process serves HTTP only; the workers are separate processes.
    const env = { CLOCK_MODE: 'controllable', RUN_WORKERS: 'false', WEBHOOK_ALLOW_PRIVATE_TARGETS: 'true' };
    [t, tw] = await Promise.all([createTestApp(env, { world: true }), createTestApp(env, { world: true })]);
    [w, ww] = await Promise.all([buildWorld(t), buildWorld(tw)]);
    webhookFirst = startService(sharedEnv(tw, { FAULT_PAUSE_AFTER_JOB: 'webhook.deliver' }), 'worker');
    workers.push(webhookFirst);
  });
  afterAll(async () => {
    await Promise.all(workers.map((p) => p.kill()));
    await Promise.all([t?.close(), tw?.close()]);
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
    await until(
      () => t.db.query(`SELECT count(*)::int AS n FROM outbox WHERE dispatched_at IS NULL`),
      ([x]) => x.n === 0,
    );

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

    const second = startService(sharedEnv(t, TAKEOVER), 'worker');
    workers.push(second);
    await second.waitFor('running as a worker');

    const queues = t.app.get(QueueService);
    const jobId = `deadline.expire.${ack[0].id}.v${ack[0].version}`;
    const state = await until(
      () => queues.queues.deadlines.getJobState(jobId),
      (s) => s === 'completed',
      30_000,
    );
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
  it('delivers a webhook once although the worker died after the POST and before acknowledging the job', async () => {
    const t = tw;
    const w = ww;
    // the deadline test's workers stop; this test's first worker has been booting meanwhile
    await Promise.all(
      workers
        .splice(0)
        .filter((p) => p !== webhookFirst)
        .map((p) => p.kill()),
    );
    workers.push(webhookFirst);
    const posts: string[] = [];
    const receiver: Server = createServer((req, res) => {
      posts.push(String(req.headers['x-caselink-delivery']));
      req.resume().on('end', () => res.writeHead(204).end());
    });
    await new Promise<void>((r) => receiver.listen(0, '127.0.0.1', r));
    try {
      const a = actions(t, w);
      const url = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/hook`;
      const hook = await t
        .http()
        .post('/api/v1/webhooks')
        .set('Authorization', a.auth('lead'))
        .send({ url, eventTypes: ['SUBMIT'] });
      expect(hook.status).toBe(201);

      const first = webhookFirst;
      await first.waitFor('running as a worker');
      const r = await a.submit({ title: 'webhook under fault' });
      await first.waitFor('fault-pause webhook.deliver');
      await first.kill('SIGKILL');

      const second = startService(sharedEnv(t, TAKEOVER), 'worker');
      workers.push(second);
      await second.waitFor('running as a worker');
      const [delivery] = await t.db.query(`SELECT id FROM webhook_deliveries WHERE referral_id = $1`, [r.id]);
      const queues = t.app.get(QueueService);
      const state = await until(
        () => queues.queues.webhooks.getJobState(`webhook.deliver.${delivery.id}`),
        (s) => s === 'completed',
        30_000,
      );
      expect(state).toBe('completed');

      expect(posts).toEqual([delivery.id]);
      const rows = await t.db.query(`SELECT status, attempts FROM webhook_deliveries WHERE referral_id = $1`, [r.id]);
      expect(rows).toEqual([{ status: 'succeeded', attempts: 1 }]);
    } finally {
      await new Promise((r) => receiver.close(r));
    }
  });
});
