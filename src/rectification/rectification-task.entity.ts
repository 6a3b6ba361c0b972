import { Column, Entity, PrimaryColumn } from 'typeorm';

/** A joint-rectification task; its agency gains scope over the referral. */
@Entity('rectification_tasks')
export class RectificationTaskRecord {
  @PrimaryColumn('uuid') id: string;
  @Column({ name: 'referral_id', type: 'uuid' }) referralId: string;
  @Column({ name: 'agency_id', type: 'uuid' }) agencyId: string;
  @Column('text') description: string;
  @Column({ name: 'due_at', type: 'timestamptz' }) dueAt: Date;
  @Column('text') status: 'open' | 'done';
  @Column({ name: 'completed_at', type: 'timestamptz', nullable: true }) completedAt: Date | null;
  @Column({ name: 'created_at', type: 'timestamptz' }) createdAt: Date;
}
