// The resources by the names the console uses, from the generated OpenAPI
// types (schema.d.ts, `npm run gen:api`), and the value lists the forms offer.
import type { components } from './schema';

type Schemas = components['schemas'];

export type Agency = Schemas['AgencyDto'] & { active?: boolean };
export type AgencyKind = Agency['kind'];
export type User = Schemas['UserDto'];
export type Role = User['roles'][number];
export type LoginResult = Schemas['LoginResponseDto'];
export type Suspect = Schemas['SuspectView'];
export type Deadline = Schemas['DeadlineView'];
export type RectificationTask = Schemas['TaskView'];
export type TransferPackage = Schemas['TransferPackage'];
export type Referral = Schemas['ReferralView'];
export type TimelineEvent = Schemas['TimelineEntry'] & { actor: { displayName?: string; username?: string } };
export type Verification = Schemas['ChainCheck'];
export type Attachment = Schemas['AttachmentView'];
export type Notification = Schemas['NotificationView'];
export type OverdueItem = Schemas['OverdueItem'];
export type Penalty = Schemas['PenaltyDto'];
export type AdminCase = Schemas['AdminCaseView'];
export type NewAdminCase = Schemas['CreateAdminCaseDto'];
export type ImportReport = Schemas['ImportReport'];
export type InstanceLink = Schemas['InstanceLinkView'];
export type Recommendation = Schemas['RecommendationView'];
export type ReverseTransfer = Schemas['ReverseTransferView'];
export type NewReverseTransfer = Schemas['CreateReverseTransferDto'];
export type PartyNode = Schemas['PartyNode'];
export type CaseNode = Schemas['CaseNode'];
export type ChainEdge = Schemas['ChainEdge'];
export type Links = Schemas['LinksView'];
export type Chain = Schemas['ChainGraph'];
export type Listing = Schemas['ListingView'];
export type ListedItem = Schemas['ListedItem'];
/** What the instance pages share: a recommendation or a reverse transfer (and the referral's common fields). */
export type Instance = Recommendation | ReverseTransfer;

export interface Page<T> {
  items: T[];
  nextCursor: string | null;
}

/** problem+json (Schemas['ProblemDto']), loosened: a network failure or a proxy's answer has only a status. */
export type Problem = Partial<Omit<Schemas['ProblemDto'], 'status'>> & { status: number };

export const DOMAINS = [
  'food',
  'drug',
  'medical-device',
  'cosmetics',
  'environment',
  'intellectual-property',
  'wildlife',
  'agriculture',
  'natural-resources',
  'biosecurity',
  'other',
] as const;

export const STATES = [
  'submitted',
  'under-review',
  'supplement-requested',
  'reviewed',
  'declined',
  'reconsideration',
  'procuratorial-supervision',
  'accepted',
  'joint-rectification',
  'closed',
  'withdrawn',
] as const;

export const ATTACHMENT_KINDS = ['transfer-letter', 'investigation-report', 'item-inventory', 'test-report', 'other'] as const;

export const DEADLINE_KINDS = [
  'acknowledge',
  'review',
  'supplement',
  'evidence-handover',
  'reconsideration-window',
  'reconsideration-decision',
  'police-reasons',
  'filing-order',
  'investigation-progress',
  'rectification',
  'supervision-report',
] as const;

export const EVENT_TYPES = [
  'SUBMIT',
  'ACKNOWLEDGE',
  'REQUEST_SUPPLEMENT',
  'SUPPLEMENT',
  'FORWARD',
  'EXTEND_REVIEW',
  'RECORD_REVIEW',
  'RETURN_TO_REVIEW',
  'ACCEPT',
  'DECLINE',
  'REQUEST_RECONSIDERATION',
  'UPHOLD_DECLINE',
  'REQUEST_SUPERVISION',
  'ACCEPT_DECISION',
  'REQUIRE_REASONS',
  'SUBMIT_REASONS',
  'ORDER_FILING',
  'UPHOLD_NON_FILING',
  'HANDOVER_EVIDENCE',
  'START_JOINT_RECTIFICATION',
  'REPORT_PROGRESS',
  'COMPLETE_TASK',
  'COMPLETE_RECTIFICATION',
  'CLOSE',
  'WITHDRAW',
  'LIST_FOR_SUPERVISION',
  'REPORT_SUPERVISION_PROGRESS',
  'DELIST',
  'ELEVATE',
  'DESIGNATE',
  'COMMENT',
  'DEADLINE_REMINDER',
  'DEADLINE_EXPIRED',
  'ATTACHMENT_ADDED',
] as const;

export const PENALTY_KINDS = ['warning', 'fine', 'confiscation', 'suspension', 'licence-revocation', 'detention'] as const;
export const FINDINGS = [
  'sick-animal-meat',
  'toxic-non-food-substance',
  'fake-drug-confirmed',
  'hazardous-waste',
  'protected-wildlife',
  'prohibited-hunting',
  'unlicensed-mining',
  'invasive-alien-species',
] as const;
export const SCREENING_FLAGS = ['flagged', 'near'] as const;
export const REVERSE_BASES = ['not-filed', 'case-withdrawn', 'not-prosecuted'] as const;
export const PENALTY_DECISIONS = ['penalty-imposed', 'no-penalty'] as const;
/** A referral closed so that the police may transfer it back for a penalty (docs/api.md "Reverse transfers"). */
export const REVERSIBLE_OUTCOMES = ['declined', 'investigation-terminated', 'reverse-transferred'];

/** The other workflows (GET /api/v1/workflows): their states, outcomes and deadline kinds, for their words. */
export const RECOMMENDATION_STATES = [
  'issued',
  'explanation-submitted',
  'insisted',
  'transferred',
  'closed',
  'withdrawn',
] as const;
export const RECOMMENDATION_OUTCOMES = ['transferred', 'explained', 'withdrawn'] as const;
export const REVERSE_STATES = ['transferred', 'received', 'decided', 'replied', 'withdrawn'] as const;
export const REVERSE_OUTCOMES = ['penalty-imposed', 'no-penalty', 'withdrawn'] as const;
export const WORKFLOW_DEADLINE_KINDS = ['recommendation-response', 'reverse-receipt', 'reverse-reply'] as const;

export const LISTING_LEVELS = ['city', 'province', 'national'] as const;

export const ROLES: Role[] = ['admin', 'agency-officer', 'police-officer', 'police-lead', 'procurator', 'supervisor'];
export const AGENCY_KINDS: AgencyKind[] = ['regulator', 'police', 'procuratorate', 'supervisor'];
