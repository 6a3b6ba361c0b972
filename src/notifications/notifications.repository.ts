// The notifications table's SQL: the only `FROM notifications` (and its writes),
// one mapped row type. An inbox belongs to one agency: every read and the mark
// take the agency id, so another agency's row does not exist here.
import type { Queryable } from '../common/sql-params';
import { SqlParams } from '../common/sql-params';

export interface NotificationRow {
  id: string;
  agencyId: string;
  referralId: string | null;
  type: string;
  title: string;
  body: string;
  createdAt: Date;
  readAt: Date | null;
}

const COLUMNS = `id, agency_id, referral_id, type, title, body, created_at, read_at`;

const toNotification = (n: Record<string, any>): NotificationRow => ({
  id: n.id,
  agencyId: n.agency_id,
  referralId: n.referral_id,
  type: n.type,
  title: n.title,
  body: n.body,
  createdAt: n.created_at,
  readAt: n.read_at,
});

/** Read or unread only; absent: both. */
export const unread = (only: boolean) => (only ? 'read_at IS NULL' : 'read_at IS NOT NULL');

export interface InboxFilter {
  unread?: boolean;
  /** Keyset: strictly before this (created_at, id). */
  before?: { at: string; id: string };
}

/** Newest first, at most `limit` rows. */
export async function listInbox(q: Queryable, agencyId: string, f: InboxFilter, limit: number): Promise<NotificationRow[]> {
  const params = new SqlParams();
  const where = [`agency_id = ${params.add(agencyId)}`];
  if (f.unread !== undefined) where.push(unread(f.unread));
  if (f.before) where.push(`(created_at, id) < (${params.add(f.before.at)}::timestamptz, ${params.add(f.before.id)}::uuid)`);
  const rows = await q.query(
    `SELECT ${COLUMNS} FROM notifications WHERE ${where.join(' AND ')}
      ORDER BY created_at DESC, id DESC LIMIT ${params.add(limit)}`,
    params.values,
  );
  return rows.map(toNotification);
}

export async function findInInbox(q: Queryable, agencyId: string, id: string): Promise<NotificationRow | null> {
  const [row] = await q.query(`SELECT ${COLUMNS} FROM notifications WHERE id = $1 AND agency_id = $2`, [id, agencyId]);
  return row ? toNotification(row) : null;
}

/** Idempotent: reading it again keeps the first read time. False: no such row in this inbox. */
export async function markRead(q: Queryable, agencyId: string, id: string, at: Date): Promise<boolean> {
  const [rows]: [{ id: string }[], number] = await q.query(
    `UPDATE notifications SET read_at = COALESCE(read_at, $3) WHERE id = $1 AND agency_id = $2 RETURNING id`,
    [id, agencyId, at],
  );
  return rows.length > 0;
}

/** One inbox row; the dedupe key makes a repeat write nothing. The id if this call inserted it. */
export async function insertNotification(
  q: Queryable,
  n: Omit<NotificationRow, 'id' | 'readAt'> & { dedupeKey: string },
): Promise<string | null> {
  const rows: { id: string }[] = await q.query(
    `INSERT INTO notifications (agency_id, referral_id, type, title, body, dedupe_key, created_at)
     VALUES ($1, $2, $3, $4, $5, $6, $7)
     ON CONFLICT (dedupe_key) DO NOTHING RETURNING id`,
    [n.agencyId, n.referralId, n.type, n.title, n.body, n.dedupeKey, n.createdAt],
  );
  return rows[0]?.id ?? null;
}
