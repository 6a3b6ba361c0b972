import { Column, Entity, PrimaryColumn } from 'typeorm';

export interface Suspect {
  kind: 'person' | 'organization';
  name: string;
  idNumber?: string;
}

@Entity('referrals')
export class Referral {
  @PrimaryColumn('uuid') id: string;
  @Column({ name: 'reference_no', type: 'text' }) referenceNo: string;
  @Column({ name: 'source_agency_id', type: 'uuid' }) sourceAgencyId: string;
  @Column({ name: 'target_agency_id', type: 'uuid' }) targetAgencyId: string;
  @Column({ name: 'region_code', type: 'text' }) regionCode: string;
  @Column('text') domain: string;
  @Column('text') title: string;
  @Column('text') summary: string;
  @Column('jsonb') suspects: Suspect[];
  /** numeric comes back from pg as a string: money stays a decimal string. */
  @Column({ name: 'amount_involved', type: 'numeric', precision: 16, scale: 2, nullable: true }) amountInvolved: string | null;
  @Column('text', { nullable: true }) offence: string | null;
  @Column({ name: 'legal_basis', type: 'text', nullable: true }) legalBasis: string | null;
  @Column('text', { nullable: true }) campaign: string | null;
  @Column({ name: 'external_ref', type: 'text', nullable: true }) externalRef: string | null;
  @Column('text') state: string;
  @Column({ name: 'state_detail', type: 'text' }) stateDetail: string;
  @Column('text', { nullable: true }) outcome: string | null;
  @Column('text', { array: true }) flags: string[];
  @Column('int') version: number;
  @Column({ name: 'machine_version', type: 'text' }) machineVersion: string;
  @Column('jsonb') snapshot: unknown;
  @Column({ name: 'created_by', type: 'uuid', nullable: true }) createdBy: string | null;
  @Column({ name: 'created_at', type: 'timestamptz' }) createdAt: Date;
  @Column({ name: 'updated_at', type: 'timestamptz' }) updatedAt: Date;
}
