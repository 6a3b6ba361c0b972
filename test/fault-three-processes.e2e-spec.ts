// Three worker processes against one database and Redis; 200 referrals whose
// acknowledge deadlines the test clock makes due: each deadline fires once and
// each notification is written once, however the processes race.
import { startService, sharedEnv, until, type ServiceProcess } from './support/processes';
import { createTestApp, type TestApp } from './support/test-app';
import { actions, buildWorld, type World } from './support/world';

jest.setTimeout(180_000);
const REFERRALS = 200;

describe('fault: three processes share the work', () => {
  let t: TestApp;
  let w: World;
  const processes: ServiceProcess[] = [];

  beforeAll(async () => {
    t = await createTestApp({ CLOCK_MODE: 'controllable', RUN_WORKERS: 'false' }, { world: true });
    w = await buildWorld(t);
    // They boot while the test submits (their relays and sweepers take up whatever is in the outbox by then).
    for (let i = 0; i < 3; i++) processes.push(startService(sharedEnv(t), 'worker'));
  });
  afterAll(async () => {
    await Promise.all(processes.map((p) => p.kill()));
    await t?.close();
  });

  it('fires each of 200 deadlines once and writes each notification once', async () => {
    const a = actions(t, w);
    const ids: string[] = [];
    // Submitted in batches no wider than the test app's pool (4) allows without queueing for long on a busy machine:
    // what this test races is the firing of deadlines across processes, not submissions.
    for (let i = 0; i < REFERRALS; i += 8) {
      const batch = await Promise.all(Array.from({ length: 8 }, (_, j) => a.submit({ title: `bulk case ${i + j}` })));
      ids.push(...batch.map((r) => r.id));
    }
    await Promise.all(processes.map((p) => p.waitFor('running as a worker')));
    await until(
      () => t.db.query(`SELECT count(*)::int AS n FROM outbox WHERE dispatched_at IS NULL`),
      ([x]) => x.n === 0,
      60_000,
    );

    const advance = (hours: number) =>
      t.http().post('/api/v1/test-clock/advance').set('Authorization', a.auth('admin')).send({ hours }).expect(200);
    const fired = () =>
      t.db.query(
        `SELECT type, count(*)::int AS n, count(DISTINCT referral_id)::int AS referrals FROM referral_events
          WHERE type LIKE 'DEADLINE_%' GROUP BY type ORDER BY type`,
      );
    // Half-time of the 24-hour acknowledge period: 200 reminders; then past it: 200 breaches.
    await advance(13);
    await until(
      fired,
      (rows) => rows.some((r: { type: string; n: number }) => r.type === 'DEADLINE_REMINDER' && r.n >= REFERRALS),
      60_000,
      100,
    );
    const expiryStarted = Date.now();
    await advance(12);
    const counts = await until(
      fired,
      (rows) => rows.length === 2 && rows.every((r: { n: number }) => r.n >= REFERRALS),
      60_000,
      100,
    );
    expect(counts).toEqual([
      { type: 'DEADLINE_EXPIRED', n: REFERRALS, referrals: REFERRALS },
      { type: 'DEADLINE_REMINDER', n: REFERRALS, referrals: REFERRALS },
    ]);
    console.info(`${REFERRALS} expiries fired by three worker processes in ${Date.now() - expiryStarted} ms`);
    const breached = await t.db.query(
      `SELECT count(*)::int AS n FROM deadlines WHERE kind = 'acknowledge' AND status = 'breached'`,
    );
    expect(breached[0].n).toBe(REFERRALS);

    // Breach notices: the responsible police, hz-pro, the Zhejiang supervisor and the national
    // administration (region 000000), once per referral each.
    const notices = () =>
      t.db.query(
        `SELECT agency_id, count(*)::int AS n, count(DISTINCT referral_id)::int AS referrals FROM notifications
          WHERE type = 'deadline-breached' GROUP BY agency_id`,
      );
    const rows = await until(notices, (r) => r.length === 4 && r.every((x: { n: number }) => x.n >= REFERRALS), 60_000, 100);
    const [national] = await t.db.query(`SELECT id FROM agencies WHERE code = 'caselink-admin'`);
    expect(rows.map((r: { agency_id: string }) => r.agency_id).sort()).toEqual(
      [w.agencies.hzPsb, w.agencies.hzPro, w.agencies.zjKunlun, national.id].sort(),
    );
    for (const r of rows) expect(r).toMatchObject({ n: REFERRALS, referrals: REFERRALS });

    // Every outbox message was relayed, none left behind by the racing relays.
    const [{ n: dispatched }] = await t.db.query(`SELECT count(*)::int AS n FROM outbox WHERE dispatched_at IS NULL`);
    expect(dispatched).toBe(0);
  });
});
