import { Column, Entity, PrimaryGeneratedColumn } from 'typeorm';
import type { DeadlineKind } from '../../workflows/referral/referral.deadlines';

export type DeadlineStatus = 'pending' | 'met' | 'breached' | 'paused' | 'cancelled';

/** PostgreSQL is the truth about a deadline; a queue job is only its trigger (keyed by id + version). */
@Entity('deadlines')
export class Deadline {
  @PrimaryGeneratedColumn('uuid') id: string;
  @Column({ name: 'referral_id', type: 'uuid' }) referralId: string;
  @Column('text') kind: DeadlineKind;
  @Column({ name: 'task_id', type: 'uuid', nullable: true }) taskId: string | null;
  @Column({ name: 'responsible_agency_id', type: 'uuid' }) responsibleAgencyId: string;
  @Column({ name: 'legal_basis', type: 'text' }) legalBasis: string;
  @Column({ name: 'period_unit', type: 'text', nullable: true }) periodUnit: string | null;
  @Column({ name: 'period_length', type: 'int', nullable: true }) periodLength: number | null;
  @Column({ name: 'starts_at', type: 'timestamptz' }) startsAt: Date;
  @Column({ name: 'due_at', type: 'timestamptz' }) dueAt: Date;
  @Column({ name: 'remind_at', type: 'timestamptz', nullable: true }) remindAt: Date | null;
  @Column({ name: 'reminded_at', type: 'timestamptz', nullable: true }) remindedAt: Date | null;
  @Column({ name: 'calendar_incomplete', type: 'boolean' }) calendarIncomplete: boolean;
  /** Counted on the provisional calendar of a year not yet published; recomputed when it is loaded. */
  @Column('boolean') provisional: boolean;
  @Column('text') status: DeadlineStatus;
  @Column({ name: 'paused_at', type: 'timestamptz', nullable: true }) pausedAt: Date | null;
  /** Time spent paused so far (bigint as string); a recomputed due adds it back. */
  @Column({ name: 'paused_ms', type: 'bigint' }) pausedMs: string;
  @Column({ name: 'breached_at', type: 'timestamptz', nullable: true }) breachedAt: Date | null;
  @Column({ name: 'resolved_at', type: 'timestamptz', nullable: true }) resolvedAt: Date | null;
  @Column({ name: 'escalation_level', type: 'int' }) escalationLevel: number;
  @Column('int') version: number;
  @Column({ name: 'created_at', type: 'timestamptz' }) createdAt: Date;
  @Column({ name: 'updated_at', type: 'timestamptz' }) updatedAt: Date;
}
