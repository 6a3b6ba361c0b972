// Case groups (并案, issue 11 §2): what the endpoints take, and the group as they answer it.
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { IsBoolean, IsOptional } from 'class-validator';
import { CursorField, LimitField, TextField, UuidArrayField, UuidField } from '../common/fields';
import { DeadlineView } from '../deadlines/deadline.views';
import { AgencyBrief, HoldingAgency, PartyNode } from '../parties/parties.views';

/** The timeline facts a group writes on its members (not steps: the machine is not asked). */
export const CASE_GROUP_FACTS = ['CASE_GROUP_JOINED', 'CASE_GROUP_LEFT', 'CASE_GROUP_DISSOLVED'] as const;
export type CaseGroupFact = (typeof CASE_GROUP_FACTS)[number];

/** At most this many referrals in one group: a group is read as one table. */
export const MAX_MEMBERS = 50;

export class CreateCaseGroupDto {
  @TextField({ max: 200, example: '“Acme” counterfeit food network' }) name: string;
  @UuidField({
    example: '3f0c1d2e-4b5a-4c6d-8e7f-9a0b1c2d3e4f',
    description: 'the lead unit: a police unit that is the current target of one of the referrals',
  })
  leadAgencyId: string;
  @UuidArrayField({
    min: 2,
    max: MAX_MEMBERS,
    example: ['5d6e7f80-1a2b-4c3d-9e8f-0a1b2c3d4e5f', '6e7f8091-2b3c-4d4e-8f90-1b2c3d4e5f60'],
    description: 'referrals the caller may read, each sharing a party with another of them, none in an open group',
  })
  referralIds: string[];
  @TextField({ max: 2000, example: 'The same supplier in both cases' }) reason: string;
}

export class AddCaseGroupMemberDto {
  @UuidField({
    example: '5d6e7f80-1a2b-4c3d-9e8f-0a1b2c3d4e5f',
    description: 'a referral the caller may read that shares a party with a member',
  })
  referralId: string;
  @TextField({ max: 2000, example: 'A third case of the same supplier' }) reason: string;
}

export class ChangeReasonQuery {
  @TextField({ max: 2000, example: 'Not the same supplier after all', description: 'why (recorded with the change)' })
  reason: string;
}

export class DissolveCaseGroupDto {
  @TextField({ max: 2000, example: 'The cases are handled separately again' }) reason: string;
}

export class ListCaseGroupsQuery {
  @ApiPropertyOptional({ type: Boolean, description: 'true: open groups only; false: dissolved ones only' })
  @IsOptional()
  @Transform(({ value }) => (value === 'true' ? true : value === 'false' ? false : value))
  @IsBoolean({ message: 'open must be true or false' })
  open?: boolean;
  @LimitField() limit?: number;
  @CursorField() cursor?: string;
}

export class CaseGroupActor {
  @ApiProperty({ type: String, format: 'uuid', nullable: true }) userId: string | null;
  @ApiProperty({ type: String, nullable: true, example: 'Li Lei' }) displayName: string | null;
  @ApiProperty({ type: AgencyBrief }) agency: AgencyBrief;
}

/**
 * A member. In the caller's scope: `inScope: true`, its reference number, state,
 * agencies and open deadlines. Outside it: `inScope: false` and the police unit
 * holding it (name, region), nothing else, as out-of-scope cases in links answers.
 */
export class CaseGroupMember {
  @ApiProperty({ example: 'referral:5d6e7f80-…', description: 'referral:<id>, or hidden-<n> outside scope' }) key: string;
  @ApiProperty() inScope: boolean;
  @ApiPropertyOptional({ format: 'uuid' }) id?: string;
  @ApiPropertyOptional({ example: '330100-2026-000042' }) referenceNo?: string;
  @ApiPropertyOptional() title?: string;
  @ApiPropertyOptional({ example: 'under-review' }) state?: string;
  @ApiPropertyOptional({ example: '330100' }) regionCode?: string;
  @ApiPropertyOptional({ type: AgencyBrief }) sourceAgency?: AgencyBrief;
  @ApiPropertyOptional({ type: AgencyBrief, description: 'the police unit holding it' }) targetAgency?: AgencyBrief;
  @ApiPropertyOptional({ type: [DeadlineView], description: 'its open deadlines (pending, paused or breached), soonest first' })
  deadlines?: DeadlineView[];
  @ApiPropertyOptional({ format: 'date-time' }) addedAt?: string;
  @ApiPropertyOptional({ type: HoldingAgency, description: 'outside scope: the police unit holding it' })
  holdingAgency?: HoldingAgency;
}

export class CaseGroupSharedParty {
  @ApiProperty({ type: PartyNode, description: 'a party an in-scope member states (identifier masked)' }) party: PartyNode;
  @ApiProperty({ enum: ['confirmed', 'possible'], description: 'confirmed when some member states the same identified party' })
  match: 'confirmed' | 'possible';
  @ApiProperty({ type: [String], description: 'the keys of the members it links' }) members: string[];
}

export const HISTORY_ACTIONS = ['formed', 'member-added', 'member-removed', 'dissolved'] as const;

export class CaseGroupReferralRef {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ example: '330100-2026-000042' }) referenceNo: string;
}

export class CaseGroupHistoryEntry {
  @ApiProperty({ enum: HISTORY_ACTIONS }) action: (typeof HISTORY_ACTIONS)[number];
  @ApiProperty({ format: 'date-time' }) at: string;
  @ApiProperty({ type: CaseGroupActor }) by: CaseGroupActor;
  @ApiProperty({ example: 'The same supplier in both cases' }) reason: string;
  @ApiProperty({
    type: CaseGroupReferralRef,
    nullable: true,
    description: 'the referral added or removed, when the caller may see it (null otherwise and for formed, dissolved)',
  })
  referral: CaseGroupReferralRef | null;
}

export class CaseGroupView {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty() name: string;
  @ApiProperty({ type: AgencyBrief, description: 'the lead police unit' }) leadAgency: AgencyBrief;
  @ApiProperty({ description: 'why it was formed' }) reason: string;
  @ApiProperty({ description: 'false once dissolved' }) open: boolean;
  @ApiProperty({ example: 1, description: 'increases with every change; sent as ETag, checked by If-Match' }) version: number;
  @ApiProperty({ type: CaseGroupActor }) createdBy: CaseGroupActor;
  @ApiProperty({ format: 'date-time' }) createdAt: string;
  @ApiProperty({ format: 'date-time' }) updatedAt: string;
  @ApiProperty({ type: String, format: 'date-time', nullable: true }) dissolvedAt: string | null;
  @ApiProperty({ type: CaseGroupActor, nullable: true }) dissolvedBy: CaseGroupActor | null;
  @ApiProperty({ type: String, nullable: true }) dissolveReason: string | null;
  @ApiProperty({
    type: [CaseGroupMember],
    description:
      'the members (a dissolved group: those it ended with), in the order they joined (those that formed it: oldest first)',
  })
  members: CaseGroupMember[];
  @ApiProperty({ type: [CaseGroupSharedParty], description: 'the parties that link the members' })
  sharedParties: CaseGroupSharedParty[];
  @ApiProperty({ type: [CaseGroupHistoryEntry], description: 'every change, oldest first' })
  history: CaseGroupHistoryEntry[];
}

export class CaseGroupSummary {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty() name: string;
  @ApiProperty({ type: AgencyBrief }) leadAgency: AgencyBrief;
  @ApiProperty() open: boolean;
  @ApiProperty({ example: 3, description: 'members, those outside the caller’s scope included' }) memberCount: number;
  @ApiProperty({ example: 1 }) version: number;
  @ApiProperty({ format: 'date-time' }) createdAt: string;
  @ApiProperty({ type: String, format: 'date-time', nullable: true }) dissolvedAt: string | null;
}

export class CaseGroupPage {
  @ApiProperty({ type: [CaseGroupSummary] }) items: CaseGroupSummary[];
  @ApiProperty({ type: String, nullable: true, description: 'null on the last page' }) nextCursor: string | null;
}

/** What a referral view shows of the open group it is in. */
export class ReferralCaseGroup {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty() name: string;
  @ApiProperty({ type: AgencyBrief }) leadAgency: AgencyBrief;
}
