import { Column, CreateDateColumn, Entity, PrimaryGeneratedColumn } from 'typeorm';

export const AGENCY_KINDS = ['regulator', 'police', 'procuratorate', 'supervisor'] as const;
export type AgencyKind = (typeof AGENCY_KINDS)[number];

@Entity('agencies')
export class Agency {
  @PrimaryGeneratedColumn('uuid') id: string;
  @Column('text', { unique: true }) code: string;
  @Column('text') name: string;
  @Column('text') kind: AgencyKind;
  /** 6-digit administrative-division code, e.g. 330100. */
  @Column({ name: 'region_code', type: 'text' }) regionCode: string;
  @Column({ name: 'parent_id', type: 'uuid', nullable: true }) parentId: string | null;
  /** A deactivated agency takes no new users or API keys; it stays in the history of its referrals. */
  @Column('boolean', { default: true }) active: boolean;
  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' }) createdAt: Date;
}
