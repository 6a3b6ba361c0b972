// The write side of the timeline (referral_events): the row the engine appends and
// the head of a referral's hash chain. The table is append-only (a trigger refuses
// UPDATE, DELETE and TRUNCATE); reads for the timeline views are in audit.service.
import type { Queryable } from '../common/sql-params';

export const EVENT_COLUMNS = 12;

/** INSERT of one timeline row whose twelve parameters start at `$first` (see timelineValues). */
export function insertEventSql(first: number): string {
  const p = Array.from({ length: EVENT_COLUMNS }, (_, i) => `$${first + i}`);
  return `INSERT INTO referral_events (referral_id, seq, type, actor_user_id, actor_agency_id, actor_system, from_state,
                                       to_state, payload, occurred_at, prev_hash, hash)
          VALUES (${p[0]}::uuid, ${p.slice(1).join(', ')})`;
}

/** The last seq and hash of a referral's chain, read from the table (rows written before the head rode on the referral). */
export async function chainHead(q: Queryable, referralId: string): Promise<{ seq: number; hash: string } | null> {
  const [row] = await q.query(`SELECT seq, hash FROM referral_events WHERE referral_id = $1 ORDER BY seq DESC LIMIT 1`, [
    referralId,
  ]);
  return row ? { seq: row.seq, hash: row.hash } : null;
}
