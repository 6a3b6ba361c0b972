// One DTO per client event of API.md's event table. The body's `type` picks the
// class; unknown fields and system events are rejected before the engine runs.
import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  ArrayMinSize,
  IsArray,
  IsDateString,
  IsIn,
  IsOptional,
  IsString,
  IsUUID,
  Length,
  MaxLength,
  MinLength,
  ValidateNested,
} from 'class-validator';
import { CLIENT_EVENT_TYPES, SYSTEM_EVENT_TYPES, type ClientEvent } from '../../workflows/referral/referral.types';
import { validationFailed } from '../common/problem';
import { validateBody } from '../common/validate';

const TEXT = 4000;

class EventDto {
  @IsIn(CLIENT_EVENT_TYPES) type: string;
}
class NoPayload extends EventDto {}
class RequestSupplementDto extends EventDto {
  @IsArray() @ArrayMinSize(1) @ArrayMaxSize(50) @IsString({ each: true }) @Length(1, 500, { each: true }) items: string[];
  @IsString() @Length(1, TEXT) reason: string;
}
class SupplementDto extends EventDto {
  @IsString() @Length(1, TEXT) note: string;
}
class ForwardDto extends EventDto {
  @IsUUID() toAgencyId: string;
  @IsString() @Length(1, TEXT) reason: string;
}
class ExtendReviewDto extends EventDto {
  @IsIn(['verification', 'complex', 'special']) tier: string;
  @IsString() @Length(1, TEXT) reason: string;
}
class RecordReviewDto extends EventDto {
  @IsIn(['file', 'not-file']) recommendation: string;
  @IsString() @Length(1, TEXT) opinion: string;
}
class ReasonDto extends EventDto {
  @IsString() @Length(1, TEXT) reason: string;
}
class AcceptDto extends EventDto {
  @IsString() @Length(1, 100) caseNumber: string;
}
class DeclineDto extends EventDto {
  @IsString() @MinLength(10) @MaxLength(TEXT) reasons: string;
  @IsString() @Length(1, 1000) legalBasis: string;
}
class GroundsDto extends EventDto {
  @IsString() @Length(1, TEXT) grounds: string;
}
class ReasonsDto extends EventDto {
  @IsString() @Length(1, TEXT) reasons: string;
}
class NoteDto extends EventDto {
  @IsString() @Length(1, TEXT) note: string;
}
class StatementDto extends EventDto {
  @IsString() @Length(1, TEXT) statement: string;
}
class HandoverEvidenceDto extends EventDto {
  @IsArray() @ArrayMinSize(1) @ArrayMaxSize(500) @IsString({ each: true }) @Length(1, 500, { each: true }) inventory: string[];
}
class TaskPlanDto {
  @IsUUID() agencyId: string;
  @IsString() @Length(1, TEXT) description: string;
  @IsOptional() @IsDateString({ strict: true }) dueAt?: string;
}
class StartJointRectificationDto extends EventDto {
  @IsDateString({ strict: true }) dueAt: string;
  @IsArray() @ArrayMinSize(1) @ArrayMaxSize(100) @ValidateNested({ each: true }) @Type(() => TaskPlanDto) tasks: TaskPlanDto[];
}
class TaskNoteDto extends EventDto {
  @IsUUID() taskId: string;
  @IsString() @Length(1, TEXT) note: string;
}
class SummaryDto extends EventDto {
  @IsString() @Length(1, TEXT) summary: string;
}
class CloseDto extends EventDto {
  @IsIn(['prosecuted', 'investigation-terminated', 'reverse-transferred']) outcome: string;
  @IsString() @Length(1, TEXT) note: string;
}
class CommentDto extends EventDto {
  @IsString() @Length(1, TEXT) text: string;
}

const DTO_BY_TYPE: Record<ClientEvent['type'], new () => EventDto> = {
  ACKNOWLEDGE: NoPayload,
  REQUEST_SUPPLEMENT: RequestSupplementDto,
  SUPPLEMENT: SupplementDto,
  FORWARD: ForwardDto,
  EXTEND_REVIEW: ExtendReviewDto,
  RECORD_REVIEW: RecordReviewDto,
  RETURN_TO_REVIEW: ReasonDto,
  ACCEPT: AcceptDto,
  DECLINE: DeclineDto,
  REQUEST_RECONSIDERATION: GroundsDto,
  UPHOLD_DECLINE: ReasonsDto,
  REQUEST_SUPERVISION: GroundsDto,
  ACCEPT_DECISION: NoPayload,
  REQUIRE_REASONS: NoteDto,
  SUBMIT_REASONS: StatementDto,
  ORDER_FILING: NoteDto,
  UPHOLD_NON_FILING: NoteDto,
  HANDOVER_EVIDENCE: HandoverEvidenceDto,
  START_JOINT_RECTIFICATION: StartJointRectificationDto,
  REPORT_PROGRESS: TaskNoteDto,
  COMPLETE_TASK: TaskNoteDto,
  COMPLETE_RECTIFICATION: SummaryDto,
  CLOSE: CloseDto,
  WITHDRAW: ReasonDto,
  LIST_FOR_SUPERVISION: NoteDto,
  COMMENT: CommentDto,
};

/** Validates a POST /referrals/:id/events body into a client event. */
export function parseClientEvent(body: unknown): ClientEvent {
  const type = (body as { type?: unknown } | null)?.type;
  if (typeof type === 'string' && (SYSTEM_EVENT_TYPES as readonly string[]).includes(type)) {
    throw validationFailed([{ field: 'type', message: `${type} is sent by the system only` }]);
  }
  if (typeof type !== 'string' || !Object.hasOwn(DTO_BY_TYPE, type)) {
    throw validationFailed([{ field: 'type', message: `type must be one of: ${CLIENT_EVENT_TYPES.join(', ')}` }]);
  }
  const dto = validateBody(DTO_BY_TYPE[type as ClientEvent['type']], body);
  return JSON.parse(JSON.stringify(dto)) as ClientEvent; // a plain object, as the machine and the timeline store it
}
