// Bodies of the recommendation to transfer (检察意见 建议移送): its issue and its events.
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { eventBodies } from '../common/event-bodies';
import { TextField, UuidField } from '../common/fields';
import { pageOf } from '../procedures/procedure.dto';
import { ProcedureView } from '../procedures/procedure.views';

const TEXT = 4000;

export class IssueRecommendationDto {
  @UuidField({ example: '5d6e7f80-1a2b-4c3d-9e4f-5a6b7c8d9e0f', description: 'the administrative case (in your region)' })
  adminCaseId: string;
  @TextField({
    min: 10,
    max: TEXT,
    example: 'Sales of 182,000 CNY exceed the threshold of Criminal Law art. 140; the case should be transferred.',
  })
  reasons: string;
}

// ---- events

class TransferPayload {
  @UuidField({ example: '3f0c1d2e-4b5a-4c6d-8e7f-9a0b1c2d3e4f', description: 'the police unit the referral goes to' })
  targetAgencyId: string;
  @TextField({
    optional: true,
    max: 1000,
    example: 'Production and sale of fake or substandard products',
    description: 'the suspected offence, as the referral states it',
  })
  offence?: string;
  @TextField({ optional: true, max: 2000, example: 'Criminal Law art. 140' }) legalBasis?: string;
}
class ExplainPayload {
  @TextField({ min: 10, max: TEXT, example: 'The sales figure included returned goods; the net amount is 38,000 CNY.' })
  explanation: string;
}
class NotePayload {
  @TextField({ max: TEXT, example: 'The explanation is supported by the returns ledger' }) note: string;
}
class ReasonsPayload {
  @TextField({ max: TEXT, example: 'The returns ledger was drawn up after the inspection' }) reasons: string;
}
class ReasonPayload {
  @TextField({ max: TEXT, example: 'Issued on the wrong case' }) reason: string;
}
class CommentPayload {
  @TextField({ max: TEXT, example: 'Spoke to the agency today' }) text: string;
}

export const RECOMMENDATION_EVENTS = ['TRANSFER', 'EXPLAIN', 'ACCEPT_EXPLANATION', 'INSIST', 'WITHDRAW', 'COMMENT'] as const;

export const RECOMMENDATION_BODIES = eventBodies('Recommendation', RECOMMENDATION_EVENTS, {
  TRANSFER: TransferPayload,
  EXPLAIN: ExplainPayload,
  ACCEPT_EXPLANATION: NotePayload,
  INSIST: ReasonsPayload,
  WITHDRAW: ReasonPayload,
  COMMENT: CommentPayload,
});

/** What TRANSFER's body says; the machine's event carries the referral it created instead. */
export type TransferBody = { type: 'TRANSFER'; targetAgencyId: string; offence?: string; legalBasis?: string };

// ---- the view

export class RecommendationFacts {
  @ApiProperty() reasons: string;
  @ApiProperty({ example: 'HZ-AMR-2026-0042', description: "the administrative case's own number" }) caseNo: string;
  @ApiPropertyOptional({ enum: ['flagged', 'near'], description: 'how screening judged the case when it was issued' })
  screeningFlag?: string;
  @ApiPropertyOptional({ type: [String], description: 'why, rule by rule' }) screeningReasons?: string[];
}

export class RecommendationRecord {
  @ApiProperty({ type: String, format: 'uuid', nullable: true, description: 'the referral the agency submitted' })
  referralId: string | null;
  @ApiProperty({ type: String, nullable: true, description: "the agency's latest written explanation" })
  explanation: string | null;
  @ApiProperty({ description: 'how often the procuratorate insisted after an explanation' }) insistCount: number;
}

export class RecommendationView extends ProcedureView {
  @ApiProperty({ type: RecommendationFacts }) declare facts: RecommendationFacts;
  @ApiProperty({ type: RecommendationRecord }) declare record: RecommendationRecord;
}

export const RecommendationPage = pageOf(RecommendationView, 'RecommendationPage');
