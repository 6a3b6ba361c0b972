// The timeline and the chain check as GET /referrals/:id/timeline and /verify return them.
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';

export class TimelineActor {
  @ApiProperty({ type: String, format: 'uuid', nullable: true }) userId: string | null;
  @ApiProperty({ type: String, format: 'uuid', nullable: true }) agencyId: string | null;
  @ApiProperty({ description: 'true for events the service sends itself (deadlines)' }) system: boolean;
}

export class TimelineEntry {
  @ApiProperty({ example: 1, description: '1 for the SUBMIT, then one more per accepted event' }) seq: number;
  @ApiProperty({
    example: 'SUBMIT',
    description: 'a timeline event type (SUBMIT, an event type, ATTACHMENT_ADDED, CASE_GROUP_*, DEADLINE_*)',
  })
  type: string;
  @ApiProperty({ type: TimelineActor }) actor: TimelineActor;
  @ApiProperty({ type: String, nullable: true, example: null }) fromState: string | null;
  @ApiProperty({ example: 'submitted' }) toState: string;
  @ApiProperty({
    type: 'object',
    additionalProperties: true,
    description: "the event's payload as accepted (suspect ID numbers masked for non-parties)",
  })
  payload: Record<string, unknown>;
  @ApiProperty({ format: 'date-time' }) occurredAt: string;
  @ApiProperty({ pattern: '^[0-9a-f]{64}$' }) hash: string;
  @ApiProperty({ pattern: '^[0-9a-f]{64}$' }) prevHash: string;
}

export class Timeline {
  @ApiProperty({ type: [TimelineEntry], description: 'oldest first' }) items: TimelineEntry[];
}

export class ChainCheck {
  @ApiProperty() valid: boolean;
  @ApiProperty({ example: 3, description: 'how many events were checked' }) events: number;
  @ApiProperty({ pattern: '^[0-9a-f]{64}$' }) headHash: string;
  @ApiPropertyOptional({ example: 2, description: 'present when invalid: the first event whose hash or link fails' })
  firstBadSeq?: number;
}
