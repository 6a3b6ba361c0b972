// Years whose calendar is not loaded: deadlines counted on the provisional calendar
// are marked so and recomputed when an admin loads the year; the reminder to load
// it is written by the sweeper, once a year, outside every event's transaction, to
// the administration agency only, naming no referral.
import { Client } from 'pg';
import { CalendarsService } from '../src/deadlines/calendars.service';
import { DeadlineScheduler } from '../src/deadlines/deadline.scheduler';
import { createTestApp, type TestApp } from './support/test-app';
import { until } from './support/until';
import { actions, buildWorld, PASSWORD, referralBody, type World } from './support/world';

describe('provisional calendar of a year not loaded', () => {
  let t: TestApp;
  let w: World;
  let a: ReturnType<typeof actions>;
  let year: number;
  let saved: { holidays: string[]; workdays: string[] } | undefined;

  const localDay = (at: Date) => at.toLocaleDateString('sv-SE', { timeZone: 'Asia/Shanghai' });
  const reviewOf = async (referralId: string) =>
    (await a.get(referralId, 'officer')).body.deadlines.find((d: { kind: string }) => d.kind === 'review');
  const drained = () =>
    until(
      () => t.db.query(`SELECT count(*)::int AS n FROM outbox WHERE dispatched_at IS NULL`),
      ([x]) => x.n === 0,
    );

  beforeAll(async () => {
    t = await createTestApp({}, { world: true });
    w = await buildWorld(t);
    a = actions(t, w);
    // The year the review periods submitted now end in is made "not yet published".
    const probe = await a.submit({ title: 'calendar probe' });
    year = Number(localDay(new Date(new Date((await reviewOf(probe.id)).dueAt).getTime() - 1)).slice(0, 4));
    [saved] = await t.db.query(`SELECT holidays, workdays FROM calendars WHERE year = $1`, [year]);
    await t.db.query(`DELETE FROM calendars WHERE year = $1`, [year]);
    await a.send(probe.id, 'officer', { type: 'WITHDRAW', reason: 'probe only' }).expect(200);
  });
  afterAll(() => t?.close());

  it('runs 32 concurrent events scheduling into the year without waiting on one shared row', async () => {
    // Another event's transaction still in flight, holding the year's reminder key: before
    // the fix every event wrote that key too and queued behind it (then 503 on the pool).
    const holder = new Client({ connectionString: t.databaseUrl });
    await holder.connect();
    await holder.query('BEGIN');
    await holder.query(
      `INSERT INTO outbox (topic, dedupe_key, payload) VALUES ('notification', $1, '{}') ON CONFLICT (dedupe_key) DO NOTHING`,
      [`calendar-missing:${year}`],
    );
    // Released after 8 s at the latest, so the code before the fix fails instead of hanging.
    let release!: () => void;
    const released = new Promise<void>((resolve) => (release = resolve)).then(() => holder.query('ROLLBACK'));
    const timer = setTimeout(release, 8000);
    let statuses: (number | string)[];
    const started = Date.now();
    try {
      statuses = await Promise.all(
        Array.from({ length: 32 }, (_, i) =>
          t
            .http()
            .post('/api/v1/referrals')
            .set('Authorization', a.auth('officer'))
            .send(referralBody(w.agencies.hzPsb, { title: `concurrent ${i}` }))
            .then((r) => (r.status === 201 ? 201 : `${r.status} ${JSON.stringify(r.body)}`)),
        ),
      );
    } finally {
      clearTimeout(timer);
      release();
      await released;
      await holder.end();
    }
    expect(Date.now() - started).toBeLessThan(8000);
    expect(statuses).toEqual(Array(32).fill(201));
    const [row] = await t.db.query(
      `SELECT count(*)::int AS n, bool_and(provisional) AS provisional FROM deadlines
        WHERE kind = 'review' AND status = 'pending' AND calendar_incomplete`,
    );
    expect(row).toEqual({ n: 32, provisional: true });
    // Nothing about the calendar was written by the events themselves.
    expect(await t.db.query(`SELECT id FROM outbox WHERE dedupe_key LIKE 'calendar-missing:%'`)).toEqual([]);
  });

  it('reminds the administration agency once, naming the year and how many deadlines, not the referrals', async () => {
    // An admin user in an agency outside these referrals' scope (Jiangsu) must hear nothing.
    const res = await t
      .http()
      .post('/api/v1/users')
      .set('Authorization', a.auth('admin'))
      .send({ username: 'js-admin', password: PASSWORD, displayName: 'js admin', agencyId: w.agencies.jsPro, roles: ['admin'] });
    expect(res.status).toBe(201);

    const scheduler = t.app.get(DeadlineScheduler);
    expect(await scheduler.remindToLoadCalendars()).toBe(1);
    await scheduler.sweep();
    await scheduler.sweep();
    expect(await scheduler.remindToLoadCalendars()).toBe(0);
    await drained();
    const [admin] = await t.db.query(`SELECT id FROM agencies WHERE code = 'caselink-admin'`);
    const notices = await until(
      () => t.db.query(`SELECT agency_id, referral_id, title, body FROM notifications WHERE type = 'calendar-missing'`),
      (rows) => rows.length > 0,
    );
    expect(await t.db.query(`SELECT id FROM outbox WHERE dedupe_key LIKE 'calendar-missing:%'`)).toHaveLength(1);
    expect(notices).toHaveLength(1);
    expect(notices[0]).toMatchObject({ agency_id: admin.id, referral_id: null, title: `Load the holiday calendar for ${year}` });
    expect(notices[0].body).toContain(`32 pending deadlines count days in ${year}`);
    const refs: { reference_no: string; title: string }[] = await t.db.query(`SELECT reference_no, title FROM referrals`);
    for (const r of refs) {
      expect(notices[0].body).not.toContain(r.reference_no);
      expect(notices[0].body).not.toContain(r.title);
    }
    const inbox = await t
      .http()
      .get('/api/v1/notifications')
      .set('Authorization', `Bearer ${await t.login('js-admin', PASSWORD)}`);
    expect(inbox.status).toBe(200);
    expect(inbox.body.items.filter((n: { type: string }) => n.type === 'calendar-missing')).toEqual([]);
  });

  it('marks the deadline provisional in the view; loading the year recomputes it and drops the flag', async () => {
    const r = await a.submit({ title: 'provisional view' });
    const before = await reviewOf(r.id);
    expect(before).toMatchObject({ calendarIncomplete: true, provisional: true, status: 'pending' });

    // The official year makes the review's last day a holiday, so the period moves on.
    const lastDay = localDay(new Date(new Date(before.dueAt).getTime() - 1));
    const official = saved ?? { holidays: [], workdays: [] };
    const put = await t
      .http()
      .put(`/api/v1/calendars/${year}`)
      .set('Authorization', a.auth('admin'))
      .send({ holidays: [...official.holidays, lastDay], workdays: official.workdays.filter((d) => d !== lastDay) });
    expect(put.status).toBe(200);
    expect(put.body.recomputedDeadlines).toBeGreaterThanOrEqual(33);
    const after = await reviewOf(r.id);
    expect(after).toMatchObject({ calendarIncomplete: false, provisional: false, status: 'pending' });
    expect(new Date(after.dueAt).getTime()).toBeGreaterThan(new Date(before.dueAt).getTime());
    const [left] = await t.db.query(`SELECT count(*)::int AS n FROM deadlines WHERE provisional AND status = 'pending'`);
    expect(left.n).toBe(0);
  });

  it('recounts at boot the deadlines counted before the provisional calendar, and when a shipped year is new', async () => {
    await t.db.query(`DELETE FROM calendars WHERE year = $1`, [year]);
    const r = await a.submit({ title: 'counted by an older version' });
    // As an older version stored it: weekends only, not provisional, a different due time.
    const [[old]] = await t.db.query(
      `UPDATE deadlines SET provisional = false, due_at = due_at + interval '1 day'
        WHERE referral_id = $1 AND kind = 'review' RETURNING id, due_at, version`,
      [r.id],
    );
    expect(await t.app.get(CalendarsService).seedShippedYears()).toBeGreaterThanOrEqual(1);
    const [now] = await t.db.query(`SELECT due_at, version, provisional, calendar_incomplete FROM deadlines WHERE id = $1`, [
      old.id,
    ]);
    expect(now.version).toBe(old.version + 1);
    expect(now.due_at.getTime()).not.toBe(old.due_at.getTime());
    expect(now.provisional).toBe(now.calendar_incomplete); // provisional unless the year is shipped
    expect(await t.app.get(CalendarsService).seedShippedYears()).toBe(0); // nothing left to do
  });
});
