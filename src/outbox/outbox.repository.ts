// The only SQL on the outbox table. Rows are written in the transaction that
// decided them and claimed after commit by the relays (FOR UPDATE SKIP LOCKED).
import type { EntityManager } from 'typeorm';

export const OUTBOX_TOPICS = {
  /** A deadline row was created or changed: (re)arm its jobs for this version. */
  deadline: 'deadline',
  /** Notify agencies (inbox rows, SSE). */
  notification: 'notification',
  /** A timeline event happened: fan out to webhook subscriptions. */
  timeline: 'timeline',
} as const;
export type OutboxTopic = (typeof OUTBOX_TOPICS)[keyof typeof OUTBOX_TOPICS];

export interface NewOutboxRow {
  topic: OutboxTopic;
  /** Deterministic: a retried transition never records the same effect twice. */
  dedupeKey: string;
  payload: Record<string, unknown>;
}

export interface OutboxRow {
  id: string;
  topic: OutboxTopic;
  payload: Record<string, any>;
  attempts: number;
}

/**
 * Inserts the rows in one statement and wakes the relays once, at commit
 * (NOTIFY is delivered when the transaction commits; polling is the safety net).
 */
export async function insertOutbox(tx: EntityManager, rows: NewOutboxRow[]): Promise<void> {
  if (rows.length === 0) return;
  await tx.query(
    `WITH rows AS (
       INSERT INTO outbox (topic, dedupe_key, payload)
       SELECT * FROM unnest($1::text[], $2::text[], $3::jsonb[]) ON CONFLICT (dedupe_key) DO NOTHING)
     SELECT pg_notify('caselink_outbox', '')`,
    [rows.map((r) => r.topic), rows.map((r) => r.dedupeKey), rows.map((r) => JSON.stringify(r.payload))],
  );
}

/** Up to `limit` rows due for dispatch, locked for this relay; other relays skip them. */
export function claimDue(tx: EntityManager, limit: number): Promise<OutboxRow[]> {
  return tx.query(
    `SELECT id, topic, payload, attempts FROM outbox
      WHERE dispatched_at IS NULL AND available_at <= now()
      ORDER BY id LIMIT ${Number(limit)} FOR UPDATE SKIP LOCKED`,
  );
}

export async function markDispatched(tx: EntityManager, ids: string[]): Promise<void> {
  if (ids.length === 0) return;
  // clock_timestamp(), not now(): the moment the jobs were handed to Redis, for latency measurements
  await tx.query(
    `UPDATE outbox SET dispatched_at = clock_timestamp(), attempts = attempts + 1, last_error = NULL WHERE id = ANY($1::bigint[])`,
    [ids],
  );
}

/** Backs the row off exponentially (1 s … 5 min) and keeps the error visible on it. */
export async function markFailed(tx: EntityManager, row: OutboxRow, error: string): Promise<void> {
  const backoffMs = Math.min(300_000, 1000 * 2 ** Math.min(row.attempts, 10));
  await tx.query(
    `UPDATE outbox SET attempts = attempts + 1, last_error = $2, available_at = now() + ($3 * interval '1 millisecond') WHERE id = $1`,
    [row.id, error.slice(0, 1000), backoffMs],
  );
}
