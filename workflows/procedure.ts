// The vocabulary every procedure shares: who acts, how their agency stands to a
// case, what a transition may ask the engine to do, and what a workflow hands the
// engine (WorkflowDefinition). Pure: no Nest, no database. Each procedure in
// workflows/<name>/ speaks this vocabulary, so the engine, deadlines, outbox,
// notifications, scope and supervision carry every workflow without knowing it.
import type { AnyStateMachine } from 'xstate';
import type { NoticeTexts } from './notice-texts';
import type { Period } from './period-counting';

export const ROLES = ['admin', 'agency-officer', 'police-officer', 'police-lead', 'procurator', 'supervisor'] as const;
export type Role = (typeof ROLES)[number];

/**
 * How the actor's agency stands to a case; computed by the engine from the database.
 * `superior`: a police unit whose region strictly contains the region of the police
 * unit the case sits with (the higher organ that may elevate or designate jurisdiction).
 */
export type Relation = 'source' | 'target' | 'task' | 'oversight' | 'superior';

export interface Actor {
  userId: string | null;
  agencyId: string | null;
  roles: Role[];
  relations: Relation[];
  system: boolean;
}

/** Who may send an event: one of the roles and, if named, that relation. */
export interface SenderRule {
  roles: readonly Role[];
  /** How the sender's agency must stand to the case; none: anyone in scope. */
  relation?: Relation;
}

/** A person (never the system) with one of the roles and, if the rule names one, that relation. */
export function actorMatches(actor: Actor, rule: SenderRule): boolean {
  return (
    !actor.system &&
    actor.roles.some((r) => rule.roles.includes(r)) &&
    (rule.relation === undefined || actor.relations.includes(rule.relation))
  );
}

/** Kinds of administrative penalty (Administrative Penalty Law art. 9), as decisions record them. */
export const PENALTY_KINDS = ['warning', 'fine', 'confiscation', 'suspension', 'licence-revocation', 'detention'] as const;
export type PenaltyKind = (typeof PENALTY_KINDS)[number];

/** Parties a notification goes to; the engine resolves them to agencies. */
export type Party =
  | 'source'
  | 'target'
  | 'procuratorate' // the procuratorate(s) at the case's own region level
  | 'oversight' // every procuratorate and supervisor agency whose region covers the case
  | 'task-agencies'
  | 'listing-bodies' // the agencies that listed the case for supervision (context.listing.bodies)
  | 'responsible'; // the agency responsible for the deadline the event is about

/** Notices every procedure sends, whatever its own: each workflow's template list includes them (deadline-escalated comes from the deadline processor). */
export const SHARED_TEMPLATES = [
  'comment-added',
  'deadline-reminder',
  'deadline-breached',
  'deadline-escalated',
  // sent when a new case states a party another case states (src/parties), not by a transition
  'linked-cases-found',
  // sent when a case group (并案) one of its members is in is formed or changed (src/case-groups)
  'case-group-changed',
] as const;
export type SharedTemplate = (typeof SHARED_TEMPLATES)[number];

/** Who must act before a deadline: the agency the case sits with, the one that started it, or a task's agency. */
export type ResponsibleSide = 'target' | 'source' | 'task-agency';

export interface DeadlineRule<K extends string = string> {
  kind: K;
  /** null when the due time comes with the event (a rectification plan, a reporting date). */
  period: Period | null;
  responsible: ResponsibleSide;
  legalBasis: string;
}

export interface RectificationTask {
  id: string;
  agencyId: string;
  description: string;
  dueAt: string;
  status: 'open' | 'done';
}

/** What every procedure's context holds: the engine reads these, the rest is the procedure's own. */
export interface ProcedureContext {
  sourceAgencyId: string;
  targetAgencyId: string;
  flags: string[];
  outcome: string | null;
  /** Agencies with tasks (the 'task' relation); only the referral has them so far. */
  tasks?: RectificationTask[];
  /** The bodies that listed the case for supervision (the 'listing-bodies' party); only the referral is listed so far. */
  listing?: { bodies: string[] } | null;
  /** Police units the case was taken from by elevation or designation: they keep reading it. */
  formerTargetIds?: string[];
}

// Events the system sends itself when a deadline job fires; never accepted from clients.
export type SystemEvent<K extends string = string> =
  { type: 'DEADLINE_REMINDER'; deadlineId: string; kind: K } | { type: 'DEADLINE_EXPIRED'; deadlineId: string; kind: K };
export const SYSTEM_EVENT_TYPES = ['DEADLINE_REMINDER', 'DEADLINE_EXPIRED'] as const satisfies readonly SystemEvent['type'][];

/**
 * What a transition asks the outside world to do. The machine never performs
 * these; the engine turns them into rows (deadlines, tasks, outbox) in the same
 * transaction as the state change.
 */
export type Intent<K extends string = string, T extends string = string> =
  | { type: 'scheduleDeadline'; kind: K; taskId?: string; dueAt?: string }
  | { type: 'extendReview'; tier: string }
  | { type: 'meetDeadlines'; kinds: K[]; taskId?: string }
  | { type: 'cancelDeadlines'; kinds: K[] }
  | { type: 'cancelAllDeadlines' }
  | { type: 'pauseDeadline'; kind: K }
  | { type: 'resumeDeadline'; kind: K }
  | { type: 'breachDeadline'; deadlineId: string }
  | { type: 'remindDeadline'; deadlineId: string }
  | { type: 'openTasks'; tasks: RectificationTask[] }
  | { type: 'closeTask'; taskId: string }
  // the live deadlines the target answers for pass to the (new) target: its clocks run on
  | { type: 'retargetDeadlines' }
  // agencyIds: agencies the procedure names itself, beside the parties (e.g. the bodies of a listing it just ended)
  | { type: 'notify'; parties: Party[]; template: T; agencyIds?: string[] };

/** Every intent type, for telling intents apart from XState's own actions in a transition result. */
export const INTENT_TYPES = [
  'scheduleDeadline',
  'extendReview',
  'meetDeadlines',
  'cancelDeadlines',
  'cancelAllDeadlines',
  'pauseDeadline',
  'resumeDeadline',
  'breachDeadline',
  'remindDeadline',
  'openTasks',
  'closeTask',
  'retargetDeadlines',
  'notify',
] as const satisfies readonly Intent['type'][];
// Fails to compile if an Intent type is missing above.
const intentTypesComplete: Exclude<Intent['type'], (typeof INTENT_TYPES)[number]> extends never ? true : false = true;
void intentTypesComplete;

const INTENT_SET = new Set<string>(INTENT_TYPES);

/** The intents among the actions a transition returned, each flattened to {type, ...params}. */
export function intentsOf(actions: readonly { type: string; params?: unknown }[]): Intent[] {
  return actions.filter((a) => INTENT_SET.has(a.type)).map((a) => ({ type: a.type, ...((a.params as object) ?? {}) }) as Intent);
}

/**
 * One procedure as the engine runs it: the statechart, who may send what, its
 * deadline kinds and notices. Registered by name and version
 * (src/workflow-engine/workflow-registry.ts); a stored snapshot is always restored by
 * the definition of the version that wrote it.
 */
export interface WorkflowDefinition {
  /** URL-safe name: 'referral', 'transfer-recommendation', 'reverse-transfer'. */
  name: string;
  version: string;
  /** One line for people: what the procedure is. */
  title: string;
  /** The timeline's first event: the start of an instance (SUBMIT, ISSUE, TRANSFER). */
  startEvent: string;
  /** Put before its reference numbers ('JY-330100-2026-000007'); none for the referral's. */
  referencePrefix?: string;
  machine: AnyStateMachine;
  /** The events people send (each needs a sender rule); COMMENT among them. */
  clientEventTypes: readonly string[];
  senders: Readonly<Record<string, SenderRule>>;
  deadlines: Readonly<Record<string, DeadlineRule>>;
  /** The period a kind runs for in this context (the referral's review depends on its tier). */
  periodOf(kind: string, context: ProcedureContext): Period | null;
  templates: readonly string[];
  /** The inbox text of each template (workflows/<name>/<name>.texts.ts). */
  notices: NoticeTexts;
  /** States where nothing but COMMENT is accepted. */
  finalStates: readonly string[];
  /**
   * The machine's input at the start, from the two agencies and the start facts: the
   * engine passes the instance's `facts` (what the starting caller stated, stored on the
   * row) so a procedure can know at its start what its chart depends on (the reverse
   * transfer: its basis). Procedures that need none ignore them; a definition may throw
   * when the facts it needs are missing or inconsistent, which fails the start.
   */
  input(parties: { sourceAgencyId: string; targetAgencyId: string }, facts?: Readonly<Record<string, unknown>>): unknown;
}
