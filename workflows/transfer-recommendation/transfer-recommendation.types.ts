// The vocabulary of the transfer recommendation (检察意见·建议移送): a procuratorate
// recommends that an administrative agency transfer a case it handled to the police.
import type { Actor, Intent as ProcedureIntent, ProcedureContext, SystemEvent as ProcedureSystemEvent } from '../procedure';
import type { DeadlineKind } from './transfer-recommendation.deadlines';
import type { NotificationTemplate } from './transfer-recommendation.notifications';

export { ROLES, type Actor, type Party, type Relation, type Role } from '../procedure';

/** The machine's final states (checked against the machine in its spec): nothing but COMMENT is accepted there. */
export const FINAL_STATES = ['transferred', 'closed', 'withdrawn'] as const;

/** transferred: the agency transferred the case; explained: the procuratorate accepted its written explanation. */
export type Outcome = 'transferred' | 'explained' | 'withdrawn';

export interface TransferRecommendationContext extends ProcedureContext {
  /** The referral the agency created when it transferred the case (same transaction). */
  referralId: string | null;
  /** The agency's latest written explanation of why it does not transfer. */
  explanation: string | null;
  /** How often the procuratorate insisted after an explanation. */
  insistCount: number;
  outcome: Outcome | null;
}

export interface TransferRecommendationInput {
  sourceAgencyId: string;
  targetAgencyId: string;
}

type WithActor<T> = T & { actor: Actor };

export type ClientEvent =
  | { type: 'TRANSFER'; referralId: string }
  | { type: 'EXPLAIN'; explanation: string }
  | { type: 'ACCEPT_EXPLANATION'; note: string }
  | { type: 'INSIST'; reasons: string }
  | { type: 'WITHDRAW'; reason: string }
  | { type: 'COMMENT'; text: string };

export type SystemEvent = ProcedureSystemEvent<DeadlineKind>;

export type TransferRecommendationEventPayload = ClientEvent | SystemEvent;
export type TransferRecommendationEvent = WithActor<TransferRecommendationEventPayload>;
export type TransferRecommendationEventType = TransferRecommendationEventPayload['type'];

export const CLIENT_EVENT_TYPES = [
  'TRANSFER',
  'EXPLAIN',
  'ACCEPT_EXPLANATION',
  'INSIST',
  'WITHDRAW',
  'COMMENT',
] as const satisfies readonly ClientEvent['type'][];
export { SYSTEM_EVENT_TYPES } from '../procedure';

export type Intent = ProcedureIntent<DeadlineKind, NotificationTemplate>;
