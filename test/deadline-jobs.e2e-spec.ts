// Deadline jobs on the test clock: reminder timing, breach escalation to level 2,
// and a calendar change re-arming the job of a moved deadline.
import { QueueService } from '../src/queues/queue.service';
import { until } from './support/processes';
import { createTestApp, type TestApp } from './support/test-app';
import { actions, buildWorld, type World } from './support/world';

describe('deadline jobs', () => {
  let t: TestApp;
  let w: World;
  let a: ReturnType<typeof actions>;
  beforeAll(async () => {
    t = await createTestApp({ CLOCK_MODE: 'controllable', ESCALATION_GRACE_HOURS: '48' }, { world: true });
    w = await buildWorld(t);
    a = actions(t, w);
  });
  afterAll(() => t?.close());

  const advance = (hours: number) =>
    t.http().post('/api/v1/test-clock/advance').set('Authorization', a.auth('admin')).send({ hours }).expect(200);
  const deadline = async (referralId: string, kind: string) =>
    (
      await t.db.query(`SELECT * FROM deadlines WHERE referral_id = $1 AND kind = $2 AND status <> 'cancelled'`, [
        referralId,
        kind,
      ])
    )[0];
  const drained = () =>
    until(
      () => t.db.query(`SELECT count(*)::int AS n FROM outbox WHERE dispatched_at IS NULL`),
      ([x]) => x.n === 0,
    );

  it('reminds the acknowledge deadline at 12 h and the review deadline 24 h before it is due', async () => {
    const r = await a.submit({ title: 'reminder timing' });
    const ack = await deadline(r.id, 'acknowledge');
    const review = await deadline(r.id, 'review');
    expect(ack.remind_at.getTime() - ack.starts_at.getTime()).toBe(12 * 3_600_000);
    expect(review.due_at.getTime() - review.remind_at.getTime()).toBe(24 * 3_600_000);

    await drained();
    await advance(11);
    await new Promise((res) => setTimeout(res, 500));
    expect((await deadline(r.id, 'acknowledge')).reminded_at).toBeNull();
    await advance(2);
    const reminded = await until(
      () => deadline(r.id, 'acknowledge'),
      (d) => d.reminded_at !== null,
    );
    expect(reminded.status).toBe('pending');
  });

  it('escalates an unresolved breach to level 2 after the grace period, to the supervisor one level up', async () => {
    const r = await a.submit({ title: 'escalation' });
    await drained();
    await advance(25);
    const breached = await until(
      () => deadline(r.id, 'acknowledge'),
      (d) => d.status === 'breached',
    );
    expect(breached.escalation_level).toBe(1);
    await advance(47);
    await new Promise((res) => setTimeout(res, 500));
    expect((await deadline(r.id, 'acknowledge')).escalation_level).toBe(1);
    await advance(2);
    const escalated = await until(
      () => deadline(r.id, 'acknowledge'),
      (d) => d.escalation_level === 2,
    );
    expect(escalated.escalation_level).toBe(2);
    // Hangzhou 330100 → Zhejiang 330000: the provincial Kunlun office hears of it.
    const messages = await t.db.query(
      `SELECT payload FROM outbox WHERE topic = 'notification' AND payload->>'template' = 'deadline-escalated' AND payload->>'deadlineId' = $1`,
      [escalated.id],
    );
    expect(messages).toHaveLength(1);
    expect(messages[0].payload.recipientAgencyIds).toEqual([w.agencies.zjKunlun]);
  });

  it('gives an extended review a fresh reminder before its new due time', async () => {
    const r = await a.submit({ title: 'extension' });
    await a.send(r.id, 'lead', { type: 'ACKNOWLEDGE' }).expect(200);
    await drained();
    const review = await deadline(r.id, 'review');
    const now = new Date((await t.http().get('/api/v1/test-clock').set('Authorization', a.auth('admin'))).body.now);
    await advance(Math.ceil((review.remind_at.getTime() - now.getTime()) / 3_600_000) + 1);
    const reminded = await until(
      () => deadline(r.id, 'review'),
      (d) => d.reminded_at !== null,
    );
    expect(reminded.status).toBe('pending');

    await a.send(r.id, 'lead', { type: 'EXTEND_REVIEW', tier: 'complex', reason: 'cross-region supply chain' }).expect(200);
    const extended = await deadline(r.id, 'review');
    expect(extended.due_at.getTime()).toBeGreaterThan(review.due_at.getTime() + 20 * 24 * 3_600_000);
    expect(extended.reminded_at).toBeNull();
    expect(extended.due_at.getTime() - extended.remind_at.getTime()).toBe(24 * 3_600_000);
    expect(extended.version).toBeGreaterThan(reminded.version);
    await drained();
    const job = await until(
      () => t.app.get(QueueService).queues.deadlines.getJob(`deadline.remind.${extended.id}.v${extended.version}`),
      (j) => j !== undefined,
    );
    expect(job!.data).toEqual({ deadlineId: extended.id, version: extended.version, referralId: r.id });
  });

  it('re-arms the job under a new version when a calendar change moves a deadline', async () => {
    const r = await a.submit({ title: 'recompute' });
    await drained();
    const before = await deadline(r.id, 'review');
    const queues = t.app.get(QueueService);
    const jobOf = (d: { id: string; version: number }) => queues.queues.deadlines.getJob(`deadline.expire.${d.id}.v${d.version}`);
    expect(await jobOf(before)).toBeDefined();

    // Make the review's last counted day a holiday: the period rolls on to the next working day.
    const lastDay = new Date(before.due_at.getTime() - 3_600_000).toLocaleDateString('sv-SE', { timeZone: 'Asia/Shanghai' });
    const year = Number(lastDay.slice(0, 4));
    const current = (await t.http().get(`/api/v1/calendars/${year}`).set('Authorization', a.auth('admin'))).body;
    await t
      .http()
      .put(`/api/v1/calendars/${year}`)
      .set('Authorization', a.auth('admin'))
      .send({ holidays: [...current.holidays, lastDay], workdays: current.workdays.filter((d: string) => d !== lastDay) })
      .expect(200);
    const after = await deadline(r.id, 'review');
    expect(after.version).toBe(before.version + 1);
    expect(after.due_at.getTime()).toBeGreaterThan(before.due_at.getTime());
    await drained();
    const job = await until(
      () => jobOf(after),
      (j) => j !== undefined,
    );
    expect(job!.data).toEqual({ deadlineId: after.id, version: after.version, referralId: after.referral_id });
    expect(
      await until(
        () => jobOf(before),
        (j) => j === undefined,
      ),
    ).toBeUndefined();
    await t
      .http()
      .put(`/api/v1/calendars/${year}`)
      .set('Authorization', a.auth('admin'))
      .send({ holidays: current.holidays, workdays: current.workdays })
      .expect(200);
  });
});
