// Side effects are written as outbox rows in the transaction that decided them;
// the relay sends them on after commit.
import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import type { DeadlineTiming } from '../queues/deadline-jobs';
import { insertOutbox, OUTBOX_TOPICS, type NewOutboxRow, type OutboxTopic } from './outbox.repository';

export { OUTBOX_TOPICS, type OutboxTopic } from './outbox.repository';

/** The outbox row that (re)arms a deadline's jobs: it carries the timing, so the relay reads nothing back. */
export function deadlineChangedRow(d: DeadlineTiming): NewOutboxRow {
  return { topic: OUTBOX_TOPICS.deadline, dedupeKey: `deadline:${d.deadlineId}:v${d.version}`, payload: { ...d } };
}

@Injectable()
export class OutboxWriter {
  write(tx: EntityManager, topic: OutboxTopic, dedupeKey: string, payload: Record<string, unknown>): Promise<void> {
    return insertOutbox(tx, [{ topic, dedupeKey, payload }]);
  }

  deadlineChanged(tx: EntityManager, d: DeadlineTiming): Promise<void> {
    return insertOutbox(tx, [deadlineChangedRow(d)]);
  }
}
