// The vocabulary of the reverse transfer (行刑反向衔接): a case sent back from the
// criminal side to an administrative agency for an administrative penalty.
import type {
  Actor,
  PenaltyKind,
  Intent as ProcedureIntent,
  ProcedureContext,
  SystemEvent as ProcedureSystemEvent,
} from '../procedure';
import type { DeadlineKind } from './reverse-transfer.deadlines';
import type { NotificationTemplate } from './reverse-transfer.notifications';

export { ROLES, type Actor, type Party, type Relation, type Role } from '../procedure';

/** The machine's final states (checked against the machine in its spec): nothing but COMMENT is accepted there. */
export const FINAL_STATES = ['replied', 'withdrawn'] as const;

/**
 * Why the case comes back: the police decided not to file it or withdrew it (Transfer
 * Provisions art. 13), or the procuratorate decided not to prosecute and sends a
 * procuratorial opinion recommending a penalty (Criminal Procedure Law art. 177(3)).
 */
export const REVERSE_TRANSFER_BASES = ['not-filed', 'case-withdrawn', 'not-prosecuted'] as const;
export type ReverseTransferBasis = (typeof REVERSE_TRANSFER_BASES)[number];

export { PENALTY_KINDS, type PenaltyKind } from '../procedure';

export type PenaltyDecisionValue = 'penalty-imposed' | 'no-penalty';

/** The agency's decision on the case, as the machine keeps it. */
export interface PenaltyDecision {
  decision: PenaltyDecisionValue;
  reasons: string;
  decisionNo: string | null;
  penaltyKinds: PenaltyKind[];
  /** A positive decimal string in CNY. */
  fineAmount: string | null;
}

/** The outcome of a replied case is the agency's decision. */
export type Outcome = PenaltyDecisionValue | 'withdrawn';

export interface ReverseTransferContext extends ProcedureContext {
  basis: ReverseTransferBasis;
  /** A procuratorial opinion applies (basis not-prosecuted): the agency must reply on it within 2 months. */
  procuratorialOpinion: boolean;
  decision: PenaltyDecision | null;
  chaseCount: number;
  outcome: Outcome | null;
}

export interface ReverseTransferInput {
  sourceAgencyId: string;
  targetAgencyId: string;
  basis: ReverseTransferBasis;
  procuratorialOpinion: boolean;
}

type WithActor<T> = T & { actor: Actor };

export type ClientEvent =
  | { type: 'RECEIVE' }
  | {
      type: 'DECIDE';
      decision: PenaltyDecisionValue;
      reasons: string;
      decisionNo?: string;
      penaltyKinds?: PenaltyKind[];
      fineAmount?: string;
    }
  | { type: 'REPLY'; note: string }
  | { type: 'CHASE'; note: string }
  | { type: 'WITHDRAW'; reason: string }
  | { type: 'COMMENT'; text: string };

export type SystemEvent = ProcedureSystemEvent<DeadlineKind>;

export type ReverseTransferEventPayload = ClientEvent | SystemEvent;
export type ReverseTransferEvent = WithActor<ReverseTransferEventPayload>;
export type ReverseTransferEventType = ReverseTransferEventPayload['type'];

export const CLIENT_EVENT_TYPES = [
  'RECEIVE',
  'DECIDE',
  'REPLY',
  'CHASE',
  'WITHDRAW',
  'COMMENT',
] as const satisfies readonly ClientEvent['type'][];
export { SYSTEM_EVENT_TYPES } from '../procedure';

export type Intent = ProcedureIntent<DeadlineKind, NotificationTemplate>;

const filled = (s: string | undefined) => s !== undefined && s.trim() !== '';

/**
 * A penalty names its decision number and at least one kind; no penalty gives its
 * reasons and names no penalty kind or fine (its decision number, if any, is kept).
 */
export function isCompleteDecision(event: Extract<ClientEvent, { type: 'DECIDE' }>): boolean {
  const kinds = event.penaltyKinds?.length ?? 0;
  return event.decision === 'penalty-imposed'
    ? filled(event.decisionNo) && kinds > 0
    : event.decision === 'no-penalty' && filled(event.reasons) && kinds === 0 && event.fineAmount === undefined;
}

/** The machine's input from the two agencies and the start facts (facts.basis; facts.procuratorialOpinion optional). */
export function reverseTransferInput(
  parties: { sourceAgencyId: string; targetAgencyId: string },
  facts: Readonly<Record<string, unknown>> = {},
): ReverseTransferInput {
  const basis = facts.basis as ReverseTransferBasis;
  if (!REVERSE_TRANSFER_BASES.includes(basis)) {
    throw new Error(`A reverse transfer starts with facts.basis one of ${REVERSE_TRANSFER_BASES.join(', ')}`);
  }
  // Only a procuratorate's decision not to prosecute comes with a procuratorial opinion.
  const procuratorialOpinion = basis === 'not-prosecuted';
  if (facts.procuratorialOpinion !== undefined && facts.procuratorialOpinion !== procuratorialOpinion) {
    throw new Error(`facts.procuratorialOpinion must be ${procuratorialOpinion} when the basis is ${basis}`);
  }
  return { sourceAgencyId: parties.sourceAgencyId, targetAgencyId: parties.targetAgencyId, basis, procuratorialOpinion };
}
