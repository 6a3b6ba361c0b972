import { Column, CreateDateColumn, Entity, JoinColumn, ManyToOne, PrimaryGeneratedColumn } from 'typeorm';
import type { Role } from '../../workflows/referral/referral.types';
import { Agency } from './agency.entity';

@Entity('users')
export class User {
  @PrimaryGeneratedColumn('uuid') id: string;
  @Column('text', { unique: true }) username: string;
  @Column({ name: 'password_hash', type: 'text' }) passwordHash: string;
  @Column({ name: 'display_name', type: 'text' }) displayName: string;
  @Column({ name: 'agency_id', type: 'uuid' }) agencyId: string;
  @ManyToOne(() => Agency) @JoinColumn({ name: 'agency_id' }) agency: Agency;
  @Column('text', { array: true }) roles: Role[];
  /** A deactivated user cannot log in, and its tokens and API key stop working. */
  @Column('boolean', { default: true }) active: boolean;
  /** Carried in every token as `gen`; bumped when the user's tokens must stop working. */
  @Column({ name: 'token_generation', type: 'integer', default: 0 }) tokenGeneration: number;
  /** When the generation was last bumped (for people reading the table). */
  @Column({ name: 'tokens_valid_after', type: 'timestamptz', nullable: true }) tokensValidAfter: Date | null;
  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' }) createdAt: Date;
}
