// The vocabulary of the referral procedure: who acts, what they send, what the
// machine remembers and what it asks the outside world to do.
import type { RectificationTask } from '../procedure';
import type { DeadlineKind, ListingLevel, ReviewExtensionTier, ReviewTier } from './referral.deadlines';
import type { NotificationTemplate } from './referral.notifications';

export { ROLES, type Actor, type Party, type RectificationTask, type Relation, type Role } from '../procedure';
import type { Actor, Intent as ProcedureIntent, SystemEvent as ProcedureSystemEvent } from '../procedure';

/** The machine's final states (checked against the machine in its spec): nothing but COMMENT is accepted there. */
export const FINAL_STATES = ['closed', 'withdrawn'] as const;

export type Outcome = 'declined' | 'rectified' | 'prosecuted' | 'investigation-terminated' | 'reverse-transferred' | 'withdrawn';

/** A joint listing for supervision (联合挂牌督办): who listed the case, at which level, how often the police report. */
export interface Listing {
  /** The highest level among the listing bodies' listings. */
  level: ListingLevel;
  /** Agency ids of the listing bodies, the first lister first. */
  bodies: string[];
  /** The target police unit reports every this many days; null: no reporting period. */
  reportEveryDays: number | null;
  /** Progress reports made so far (the reports themselves are the timeline's REPORT_SUPERVISION_PROGRESS events). */
  reports: number;
}

export interface ReferralContext {
  sourceAgencyId: string;
  targetAgencyId: string;
  reviewTier: ReviewTier;
  /** Reconsideration may be asked for once (Transfer Provisions art. 9). */
  reconsiderationRequested: boolean;
  reviewRecommendation: 'file' | 'not-file' | null;
  caseNumber: string | null;
  rectificationDueAt: string | null;
  tasks: RectificationTask[];
  flags: string[];
  /** null when not listed; absent in snapshots written before listings had a record (flag only). */
  listing?: Listing | null;
  /** Police units the case was elevated or designated away from (absent in older snapshots): they keep reading it. */
  formerTargetIds?: string[];
  outcome: Outcome | null;
}

export interface ReferralInput {
  sourceAgencyId: string;
  targetAgencyId: string;
}

// Events sent by people. Each carries the actor so that guards can decide.
type WithActor<T> = T & { actor: Actor };
/** One item of evidence handed over; `quantity` is a positive decimal string. */
export interface InventoryItem {
  item: string;
  quantity?: string;
  unit?: string;
  storage?: string;
  attachmentId?: string;
}

export type ClientEvent =
  | { type: 'ACKNOWLEDGE' }
  | { type: 'REQUEST_SUPPLEMENT'; items: string[]; reason: string }
  | { type: 'SUPPLEMENT'; note: string }
  | { type: 'FORWARD'; toAgencyId: string; reason: string }
  | { type: 'EXTEND_REVIEW'; tier: ReviewExtensionTier; reason: string }
  | { type: 'RECORD_REVIEW'; recommendation: 'file' | 'not-file'; opinion: string }
  | { type: 'RETURN_TO_REVIEW'; reason: string }
  | { type: 'ACCEPT'; caseNumber: string }
  | { type: 'DECLINE'; reasons: string; legalBasis: string }
  | { type: 'REQUEST_RECONSIDERATION'; grounds: string }
  | { type: 'UPHOLD_DECLINE'; reasons: string }
  | { type: 'REQUEST_SUPERVISION'; grounds: string }
  | { type: 'ACCEPT_DECISION' }
  | { type: 'REQUIRE_REASONS'; note: string }
  | { type: 'SUBMIT_REASONS'; statement: string }
  | { type: 'ORDER_FILING'; note: string }
  | { type: 'UPHOLD_NON_FILING'; note: string }
  | { type: 'HANDOVER_EVIDENCE'; inventory: InventoryItem[] }
  | {
      type: 'START_JOINT_RECTIFICATION';
      dueAt: string;
      // task ids are assigned by the engine before the event reaches the machine
      tasks: { id: string; agencyId: string; description: string; dueAt?: string }[];
    }
  | { type: 'REPORT_PROGRESS'; taskId: string; note: string }
  | { type: 'COMPLETE_TASK'; taskId: string; note: string }
  | { type: 'COMPLETE_RECTIFICATION'; summary: string }
  | { type: 'CLOSE'; outcome: 'prosecuted' | 'investigation-terminated' | 'reverse-transferred'; note: string }
  | { type: 'WITHDRAW'; reason: string }
  | { type: 'LIST_FOR_SUPERVISION'; note: string; level?: ListingLevel; reportEveryDays?: number }
  | { type: 'REPORT_SUPERVISION_PROGRESS'; note: string }
  | { type: 'DELIST'; reason: string }
  // 提级侦办: a superior police unit takes the case over (toAgencyId is the engine's record of who: the sender's unit)
  | { type: 'ELEVATE'; reason: string; toAgencyId?: string }
  // 指定管辖: a superior police unit assigns the case to another police unit inside its region
  | { type: 'DESIGNATE'; toAgencyId: string; reason: string }
  | { type: 'COMMENT'; text: string };

// Events the system sends itself when a deadline job fires; never accepted from clients.
export type SystemEvent = ProcedureSystemEvent<DeadlineKind>;

export type ReferralEventPayload = ClientEvent | SystemEvent;
export type ReferralEvent = WithActor<ReferralEventPayload>;
export type ReferralEventType = ReferralEventPayload['type'];

export const CLIENT_EVENT_TYPES = [
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
] as const satisfies readonly ClientEvent['type'][];
export { SYSTEM_EVENT_TYPES } from '../procedure';

/** What a transition of this procedure asks the engine to do (the shared intents, with its deadline kinds and notices). */
export type Intent = ProcedureIntent<DeadlineKind, NotificationTemplate>;
