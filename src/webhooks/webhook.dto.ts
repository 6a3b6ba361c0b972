import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import {
  ArrayMaxSize,
  ArrayMinSize,
  ArrayUnique,
  IsArray,
  IsIn,
  IsInt,
  IsOptional,
  IsString,
  Max,
  MaxLength,
  Min,
} from 'class-validator';
import { SYSTEM_EVENT_TYPES } from '../../workflows/procedure';
import { CASE_GROUP_FACTS } from '../case-groups/case-group.dto';
import { ALL_CLIENT_EVENT_TYPES, START_EVENTS } from '../workflow-engine/workflow-registry';

/** Every timeline event type a subscription may ask for, and '*' for all of them. */
// The start events (SUBMIT, ISSUE, TRANSFER), ATTACHMENT_ADDED and the case-group facts are
// timeline facts recorded outside the machines' events; every workflow's events are subscribable.
export const WEBHOOK_EVENT_TYPES: readonly string[] = [
  ...new Set(['ATTACHMENT_ADDED', ...CASE_GROUP_FACTS, ...START_EVENTS, ...ALL_CLIENT_EVENT_TYPES, ...SYSTEM_EVENT_TYPES]),
];
export const SUBSCRIBABLE = [...WEBHOOK_EVENT_TYPES, '*'] as const;

export const MAX_URL_LENGTH = 2000;

export class CreateWebhookDto {
  @ApiProperty({
    example: 'https://example.org/caselink-hook',
    maxLength: MAX_URL_LENGTH,
    description: 'http or https; private and loopback addresses are refused',
  })
  @IsString()
  @MaxLength(MAX_URL_LENGTH)
  url: string;

  @ApiProperty({
    enum: SUBSCRIBABLE,
    isArray: true,
    minItems: 1,
    maxItems: SUBSCRIBABLE.length,
    uniqueItems: true,
    example: ['SUBMIT', 'ACKNOWLEDGE'],
  })
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(SUBSCRIBABLE.length)
  @ArrayUnique()
  @IsIn(SUBSCRIBABLE, { each: true, message: `each value in eventTypes must be a timeline event type or '*'` })
  eventTypes: string[];
}

export class DeliveriesQuery {
  @ApiPropertyOptional({ minimum: 1, maximum: 500, default: 100 })
  @IsOptional()
  @Transform(({ value }) => Number(value))
  @IsInt()
  @Min(1)
  @Max(500)
  limit?: number;
}
