import { Column, Entity, PrimaryGeneratedColumn } from 'typeorm';

/** One row of a referral's timeline; append-only (a trigger refuses UPDATE/DELETE). */
@Entity('referral_events')
export class ReferralEventRecord {
  @PrimaryGeneratedColumn('increment', { type: 'bigint' }) id: string;
  @Column({ name: 'referral_id', type: 'uuid' }) referralId: string;
  @Column('int') seq: number;
  @Column('text') type: string;
  @Column({ name: 'actor_user_id', type: 'uuid', nullable: true }) actorUserId: string | null;
  @Column({ name: 'actor_agency_id', type: 'uuid', nullable: true }) actorAgencyId: string | null;
  @Column({ name: 'actor_system', type: 'boolean' }) actorSystem: boolean;
  @Column({ name: 'from_state', type: 'text', nullable: true }) fromState: string | null;
  @Column({ name: 'to_state', type: 'text' }) toState: string;
  @Column('jsonb') payload: Record<string, unknown>;
  @Column({ name: 'occurred_at', type: 'timestamptz' }) occurredAt: Date;
  @Column({ name: 'prev_hash', type: 'char', length: 64 }) prevHash: string;
  @Column({ type: 'char', length: 64 }) hash: string;
}
