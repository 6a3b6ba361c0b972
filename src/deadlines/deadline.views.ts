// A deadline as every instance view shows it (referrals and the other workflows).
import { ApiProperty } from '@nestjs/swagger';
import { ALL_DEADLINE_KINDS } from '../workflow-engine/workflow-registry';
import type { DeadlineRow } from './deadlines.repository';

export class DeadlineView {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ enum: ALL_DEADLINE_KINDS, example: 'review' }) kind: string;
  @ApiProperty({ format: 'date-time' }) dueAt: string;
  @ApiProperty({ enum: ['pending', 'met', 'breached', 'paused', 'cancelled'], example: 'pending' }) status: string;
  @ApiProperty({ format: 'uuid' }) responsibleAgencyId: string;
  @ApiProperty({ example: 'Provisions on the transfer of suspected criminal cases, art. 8' }) legalBasis: string;
  @ApiProperty({ type: String, format: 'uuid', nullable: true, description: 'rectification deadlines: the task' })
  taskId: string | null;
  @ApiProperty({ description: 'the period runs into a year whose holiday calendar is not loaded yet' })
  calendarIncomplete: boolean;
  @ApiProperty({
    description:
      'counted on the provisional calendar of a year not yet published (weekends and statutory holidays); recomputed when an admin loads the year',
  })
  provisional: boolean;
  @ApiProperty({ example: 0, description: '0 until breached; 1 breached; 2 escalated one level up' }) escalationLevel: number;
}

export const deadlineView = (d: DeadlineRow): DeadlineView => ({
  id: d.id,
  kind: d.kind,
  dueAt: d.dueAt.toISOString(),
  status: d.status,
  responsibleAgencyId: d.responsibleAgencyId,
  legalBasis: d.legalBasis,
  taskId: d.taskId,
  calendarIncomplete: d.calendarIncomplete,
  provisional: d.provisional,
  escalationLevel: d.escalationLevel,
});
