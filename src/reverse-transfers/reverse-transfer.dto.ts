// Bodies of the reverse transfer (行刑反向衔接): its start and its events.
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { eventBodies } from '../common/event-bodies';
import { EnumArrayField, EnumField, ObjectArrayField, TextField, UuidField } from '../common/fields';
import { DOMAINS, SuspectDto } from '../referrals/referral.dto';
import { moneyField, PENALTY_KINDS } from '../referrals/penalty.dto';
import { ProcedureView } from '../procedures/procedure.views';
import { pageOf } from '../procedures/procedure.dto';

const TEXT = 4000;

import { REVERSE_TRANSFER_BASES, type ReverseTransferBasis } from '../../workflows/reverse-transfer/reverse-transfer.types';

export class CreateReverseTransferDto {
  @UuidField({
    optional: true,
    example: '5d6e7f80-1a2b-4c3d-9e4f-5a6b7c8d9e0f',
    description:
      'the referral the case came as; its domain, title, summary and suspects are taken, and its source agency is the default target',
  })
  referralId?: string;
  @UuidField({
    optional: true,
    example: '3f0c1d2e-4b5a-4c6d-8e7f-9a0b1c2d3e4f',
    description: 'the administrative agency that decides the penalty (required without referralId)',
  })
  targetAgencyId?: string;
  @EnumField(REVERSE_TRANSFER_BASES, {
    example: 'not-filed',
    description:
      'not-filed / case-withdrawn: police (Transfer Provisions art. 13); not-prosecuted: a procuratorate, with its opinion recommending a penalty',
  })
  basis: ReverseTransferBasis;
  @TextField({ max: TEXT, example: 'No crime, but the sale of counterfeit goods calls for an administrative penalty' })
  reasons: string;
  @TextField({
    optional: true,
    max: TEXT,
    example: '建议对该公司依法给予行政处罚',
    description: 'the procuratorial opinion (required when basis is not-prosecuted)',
  })
  opinion?: string;
  @TextField({
    optional: true,
    max: 100,
    example: '杭公(经)不立字〔2026〕12号',
    description: 'the criminal-side decision document',
  })
  criminalDecisionNo?: string;
  @EnumField(DOMAINS, { optional: true, example: 'food', description: 'required without referralId' }) domain?: string;
  @TextField({ optional: true, max: 300, example: 'Counterfeit baijiu below the criminal threshold' }) title?: string;
  @TextField({ optional: true, max: 20000, example: 'The amount recomputed is 31,000 CNY.' }) summary?: string;
  @ObjectArrayField(SuspectDto, {
    optional: true,
    max: 100,
    example: [{ kind: 'organization', name: 'Hangzhou Example Trading Co.' }],
  })
  parties?: SuspectDto[];
}

// ---- events

class NoPayload {}
class NotePayload {
  @TextField({ max: TEXT, example: 'Penalty decision attached' }) note: string;
}
class ReasonPayload {
  @TextField({ max: TEXT, example: 'Sent to the wrong agency' }) reason: string;
}
class CommentPayload {
  @TextField({ max: TEXT, example: 'Called the agency today' }) text: string;
}
class DecidePayload {
  @EnumField(['penalty-imposed', 'no-penalty'], { example: 'penalty-imposed' }) decision: string;
  @TextField({ max: TEXT, example: 'Fine and confiscation of the goods' }) reasons: string;
  @TextField({ optional: true, max: 100, example: '杭市监罚〔2026〕95号', description: 'required with penalty-imposed' })
  decisionNo?: string;
  @EnumArrayField(PENALTY_KINDS, {
    optional: true,
    example: ['fine', 'confiscation'],
    description: 'at least one with penalty-imposed',
  })
  penaltyKinds?: string[];
  @moneyField('30000.00', 'the fine imposed') fineAmount?: string;
}

export const REVERSE_TRANSFER_EVENTS = ['RECEIVE', 'DECIDE', 'REPLY', 'CHASE', 'WITHDRAW', 'COMMENT'] as const;

export const REVERSE_TRANSFER_BODIES = eventBodies('ReverseTransfer', REVERSE_TRANSFER_EVENTS, {
  RECEIVE: NoPayload,
  DECIDE: DecidePayload,
  REPLY: NotePayload,
  CHASE: NotePayload,
  WITHDRAW: ReasonPayload,
  COMMENT: CommentPayload,
});

// ---- the view

export class ReverseTransferFacts {
  @ApiProperty({ enum: REVERSE_TRANSFER_BASES }) basis: string;
  @ApiProperty({ description: 'a procuratorial opinion applies: a reply is due within 2 months of receipt' })
  procuratorialOpinion: boolean;
  @ApiProperty() reasons: string;
  @ApiPropertyOptional() opinion?: string;
  @ApiPropertyOptional() criminalDecisionNo?: string;
}

export class ReverseTransferDecision {
  @ApiProperty({ enum: ['penalty-imposed', 'no-penalty'] }) decision: string;
  @ApiProperty() reasons: string;
  @ApiProperty({ type: String, nullable: true }) decisionNo: string | null;
  @ApiProperty({ type: 'array', items: { type: 'string', enum: [...PENALTY_KINDS] } }) penaltyKinds: string[];
  @ApiProperty({ type: String, nullable: true, description: 'CNY as a decimal string' }) fineAmount: string | null;
}

export class ReverseTransferRecord {
  @ApiProperty({ enum: REVERSE_TRANSFER_BASES }) basis: string;
  @ApiProperty() procuratorialOpinion: boolean;
  @ApiProperty({ type: ReverseTransferDecision, nullable: true }) decision: ReverseTransferDecision | null;
  @ApiProperty({ description: 'how often the procuratorate chased it' }) chaseCount: number;
}

export class ReverseTransferView extends ProcedureView {
  @ApiProperty({ type: ReverseTransferFacts }) declare facts: ReverseTransferFacts;
  @ApiProperty({ type: ReverseTransferRecord }) declare record: ReverseTransferRecord;
}

export const ReverseTransferPage = pageOf(ReverseTransferView, 'ReverseTransferPage');
