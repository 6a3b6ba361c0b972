// Side effects are written as outbox rows in the transaction that decided them;
// the relay sends them on after commit. Dedupe keys are deterministic, so a
// retried transition never records the same effect twice.
import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';

export const OUTBOX_TOPICS = {
  /** A deadline row was created or changed: (re)arm its job for this version. */
  deadline: 'deadline',
  /** Notify agencies (inbox rows, SSE). */
  notification: 'notification',
  /** A timeline event happened: fan out to webhook subscriptions. */
  timeline: 'timeline',
} as const;
export type OutboxTopic = (typeof OUTBOX_TOPICS)[keyof typeof OUTBOX_TOPICS];

@Injectable()
export class OutboxWriter {
  async write(tx: EntityManager, topic: OutboxTopic, dedupeKey: string, payload: Record<string, unknown>): Promise<void> {
    await tx.query(`INSERT INTO outbox (topic, dedupe_key, payload) VALUES ($1, $2, $3) ON CONFLICT (dedupe_key) DO NOTHING`, [
      topic,
      dedupeKey,
      payload,
    ]);
    // Wakes the relay at commit (LISTEN/NOTIFY); polling remains the safety net.
    await tx.query(`SELECT pg_notify('caselink_outbox', $1)`, [topic]);
  }

  deadlineChanged(tx: EntityManager, deadlineId: string, version: number): Promise<void> {
    return this.write(tx, OUTBOX_TOPICS.deadline, `deadline:${deadlineId}:v${version}`, { deadlineId, version });
  }
}
