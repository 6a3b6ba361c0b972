import { Column, Entity, PrimaryGeneratedColumn } from 'typeorm';

/** A side effect decided inside a transition, committed with it, performed after commit by the relay. */
@Entity('outbox')
export class OutboxMessage {
  @PrimaryGeneratedColumn('increment', { type: 'bigint' }) id: string;
  @Column('text') topic: string;
  /** Deterministic: a retried transition or relay never adds the same effect twice. */
  @Column({ name: 'dedupe_key', type: 'text' }) dedupeKey: string;
  @Column('jsonb') payload: Record<string, unknown>;
  @Column({ name: 'created_at', type: 'timestamptz' }) createdAt: Date;
  @Column({ name: 'available_at', type: 'timestamptz' }) availableAt: Date;
  @Column({ name: 'dispatched_at', type: 'timestamptz', nullable: true }) dispatchedAt: Date | null;
  @Column('int') attempts: number;
  @Column({ name: 'last_error', type: 'text', nullable: true }) lastError: string | null;
}
