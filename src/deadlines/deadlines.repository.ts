// The read side of the deadlines table: the only `FROM deadlines` outside the
// engine's write path, one mapped row type, and the named conditions every view
// of deadlines shares (live, open breach, overdue). Functions over the caller's
// connection or transaction, so a read inside a transaction sees its writes.
import type { EntityManager } from 'typeorm';
import type { DeadlineKind } from '../../workflows/referral/referral.deadlines';
import type { Queryable } from '../common/sql-params';
import type { timingOf } from '../queues/deadline-jobs';

export type DeadlineStatus = 'pending' | 'met' | 'breached' | 'paused' | 'cancelled';

/** PostgreSQL is the truth about a deadline; a queue job is only its trigger (keyed by id + version). */
export interface DeadlineRow {
  id: string;
  referralId: string;
  kind: DeadlineKind;
  taskId: string | null;
  responsibleAgencyId: string;
  legalBasis: string;
  periodUnit: string | null;
  periodLength: number | null;
  startsAt: Date;
  dueAt: Date;
  remindAt: Date | null;
  remindedAt: Date | null;
  calendarIncomplete: boolean;
  /** Counted on the provisional calendar of a year not yet published; recomputed when it is loaded. */
  provisional: boolean;
  status: DeadlineStatus;
  pausedAt: Date | null;
  /** Time spent paused so far (bigint, as a string); a recomputed due adds it back. */
  pausedMs: string;
  breachedAt: Date | null;
  resolvedAt: Date | null;
  escalationLevel: number;
  version: number;
  createdAt: Date;
  updatedAt: Date;
}

const toDeadline = (d: Record<string, any>): DeadlineRow => ({
  id: d.id,
  referralId: d.referral_id,
  kind: d.kind,
  taskId: d.task_id,
  responsibleAgencyId: d.responsible_agency_id,
  legalBasis: d.legal_basis,
  periodUnit: d.period_unit,
  periodLength: d.period_length,
  startsAt: d.starts_at,
  dueAt: d.due_at,
  remindAt: d.remind_at,
  remindedAt: d.reminded_at,
  calendarIncomplete: d.calendar_incomplete,
  provisional: d.provisional,
  status: d.status,
  pausedAt: d.paused_at,
  pausedMs: d.paused_ms,
  breachedAt: d.breached_at,
  resolvedAt: d.resolved_at,
  escalationLevel: d.escalation_level,
  version: d.version,
  createdAt: d.created_at,
  updatedAt: d.updated_at,
});

// ---- named conditions on deadline alias `d` -------------------------------------

/** Running or paused: it may still fire. */
export const liveDeadline = (d = 'd') => `${d}.status IN ('pending', 'paused')`;

/** Breached and not yet resolved by the event that was due. */
export const openBreach = (d = 'd') => `(${d}.status = 'breached' AND ${d}.resolved_at IS NULL)`;

/** Still pending past its due time `now` (a $n placeholder), before its expiry job marked it breached. */
export const pendingPastDue = (now: string, d = 'd') => `(${d}.status = 'pending' AND ${d}.due_at < ${now})`;

/** Overdue at `now` (a $n placeholder): an open breach, or pending past its due time. */
export const overdueDeadline = (now: string, d = 'd') => `(${openBreach(d)} OR ${pendingPastDue(now, d)})`;

/** Counted in working or calendar days or months: a calendar change moves it. */
const dayBased = (d = 'd') => `${d}.period_unit IN ('calendar-days', 'working-days', 'months')`;

// ---- fragments for the other tables' queries ------------------------------------

/** SQL: referral alias `r` has a deadline overdue at `now`. */
export const hasOverdueDeadline = (r: string, now: string) =>
  `EXISTS (SELECT 1 FROM deadlines d WHERE d.referral_id = ${r}.id AND ${overdueDeadline(now)})`;

/** SQL: a deadline of referral alias `r` was ever breached (met late counts: breached_at stays). */
export const everBreached = (r: string) =>
  `EXISTS (SELECT 1 FROM deadlines d WHERE d.referral_id = ${r}.id AND d.breached_at IS NOT NULL)`;

/** SQL: how many deadlines of referral alias `r` were ever breached (int; met late counts: breached_at stays). */
export const countEverBreached = (r: string) =>
  `(SELECT count(*) FROM deadlines d WHERE d.referral_id = ${r}.id AND d.breached_at IS NOT NULL)::int`;

/** SQL: how many deadlines of referral alias `r` are overdue at `now` (int). */
export const countOverdueDeadlines = (r: string, now: string) =>
  `(SELECT count(*) FROM deadlines d WHERE d.referral_id = ${r}.id AND ${overdueDeadline(now)})::int`;

/**
 * SQL, a LATERAL subquery: the due time of referral `r`'s review deadline, its latest
 * (created_at, then id) non-cancelled `review` row, or the latest cancelled one if all are.
 */
export const reviewDeadlineDue = (r: string) => `(
                SELECT d.due_at FROM deadlines d
                 WHERE d.referral_id = ${r}.id AND d.kind = 'review'
                 ORDER BY d.status = 'cancelled', d.created_at DESC, d.id DESC LIMIT 1)`;

/** SQL: the earliest due time among referral `r`'s live or unresolved breached deadlines of `kind` (a parameter), or NULL. */
export const openDeadlineDue = (r: string, kind: string) =>
  `(SELECT min(d.due_at) FROM deadlines d
     WHERE d.referral_id = ${r}.id AND d.kind = ${kind} AND (${liveDeadline()} OR ${openBreach()}))`;

/** SQL: the ids of referrals with a live deadline. */
export const referralsWithLiveDeadlines = () => `SELECT referral_id FROM deadlines WHERE ${liveDeadline('deadlines')}`;

/**
 * SQL: one stream of the overdue view, deadlines matching `overdue` with the referral
 * joined (`referralJoin`, alias r) and `where` applied, read in (due_at, id) order from
 * their partial index and cut at `pageSize`.
 */
export const overdueStream = (overdue: string, referralJoin: string, where: string[], pageSize: string) => `(
        SELECT d.id AS deadline_id, d.kind, d.due_at, d.status, d.responsible_agency_id, d.escalation_level,
               r.id AS referral_id, r.workflow, r.reference_no, r.title, r.state, r.domain, r.region_code,
               r.source_agency_id, r.target_agency_id
          FROM deadlines d ${referralJoin}
         WHERE ${[overdue, ...where].join(' AND ')}
         ORDER BY d.due_at, d.id
         LIMIT ${pageSize})`;

// ---- reads ------------------------------------------------------------------------

/** The deadlines a referral view shows (all but cancelled ones), by due time then kind. */
export async function shownDeadlinesOf(q: Queryable, referralIds: string[]): Promise<DeadlineRow[]> {
  const rows = await q.query(
    `SELECT * FROM deadlines WHERE referral_id = ANY($1) AND status <> 'cancelled' ORDER BY due_at, kind`,
    [referralIds],
  );
  return rows.map(toDeadline);
}

/**
 * The deadlines of the given kinds as they stood at timeline event `seq` (created by
 * then; a late notification after a FORWARD must not state the new unit's due times to
 * the old one), or the non-cancelled ones when `seq` is null; newest first.
 */
export async function deadlinesAtEvent(
  q: Queryable,
  referralId: string,
  kinds: readonly string[],
  seq: number | null,
): Promise<DeadlineRow[]> {
  const rows = await q.query(
    `SELECT * FROM deadlines
      WHERE referral_id = $1 AND kind = ANY($2::text[])
        AND ($3::int IS NULL OR created_at <= (SELECT occurred_at FROM referral_events
                                                WHERE referral_id = $1 AND seq = $3))
        AND ($3::int IS NOT NULL OR status <> 'cancelled')
      ORDER BY created_at DESC, id`,
    [referralId, kinds, seq],
  );
  return rows.map(toDeadline);
}

/** The deadline as it is now; `lock` takes its row lock (writers take the referral's first). */
export async function findDeadline(q: Queryable, id: string, { lock = false } = {}): Promise<DeadlineRow | null> {
  const [row] = await q.query(`SELECT * FROM deadlines WHERE id = $1 ${lock ? 'FOR UPDATE' : ''}`, [id]);
  return row ? toDeadline(row) : null;
}

/** Is a live day-based deadline counted while its calendar was incomplete (and not provisionally)? */
export async function anyCountedOnMissingCalendar(q: Queryable): Promise<boolean> {
  const rows = await q.query(
    `SELECT 1 FROM deadlines d WHERE d.calendar_incomplete AND NOT d.provisional AND ${liveDeadline()} AND ${dayBased()} LIMIT 1`,
  );
  return rows.length > 0;
}

/** The live day-based deadlines, locked: a calendar change recounts them. Lock their referrals first. */
export async function lockLiveDayBased(tx: EntityManager): Promise<DeadlineRow[]> {
  const rows = await tx.query(`SELECT * FROM deadlines d WHERE ${liveDeadline()} AND ${dayBased()} FOR UPDATE`);
  return rows.map(toDeadline);
}

/** A recounted due time: a new version, so a new job and a stale old one. The raw row, as queues/deadline-jobs timingOf reads it. */
export async function replanDeadline(
  tx: EntityManager,
  id: string,
  p: Pick<DeadlineRow, 'dueAt' | 'remindAt' | 'remindedAt' | 'calendarIncomplete' | 'provisional' | 'updatedAt'>,
): Promise<Record<string, any> & Parameters<typeof timingOf>[0]> {
  const [[row]] = await tx.query(
    `UPDATE deadlines SET due_at = $2, remind_at = $3, reminded_at = $4, calendar_incomplete = $5, provisional = $6,
            version = version + 1, updated_at = $7
      WHERE id = $1 RETURNING *`,
    [id, p.dueAt, p.remindAt, p.remindedAt, p.calendarIncomplete, p.provisional, p.updatedAt],
  );
  return row;
}

// ---- the engine's and the clocks' side: raw rows (snake_case, as timingOf and the processor read them) ----

/** A deadlines row as PostgreSQL returns it (the columns arming reads, and the rest). */
export type DeadlineRecord = Parameters<typeof timingOf>[0] & Record<string, any>;

/** The paused deadlines of a kind, locked: RESUME moves their due time by the time left. */
export function lockPaused(
  tx: EntityManager,
  referralId: string,
  kind: string,
): Promise<{ id: string; due_at: Date; paused_at: Date }[]> {
  return tx.query(
    `SELECT id, due_at, paused_at FROM deadlines WHERE referral_id = $1 AND kind = $2 AND status = 'paused' FOR UPDATE`,
    [referralId, kind],
  );
}

/** The review deadline still open (live, or breached and unresolved), locked: an extension recounts it. */
export function lockOpenReview(
  tx: EntityManager,
  referralId: string,
): Promise<{ id: string; starts_at: Date; paused_ms: string; status: string }[]> {
  return tx.query(
    `SELECT id, starts_at, paused_ms, status FROM deadlines
      WHERE referral_id = $1 AND kind = 'review' AND (${liveDeadline('deadlines')} OR ${openBreach('deadlines')})
      FOR UPDATE`,
    [referralId],
  );
}

/** The referral a deadline belongs to (jobs armed before they carried referralId). */
export async function referralOfDeadline(q: Queryable, deadlineId: string): Promise<string | null> {
  const [row] = await q.query(`SELECT referral_id FROM deadlines WHERE id = $1`, [deadlineId]);
  return row?.referral_id ?? null;
}

/** The deadline as PostgreSQL returns it, for arming (timingOf reads the raw columns). */
export async function deadlineRecord(q: Queryable, deadlineId: string): Promise<DeadlineRecord | null> {
  const [row] = await q.query(`SELECT * FROM deadlines WHERE id = $1`, [deadlineId]);
  return row ?? null;
}

/** What the sweeper re-arms: pending ones due (or reminding) by `horizon`, breaches whose escalation comes by then. */
export function dueBy(q: Queryable, horizon: Date, escalationGraceHours: number): Promise<DeadlineRecord[]> {
  return q.query(
    `SELECT * FROM deadlines
      WHERE (status = 'pending' AND (due_at <= $1 OR (reminded_at IS NULL AND remind_at <= $1)))
         OR (${openBreach('deadlines')} AND escalation_level < 2 AND breached_at + ($2 * interval '1 hour') <= $1)`,
    [horizon, escalationGraceHours],
  );
}

/** Every deadline that still wants a job, in id order after `afterId`: the re-arm after a Redis loss. */
export function wantingJobsAfter(q: Queryable, afterId: string, limit: number): Promise<DeadlineRecord[]> {
  return q.query(
    `SELECT * FROM deadlines
      WHERE id > $1 AND (status = 'pending' OR (${openBreach('deadlines')} AND escalation_level < 2))
      ORDER BY id LIMIT ${Number(limit)}`,
    [afterId],
  );
}

/**
 * The years, not loaded yet, that open deadlines are counted into (the start day is not
 * counted), with how many deadlines each, leaving out years whose reminder is already in
 * the outbox (its dedupe key 'calendar-missing:<year>').
 */
export function yearsCountedOnMissingCalendars(q: Queryable, timeZone: string): Promise<{ year: number; pending: number }[]> {
  return q.query(
    `SELECT y.year, count(DISTINCT d.id)::int AS pending
       FROM deadlines d
      CROSS JOIN LATERAL generate_series(
             extract(year FROM (d.starts_at AT TIME ZONE $1)::date + 1)::int,
             extract(year FROM (d.due_at - interval '1 millisecond') AT TIME ZONE $1)::int) AS y(year)
      WHERE d.calendar_incomplete AND ${liveDeadline()}
        AND NOT EXISTS (SELECT 1 FROM calendars c WHERE c.year = y.year)
        AND NOT EXISTS (SELECT 1 FROM outbox o WHERE o.dedupe_key = 'calendar-missing:' || y.year)
      GROUP BY y.year ORDER BY y.year`,
    [timeZone],
  );
}
