// One DTO per client event of docs/api.md's event table. The body's `type` picks the
// class; unknown fields and system events are rejected before the engine runs.
// The same classes are the OpenAPI schemas of POST /referrals/:id/events (a
// oneOf with a `type` discriminator), so the contract and the validation agree.
import { ApiProperty } from '@nestjs/swagger';
import { plainToInstance, Transform } from 'class-transformer';
import { MaxLength, MinLength, IsString } from 'class-validator';
import { LISTING_LEVELS, REPORT_EVERY_DAYS } from '../../workflows/referral/referral.deadlines';
import { CLIENT_EVENT_TYPES, type ClientEvent } from '../../workflows/referral/referral.types';
import { eventBodies, eventBodySchema, parseEventBody, type EventDtoClass } from '../common/event-bodies';
import {
  DateTimeField,
  EnumField,
  IntField,
  ObjectArrayField,
  PatternField,
  StringArrayField,
  TextField,
  UuidField,
} from '../common/fields';

const TEXT = 4000;

// ---- payloads (an event class adds its single-value `type` to one of these)

class NoPayload {}
class RequestSupplementPayload {
  @StringArrayField({ min: 1, max: 50, itemMax: 500, example: ['test report of the seized liquor'] }) items: string[];
  @TextField({ max: TEXT, example: 'The test report is missing' }) reason: string;
}
class SupplementPayload {
  @TextField({ max: TEXT, example: 'Test report attached' }) note: string;
}
class ForwardPayload {
  @UuidField({ example: '3f0c1d2e-4b5a-4c6d-8e7f-9a0b1c2d3e4f', description: 'a police agency' }) toAgencyId: string;
  @TextField({ max: TEXT, example: 'The warehouse lies in Xihu district' }) reason: string;
}
class ExtendReviewPayload {
  @EnumField(['verification', 'complex', 'special'], { example: 'complex' }) tier: string;
  @TextField({ max: TEXT, example: 'Several suppliers in three provinces' }) reason: string;
}
class RecordReviewPayload {
  @EnumField(['file', 'not-file'], { example: 'file' }) recommendation: string;
  @TextField({ max: TEXT, example: 'The evidence supports filing a case' }) opinion: string;
}
class ReasonPayload {
  @TextField({ max: TEXT, example: 'The review needs another look at the amounts' }) reason: string;
}
class AcceptPayload {
  @TextField({ max: 100, example: '杭公(经)立字〔2026〕123号' }) caseNumber: string;
}
class DeclinePayload {
  @ApiProperty({ type: String, minLength: 10, maxLength: TEXT, example: 'The amount is below the filing threshold' })
  @IsString()
  @MinLength(10)
  @MaxLength(TEXT)
  reasons: string;
  @TextField({ max: 1000, example: 'Provisions on filing standards, art. 69' }) legalBasis: string;
}
class GroundsPayload {
  @TextField({ max: TEXT, example: 'The amount was computed without the stock in the warehouse' }) grounds: string;
}
class ReasonsPayload {
  @TextField({ max: TEXT, example: 'The recomputed amount is still below the threshold' }) reasons: string;
}
class NotePayload {
  @TextField({ max: TEXT, example: 'Please explain the decision within 7 days' }) note: string;
}
class ListForSupervisionPayload {
  @TextField({ max: TEXT, example: 'Major cross-province counterfeit liquor case' }) note: string;
  @EnumField(LISTING_LEVELS, {
    optional: true,
    example: 'province',
    description: "the listing body's level (default city); a joining body raises the listing's level if higher",
  })
  level?: string;
  @IntField({
    optional: true,
    ...REPORT_EVERY_DAYS,
    example: 15,
    description:
      'the target police unit reports progress every this many days (deadline supervision-report); kept once set, a joining body sets it only where none was',
  })
  reportEveryDays?: number;
}
class StatementPayload {
  @TextField({ max: TEXT, example: 'The decision rests on the filing threshold' }) statement: string;
}

/** One item of the evidence handed over (docs/api.md, HANDOVER_EVIDENCE). */
export class InventoryItemDto {
  @TextField({ max: 500, example: 'bottles of counterfeit baijiu' }) item: string;
  @PatternField({
    optional: true,
    // a decimal string like money, so that 12.5 kg stays exactly 12.5
    pattern: /^(?=.*[1-9])\d{1,12}(\.\d{1,6})?$/,
    message: 'quantity must be a positive decimal string such as "1200" or "12.5"',
    maxLength: 19,
    example: '1200',
    description: 'a positive decimal string (not a JSON number)',
  })
  quantity?: string;
  @TextField({ optional: true, max: 50, example: 'bottles' }) unit?: string;
  @TextField({ optional: true, max: 500, example: 'Xiaoshan evidence store, shelf 4' }) storage?: string;
  @UuidField({ optional: true, example: '6a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d', description: 'an attachment of the referral' })
  attachmentId?: string;
}

// A plain string is the form of earlier clients: read it as {item}, before validation, so the timeline stores objects.
// (class-transformer runs this after @Type, so the string becomes an instance here.)
const itemsAsObjects = ({ value }: { value: unknown }) =>
  Array.isArray(value) ? value.map((v) => (typeof v === 'string' ? plainToInstance(InventoryItemDto, { item: v }) : v)) : value;

class HandoverEvidencePayload {
  @Transform(itemsAsObjects)
  @ObjectArrayField(InventoryItemDto, {
    min: 1,
    max: 500,
    example: [{ item: 'bottles of counterfeit baijiu', quantity: '1200', unit: 'bottles' }],
    description: 'the items handed over; a plain string is also accepted and read as {item: "<string>"}',
  })
  inventory: InventoryItemDto[];
}

export class TaskPlanDto {
  @UuidField({ example: '8b2c3d4e-5f6a-4b7c-9d8e-0f1a2b3c4d5e', description: 'the agency that works the task' })
  agencyId: string;
  @TextField({ max: TEXT, example: 'Inspect the remaining outlets of the supplier' }) description: string;
  @DateTimeField({ optional: true, example: '2030-03-31T00:00:00+08:00', description: 'default: the plan dueAt' })
  dueAt?: string;
}
class StartJointRectificationPayload {
  @DateTimeField({ example: '2030-06-30T00:00:00+08:00', description: 'when the whole plan is due' }) dueAt: string;
  @ObjectArrayField(TaskPlanDto, {
    min: 1,
    max: 100,
    example: [{ agencyId: '8b2c3d4e-5f6a-4b7c-9d8e-0f1a2b3c4d5e', description: 'Inspect the remaining outlets of the supplier' }],
  })
  tasks: TaskPlanDto[];
}
class TaskNotePayload {
  @UuidField({ example: '9c3d4e5f-6a7b-4c8d-8e9f-1a2b3c4d5e6f', description: 'a rectification task of the referral' })
  taskId: string;
  @TextField({ max: TEXT, example: 'Two of five outlets inspected' }) note: string;
}
class SummaryPayload {
  @TextField({ max: TEXT, example: 'All outlets inspected and licences revoked' }) summary: string;
}
class ClosePayload {
  @EnumField(['prosecuted', 'investigation-terminated', 'reverse-transferred'], { example: 'prosecuted' }) outcome: string;
  @TextField({ max: TEXT, example: 'Transferred to the procuratorate for prosecution' }) note: string;
}
class ElevatePayload {
  @TextField({ max: TEXT, example: 'A network across three districts of the city' }) reason: string;
}
class DesignatePayload {
  @UuidField({ example: '3f0c1d2e-4b5a-4c6d-8e7f-9a0b1c2d3e4f', description: 'a police agency inside the sender’s region' })
  toAgencyId: string;
  @TextField({ max: TEXT, example: 'The den is in its district' }) reason: string;
}
class CommentPayload {
  @TextField({ max: TEXT, example: 'Called the warehouse owner today' }) text: string;
}

// ---- one class per event type: the payload plus `type` as a single-value enum

type EventType = ClientEvent['type'];

const PAYLOAD_BY_TYPE: Record<EventType, EventDtoClass> = {
  ACKNOWLEDGE: NoPayload,
  REQUEST_SUPPLEMENT: RequestSupplementPayload,
  SUPPLEMENT: SupplementPayload,
  FORWARD: ForwardPayload,
  EXTEND_REVIEW: ExtendReviewPayload,
  RECORD_REVIEW: RecordReviewPayload,
  RETURN_TO_REVIEW: ReasonPayload,
  ACCEPT: AcceptPayload,
  DECLINE: DeclinePayload,
  REQUEST_RECONSIDERATION: GroundsPayload,
  UPHOLD_DECLINE: ReasonsPayload,
  REQUEST_SUPERVISION: GroundsPayload,
  ACCEPT_DECISION: NoPayload,
  REQUIRE_REASONS: NotePayload,
  SUBMIT_REASONS: StatementPayload,
  ORDER_FILING: NotePayload,
  UPHOLD_NON_FILING: NotePayload,
  HANDOVER_EVIDENCE: HandoverEvidencePayload,
  START_JOINT_RECTIFICATION: StartJointRectificationPayload,
  REPORT_PROGRESS: TaskNotePayload,
  COMPLETE_TASK: TaskNotePayload,
  COMPLETE_RECTIFICATION: SummaryPayload,
  CLOSE: ClosePayload,
  WITHDRAW: ReasonPayload,
  LIST_FOR_SUPERVISION: ListForSupervisionPayload,
  REPORT_SUPERVISION_PROGRESS: NotePayload,
  DELIST: ReasonPayload,
  ELEVATE: ElevatePayload,
  DESIGNATE: DesignatePayload,
  COMMENT: CommentPayload,
};

const BODIES = eventBodies('', CLIENT_EVENT_TYPES, PAYLOAD_BY_TYPE);
export const EVENT_DTOS = BODIES.dtos;

/** The request body of POST /referrals/:id/events: one schema per event type, told apart by `type`. */
export const referralEventBodySchema = () => eventBodySchema(BODIES);

/** Validates a POST /referrals/:id/events body into a client event. */
export const parseClientEvent = (body: unknown): ClientEvent => parseEventBody<ClientEvent>(BODIES, body);
