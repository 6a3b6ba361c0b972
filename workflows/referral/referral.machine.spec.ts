// Specification of the referral statechart against API.md ("Act: send a workflow
// event", "Final states") and DOMAIN.md. Pure: only initialTransition/transition
// (no actors, no timers, no database), plus xstate/graph for path coverage.
import { initialTransition, transition, type SnapshotFrom, type StateValue } from 'xstate';
import { getShortestPaths, getStateNodes } from 'xstate/graph';
import { referralMachine } from './referral.machine';
import { FINAL_STATES as MACHINE_FINAL_STATES } from './referral.types';
import { DEADLINE_KINDS, type DeadlineKind, type ReviewExtensionTier } from './referral.deadlines';
import { INTENT_TYPES } from '../procedure';
import {
  CLIENT_EVENT_TYPES,
  SYSTEM_EVENT_TYPES,
  type Actor,
  type Intent,
  type Outcome,
  type ReferralContext,
  type ReferralEvent,
  type ReferralEventPayload,
  type ReferralEventType,
  type Role,
  type Relation,
} from './referral.types';

// =============================================================================
// Helpers
// =============================================================================

type Snap = SnapshotFrom<typeof referralMachine>;

// ---- agencies and the cast ---------------------------------------------------

const SOURCE = 'agency-source';
const TARGET = 'police-target';
const NEW_TARGET = 'police-new-target';
const TASK_AGENCY = 'agency-task';
const INPUT = { sourceAgencyId: SOURCE, targetAgencyId: TARGET };

function person(role: Role, agencyId: string, relations: Relation[]): Actor {
  return { userId: `${role}@${agencyId}`, agencyId, roles: [role], relations, system: false };
}

const officer = person('agency-officer', SOURCE, ['source']);
const policeOfficer = person('police-officer', TARGET, ['target']);
const lead = person('police-lead', TARGET, ['target']);
const procurator = person('procurator', 'procuratorate', ['oversight']);
const supervisor = person('supervisor', 'kunlun-office', ['oversight']);
const taskWorker = person('agency-officer', TASK_AGENCY, ['task']);
/** The target unit's officer once the unit holds a rectification task of its own (t2): the engine adds 'task'. */
const policeTaskWorker: Actor = { ...policeOfficer, relations: ['target', 'task'] };
const admin = person('admin', 'admin-agency', []);
/** A lead of the police unit above the target's (a city bureau over a district one): the engine computes 'superior'. */
const superiorLead = person('police-lead', 'police-city', ['superior']);
const superiorOfficer = person('police-officer', 'police-city', ['superior']);
const SYSTEM: Actor = { userId: null, agencyId: null, roles: [], relations: [], system: true };
/** Same roles, but an agency that stands in no relation to the referral. */
const stranger = (actor: Actor): Actor => ({
  ...actor,
  userId: `${actor.userId}-elsewhere`,
  agencyId: 'agency-elsewhere',
  relations: [],
});

const PEOPLE = [officer, policeOfficer, lead, procurator, supervisor, taskWorker, admin];
const name = (actor: Actor) => (actor.system ? 'system' : actor.userId!);

// ---- events ------------------------------------------------------------------

type PayloadOf<T extends ReferralEventType> = Omit<Extract<ReferralEventPayload, { type: T }>, 'type'>;

// t1 belongs to the task agency, t2 to the target police unit itself.
const TWO_TASKS = [
  { id: 't1', agencyId: TASK_AGENCY, description: 'inspect the market stalls', dueAt: '2026-06-30T23:59:59+08:00' },
  { id: 't2', agencyId: TARGET, description: 'raid the warehouse' },
];
const PLAN_DUE = '2026-07-31T23:59:59+08:00';

const DEFAULT_PAYLOAD: { [T in ReferralEventType]: PayloadOf<T> } = {
  ACKNOWLEDGE: {},
  REQUEST_SUPPLEMENT: { items: ['test report'], reason: 'the test report is missing' },
  SUPPLEMENT: { note: 'test report attached' },
  FORWARD: { toAgencyId: NEW_TARGET, reason: 'territorial jurisdiction' },
  EXTEND_REVIEW: { tier: 'verification', reason: 'the lead needs verification' },
  RECORD_REVIEW: { recommendation: 'file', opinion: 'facts meet the threshold' },
  RETURN_TO_REVIEW: { reason: 'opinion incomplete' },
  ACCEPT: { caseNumber: 'GA-2026-0001' },
  DECLINE: { reasons: 'no criminal facts established', legalBasis: 'MPS art. 182' },
  REQUEST_RECONSIDERATION: { grounds: 'the amount exceeds the threshold' },
  UPHOLD_DECLINE: { reasons: 'reconsidered, still no crime' },
  REQUEST_SUPERVISION: { grounds: 'please supervise the filing' },
  ACCEPT_DECISION: {},
  REQUIRE_REASONS: { note: 'state your reasons' },
  SUBMIT_REASONS: { statement: 'our reasons' },
  ORDER_FILING: { note: 'the reasons do not hold' },
  UPHOLD_NON_FILING: { note: 'the reasons hold' },
  HANDOVER_EVIDENCE: { inventory: [{ item: '12 boxes of counterfeit liquor' }] },
  START_JOINT_RECTIFICATION: { dueAt: PLAN_DUE, tasks: TWO_TASKS },
  REPORT_PROGRESS: { taskId: 't1', note: 'half the stalls inspected' },
  COMPLETE_TASK: { taskId: 't1', note: 'done' },
  COMPLETE_RECTIFICATION: { summary: 'all tasks done' },
  CLOSE: { outcome: 'prosecuted', note: 'indictment filed' },
  WITHDRAW: { reason: 'sent by mistake' },
  LIST_FOR_SUPERVISION: { note: 'major case' },
  REPORT_SUPERVISION_PROGRESS: { note: 'two suppliers questioned' },
  DELIST: { reason: 'the case is filed and on track' },
  ELEVATE: { reason: 'a cross-regional network' },
  DESIGNATE: { toAgencyId: NEW_TARGET, reason: 'the network is based in its district' },
  COMMENT: { text: 'hello' },
  DEADLINE_REMINDER: { deadlineId: 'dl-1', kind: 'review' },
  DEADLINE_EXPIRED: { deadlineId: 'dl-1', kind: 'review' },
};

/** An event of `type` sent by `actor`, with a valid default payload that `payload` may override. */
function ev<T extends ReferralEventType>(type: T, actor: Actor, payload: Partial<PayloadOf<T>> = {}): ReferralEvent {
  return { type, ...DEFAULT_PAYLOAD[type], ...payload, actor } as ReferralEvent;
}

// ---- snapshots, state keys, intents -------------------------------------------

function start(): Snap {
  return initialTransition(referralMachine, INPUT)[0];
}

/** 'submitted', 'procuratorial-supervision.reasons-required', … */
function stateKey(snapshot: { value: StateValue }): string {
  const flat = (v: StateValue): string =>
    typeof v === 'string'
      ? v
      : Object.entries(v)
          .map(([k, child]) => (child === undefined ? k : `${k}.${flat(child)}`))
          .join(',');
  return flat(snapshot.value);
}

type ActionLike = { type: string; params?: unknown };

/** The intents among the returned actions, flattened to the Intent shape ({type, ...params}); xstate built-ins dropped. */
function intents(actions: readonly ActionLike[]): Intent[] {
  return actions
    .filter((a) => !a.type.startsWith('xstate.'))
    .map((a) => ({ type: a.type, ...((a.params as object | null | undefined) ?? {}) }) as Intent);
}

/** Send an event that must be accepted; fails loudly (with the state) otherwise. */
function act(snapshot: Snap, event: ReferralEvent): [Snap, Intent[]] {
  if (!snapshot.can(event)) {
    throw new Error(`${event.type} by ${name(event.actor)} refused in ${stateKey(snapshot)}`);
  }
  const [next, actions] = transition(referralMachine, snapshot, event);
  return [next, intents(actions)];
}

function expectRefused(snapshot: Snap, event: ReferralEvent): void {
  expect(snapshot.can(event)).toBe(false);
  const [next, actions] = transition(referralMachine, snapshot, event);
  expect(stateKey(next)).toBe(stateKey(snapshot));
  expect(next.context).toEqual(snapshot.context);
  expect(intents(actions)).toEqual([]);
}

/** The client event types `actor` may send now, probing with default payloads. */
function allowedEvents(snapshot: Snap, actor: Actor): string[] {
  return CLIENT_EVENT_TYPES.filter((type) => snapshot.can(ev(type, actor)));
}

// ---- known paths to every state ----------------------------------------------

const toUnderReview = [ev('ACKNOWLEDGE', policeOfficer)];
const toReviewed = [...toUnderReview, ev('RECORD_REVIEW', policeOfficer)];
const toDeclined = [...toReviewed, ev('DECLINE', lead)];
const toReconsideration = [...toDeclined, ev('REQUEST_RECONSIDERATION', officer)];
const toSupervision = [...toDeclined, ev('REQUEST_SUPERVISION', officer)];
const toAccepted = [...toReviewed, ev('ACCEPT', lead)];
const toRectification = [...toAccepted, ev('START_JOINT_RECTIFICATION', lead)];
/** Listed by the procurator with a 15-day reporting period, at submission. */
const LIST_REPORTING = ev('LIST_FOR_SUPERVISION', procurator, { level: 'city', reportEveryDays: 15 });

const PATHS = {
  submitted: [],
  'under-review': toUnderReview,
  'supplement-requested': [ev('REQUEST_SUPPLEMENT', policeOfficer)],
  reviewed: toReviewed,
  declined: toDeclined,
  reconsideration: toReconsideration,
  'procuratorial-supervision.awaiting-procurator': toSupervision,
  'procuratorial-supervision.reasons-required': [...toSupervision, ev('REQUIRE_REASONS', procurator)],
  'procuratorial-supervision.reasons-submitted': [
    ...toSupervision,
    ev('REQUIRE_REASONS', procurator),
    ev('SUBMIT_REASONS', lead),
  ],
  'procuratorial-supervision.filing-ordered': [...toSupervision, ev('ORDER_FILING', procurator)],
  accepted: toAccepted,
  'joint-rectification': toRectification,
  closed: [...toAccepted, ev('CLOSE', lead)],
  withdrawn: [ev('WITHDRAW', officer)],
  // the same states with a different context
  'declined (after reconsideration)': [...toReconsideration, ev('UPHOLD_DECLINE', lead)],
  'under-review (listed, reporting)': [LIST_REPORTING, ...toUnderReview],
  'joint-rectification (tasks done)': [
    ...toRectification,
    ev('COMPLETE_TASK', taskWorker, { taskId: 't1' }),
    ev('COMPLETE_TASK', policeTaskWorker, { taskId: 't2' }),
  ],
} satisfies Record<string, ReferralEvent[]>;
type PathName = keyof typeof PATHS;

/** Drive the machine from submission along a known path. */
function reach(path: PathName): Snap {
  return PATHS[path].reduce((snapshot, event) => act(snapshot, event)[0], start());
}

/** The same path, listed at submission by the procurator with a 15-day reporting period. */
function reachListed(path: PathName): Snap {
  return PATHS[path].reduce((snapshot, event) => act(snapshot, event)[0], act(start(), LIST_REPORTING)[0]);
}

/** Every leaf state of the chart, as stateKey() spells it. */
const LEAF_STATES = [
  'submitted',
  'under-review',
  'supplement-requested',
  'reviewed',
  'declined',
  'reconsideration',
  'procuratorial-supervision.awaiting-procurator',
  'procuratorial-supervision.reasons-required',
  'procuratorial-supervision.reasons-submitted',
  'procuratorial-supervision.filing-ordered',
  'accepted',
  'joint-rectification',
  'closed',
  'withdrawn',
] as const satisfies readonly PathName[];
type LeafState = (typeof LEAF_STATES)[number];
const FINAL_STATES: LeafState[] = ['closed', 'withdrawn'];
const OPEN_STATES = LEAF_STATES.filter((s) => !FINAL_STATES.includes(s));
const SUPERVISION_STATES = LEAF_STATES.filter((s) => s.startsWith('procuratorial-supervision.'));

// =============================================================================
// Tests
// =============================================================================

describe('helpers', () => {
  it('LEAF_STATES lists exactly the leaf states of the chart', () => {
    const leaves = getStateNodes(referralMachine.root)
      .filter((node) => node.type === 'atomic' || node.type === 'final')
      .map((node) => node.path.join('.'));
    expect([...leaves].sort()).toEqual([...LEAF_STATES].sort());
  });

  it("FINAL_STATES of referral.types are exactly the chart's final states", () => {
    const finals = getStateNodes(referralMachine.root)
      .filter((node) => node.type === 'final')
      .map((node) => node.path.join('.'));
    expect(finals.sort()).toEqual([...MACHINE_FINAL_STATES].sort());
  });

  it.each(Object.keys(PATHS) as PathName[])('reach(%s) ends in that state', (path) => {
    expect(stateKey(reach(path))).toBe(path.replace(/ \(.*\)$/, ''));
  });

  it('submission starts in submitted with the initial context and schedules acknowledge and review', () => {
    const [snapshot, actions] = initialTransition(referralMachine, INPUT);
    expect(stateKey(snapshot)).toBe('submitted');
    expect(snapshot.context).toEqual<ReferralContext>({
      sourceAgencyId: SOURCE,
      targetAgencyId: TARGET,
      reviewTier: 'standard',
      reconsiderationRequested: false,
      reviewRecommendation: null,
      caseNumber: null,
      rectificationDueAt: null,
      tasks: [],
      flags: [],
      listing: null,
      outcome: null,
    });
    expect(intents(actions)).toEqual([
      { type: 'scheduleDeadline', kind: 'acknowledge' },
      { type: 'scheduleDeadline', kind: 'review' },
      { type: 'notify', parties: ['target', 'procuratorate'], template: 'referral-submitted' },
    ]);
  });
});

// ---- the event table of API.md -------------------------------------------------

interface AllowedCase {
  from: PathName;
  event: ReferralEvent;
  to: string;
  /** Intents that must be among the returned ones. */
  intents: unknown[];
  context?: Partial<ReferralContext>;
}

const meets = (...kinds: DeadlineKind[]) => ({ type: 'meetDeadlines', kinds });
const schedules = (kind: DeadlineKind) => ({ type: 'scheduleDeadline', kind });
const meetsIncluding = (kind: DeadlineKind) => ({ type: 'meetDeadlines', kinds: expect.arrayContaining([kind]) });
const CANCEL_ALL = { type: 'cancelAllDeadlines' };
const ACCEPTED_ENTRY = [schedules('evidence-handover'), schedules('investigation-progress')];
const OPENED_TASKS = {
  type: 'openTasks',
  tasks: [
    { ...TWO_TASKS[0], status: 'open' },
    { ...TWO_TASKS[1], dueAt: PLAN_DUE, status: 'open' },
  ],
};

const ALLOWED: AllowedCase[] = [
  { from: 'submitted', event: ev('ACKNOWLEDGE', policeOfficer), to: 'under-review', intents: [meets('acknowledge')] },
  { from: 'submitted', event: ev('ACKNOWLEDGE', lead), to: 'under-review', intents: [meets('acknowledge')] },
  {
    from: 'submitted',
    event: ev('REQUEST_SUPPLEMENT', policeOfficer),
    to: 'supplement-requested',
    intents: [meets('acknowledge'), { type: 'pauseDeadline', kind: 'review' }, schedules('supplement')],
  },
  {
    from: 'under-review',
    event: ev('REQUEST_SUPPLEMENT', lead),
    to: 'supplement-requested',
    intents: [{ type: 'pauseDeadline', kind: 'review' }, schedules('supplement')],
  },
  {
    from: 'supplement-requested',
    event: ev('SUPPLEMENT', officer),
    to: 'under-review',
    intents: [meets('supplement'), { type: 'resumeDeadline', kind: 'review' }],
  },
  {
    from: 'submitted',
    event: ev('FORWARD', policeOfficer),
    to: 'submitted',
    intents: [{ type: 'cancelDeadlines', kinds: ['acknowledge', 'review'] }, schedules('acknowledge'), schedules('review')],
    context: { targetAgencyId: NEW_TARGET },
  },
  {
    from: 'under-review',
    event: ev('FORWARD', lead),
    to: 'submitted',
    intents: [{ type: 'cancelDeadlines', kinds: ['acknowledge', 'review'] }, schedules('acknowledge'), schedules('review')],
    context: { targetAgencyId: NEW_TARGET },
  },
  {
    from: 'under-review',
    event: ev('EXTEND_REVIEW', lead, { tier: 'verification' }),
    to: 'under-review',
    intents: [{ type: 'extendReview', tier: 'verification' }],
    context: { reviewTier: 'verification' },
  },
  {
    from: 'reviewed',
    event: ev('EXTEND_REVIEW', lead, { tier: 'complex' }),
    to: 'reviewed',
    intents: [{ type: 'extendReview', tier: 'complex' }],
    context: { reviewTier: 'complex' },
  },
  {
    from: 'under-review',
    event: ev('RECORD_REVIEW', policeOfficer, { recommendation: 'not-file' }),
    to: 'reviewed',
    intents: [],
    context: { reviewRecommendation: 'not-file' },
  },
  { from: 'reviewed', event: ev('RETURN_TO_REVIEW', lead), to: 'under-review', intents: [] },
  {
    from: 'reviewed',
    event: ev('ACCEPT', lead),
    to: 'accepted',
    intents: [meetsIncluding('review'), ...ACCEPTED_ENTRY],
    context: { caseNumber: 'GA-2026-0001' },
  },
  {
    from: 'reconsideration',
    event: ev('ACCEPT', lead),
    to: 'accepted',
    intents: [meetsIncluding('reconsideration-decision'), ...ACCEPTED_ENTRY],
  },
  ...SUPERVISION_STATES.map((from): AllowedCase => ({
    from,
    event: ev('ACCEPT', lead),
    to: 'accepted',
    intents: [meetsIncluding('police-reasons'), meetsIncluding('filing-order'), ...ACCEPTED_ENTRY],
  })),
  {
    from: 'reviewed',
    event: ev('DECLINE', lead),
    to: 'declined',
    intents: [meets('review'), schedules('reconsideration-window')],
  },
  {
    from: 'declined',
    event: ev('REQUEST_RECONSIDERATION', officer),
    to: 'reconsideration',
    intents: [meets('reconsideration-window'), schedules('reconsideration-decision')],
    context: { reconsiderationRequested: true },
  },
  {
    from: 'reconsideration',
    event: ev('UPHOLD_DECLINE', lead),
    to: 'declined',
    intents: [meets('reconsideration-decision'), schedules('reconsideration-window')],
  },
  {
    from: 'declined',
    event: ev('REQUEST_SUPERVISION', officer),
    to: 'procuratorial-supervision.awaiting-procurator',
    intents: [
      meets('reconsideration-window'),
      { type: 'notify', parties: ['procuratorate', 'target'], template: 'supervision-requested' },
    ],
  },
  {
    from: 'declined (after reconsideration)',
    event: ev('REQUEST_SUPERVISION', officer),
    to: 'procuratorial-supervision.awaiting-procurator',
    intents: [meets('reconsideration-window')],
  },
  {
    from: 'declined',
    event: ev('ACCEPT_DECISION', officer),
    to: 'closed',
    intents: [meets('reconsideration-window'), CANCEL_ALL],
    context: { outcome: 'declined' },
  },
  {
    from: 'procuratorial-supervision.awaiting-procurator',
    event: ev('REQUIRE_REASONS', procurator),
    to: 'procuratorial-supervision.reasons-required',
    intents: [schedules('police-reasons')],
  },
  {
    from: 'procuratorial-supervision.reasons-required',
    event: ev('SUBMIT_REASONS', lead),
    to: 'procuratorial-supervision.reasons-submitted',
    intents: [meets('police-reasons')],
  },
  ...(['awaiting-procurator', 'reasons-required', 'reasons-submitted'] as const).flatMap((sub): AllowedCase[] => [
    {
      from: `procuratorial-supervision.${sub}`,
      event: ev('ORDER_FILING', procurator),
      to: 'procuratorial-supervision.filing-ordered',
      intents: [{ type: 'cancelDeadlines', kinds: ['police-reasons'] }, schedules('filing-order')],
    },
    {
      from: `procuratorial-supervision.${sub}`,
      event: ev('UPHOLD_NON_FILING', procurator),
      to: 'closed',
      intents: [CANCEL_ALL],
      context: { outcome: 'declined' },
    },
  ]),
  { from: 'accepted', event: ev('HANDOVER_EVIDENCE', officer), to: 'accepted', intents: [meets('evidence-handover')] },
  {
    from: 'accepted',
    event: ev('START_JOINT_RECTIFICATION', lead),
    to: 'joint-rectification',
    intents: [OPENED_TASKS],
    context: { rectificationDueAt: PLAN_DUE, tasks: OPENED_TASKS.tasks as ReferralContext['tasks'] },
  },
  {
    from: 'joint-rectification',
    event: ev('REPORT_PROGRESS', taskWorker, { taskId: 't1' }),
    to: 'joint-rectification',
    intents: [{ type: 'notify', parties: ['target'], template: 'rectification-progress' }],
  },
  {
    from: 'joint-rectification',
    event: ev('COMPLETE_TASK', taskWorker, { taskId: 't1' }),
    to: 'joint-rectification',
    intents: [
      { type: 'closeTask', taskId: 't1' },
      { type: 'meetDeadlines', kinds: ['rectification'], taskId: 't1' },
    ],
  },
  {
    from: 'joint-rectification',
    event: ev('COMPLETE_TASK', policeTaskWorker, { taskId: 't2' }),
    to: 'joint-rectification',
    intents: [{ type: 'closeTask', taskId: 't2' }],
  },
  {
    from: 'joint-rectification (tasks done)',
    event: ev('COMPLETE_RECTIFICATION', lead),
    to: 'closed',
    intents: [CANCEL_ALL],
    context: { outcome: 'rectified' },
  },
  {
    from: 'accepted',
    event: ev('CLOSE', lead, { outcome: 'reverse-transferred' }),
    to: 'closed',
    intents: [CANCEL_ALL],
    context: { outcome: 'reverse-transferred' },
  },
  ...(['submitted', 'under-review', 'supplement-requested'] as const).map((from): AllowedCase => ({
    from,
    event: ev('WITHDRAW', officer),
    to: 'withdrawn',
    intents: [CANCEL_ALL, { type: 'notify', parties: ['target'], template: 'referral-withdrawn' }],
    context: { outcome: 'withdrawn' },
  })),
  {
    from: 'under-review',
    event: ev('LIST_FOR_SUPERVISION', procurator),
    to: 'under-review',
    intents: [{ type: 'notify', parties: ['source', 'target'], template: 'listed-for-supervision' }],
    context: {
      flags: ['listed-supervision'],
      listing: { level: 'city', bodies: ['procuratorate'], reportEveryDays: null, reports: 0 },
    },
  },
  {
    from: 'accepted',
    event: ev('LIST_FOR_SUPERVISION', supervisor, { level: 'province', reportEveryDays: 10 }),
    to: 'accepted',
    intents: [schedules('supervision-report')],
    context: {
      flags: ['listed-supervision'],
      listing: { level: 'province', bodies: ['kunlun-office'], reportEveryDays: 10, reports: 0 },
    },
  },
  {
    from: 'under-review (listed, reporting)',
    event: ev('LIST_FOR_SUPERVISION', supervisor, { level: 'national' }),
    to: 'under-review',
    intents: [{ type: 'notify', parties: ['source', 'target', 'listing-bodies'], template: 'supervision-listing-joined' }],
    context: { listing: { level: 'national', bodies: ['procuratorate', 'kunlun-office'], reportEveryDays: 15, reports: 0 } },
  },
  {
    from: 'under-review (listed, reporting)',
    event: ev('REPORT_SUPERVISION_PROGRESS', policeOfficer),
    to: 'under-review',
    intents: [
      meets('supervision-report'),
      schedules('supervision-report'),
      { type: 'notify', parties: ['listing-bodies'], template: 'supervision-progress-reported' },
    ],
    context: { listing: { level: 'city', bodies: ['procuratorate'], reportEveryDays: 15, reports: 1 } },
  },
  {
    from: 'under-review (listed, reporting)',
    event: ev('DELIST', procurator),
    to: 'under-review',
    intents: [
      { type: 'cancelDeadlines', kinds: ['supervision-report'] },
      { type: 'notify', parties: ['source', 'target'], template: 'delisted-from-supervision', agencyIds: [] },
    ],
    context: { flags: [], listing: null },
  },
  {
    from: 'under-review',
    event: ev('ELEVATE', superiorLead),
    to: 'under-review',
    // the clocks run on: nothing is scheduled or cancelled, the live ones pass to the new target
    intents: [
      { type: 'notify', parties: ['source', 'target', 'procuratorate'], template: 'referral-elevated', agencyIds: [TARGET] },
      { type: 'retargetDeadlines' },
    ],
    context: { targetAgencyId: 'police-city', formerTargetIds: [TARGET], reviewTier: 'standard' },
  },
  {
    from: 'accepted',
    event: ev('DESIGNATE', superiorLead),
    to: 'accepted',
    intents: [
      { type: 'notify', parties: ['source', 'target', 'procuratorate'], template: 'referral-designated', agencyIds: [TARGET] },
      { type: 'retargetDeadlines' },
    ],
    context: { targetAgencyId: NEW_TARGET, formerTargetIds: [TARGET], caseNumber: 'GA-2026-0001' },
  },
  {
    from: 'reviewed',
    event: ev('COMMENT', officer),
    to: 'reviewed',
    intents: [{ type: 'notify', parties: ['source', 'target'], template: 'comment-added' }],
  },
  {
    from: 'under-review',
    event: ev('DEADLINE_REMINDER', SYSTEM, { deadlineId: 'dl-7', kind: 'review' }),
    to: 'under-review',
    intents: [
      { type: 'remindDeadline', deadlineId: 'dl-7' },
      { type: 'notify', parties: ['responsible'], template: 'deadline-reminder' },
    ],
  },
  {
    from: 'under-review',
    event: ev('DEADLINE_EXPIRED', SYSTEM, { deadlineId: 'dl-7', kind: 'review' }),
    to: 'under-review',
    intents: [{ type: 'breachDeadline', deadlineId: 'dl-7' }],
  },
  {
    from: 'declined',
    event: ev('DEADLINE_EXPIRED', SYSTEM, { deadlineId: 'dl-8', kind: 'reconsideration-window' }),
    to: 'closed',
    intents: [CANCEL_ALL],
    context: { outcome: 'declined' },
  },
];

const title = (c: AllowedCase) => `${c.event.type} by ${name(c.event.actor)} in ${c.from}`;
const clientCases = ALLOWED.filter((c) => !c.event.actor.system);

describe('event table: allowed', () => {
  it('covers every client and system event type', () => {
    const covered = new Set(ALLOWED.map((c) => c.event.type));
    expect([...CLIENT_EVENT_TYPES, ...SYSTEM_EVENT_TYPES].filter((t) => !covered.has(t))).toEqual([]);
  });

  it.each(ALLOWED.map((c) => [title(c), c] as const))('%s', (_, c) => {
    const before = reach(c.from);
    expect(before.can(c.event)).toBe(true);
    const [after, actions] = transition(referralMachine, before, c.event);
    expect(stateKey(after)).toBe(c.to);
    expect(intents(actions)).toEqual(expect.arrayContaining(c.intents));
    if (c.context) expect(after.context).toMatchObject(c.context);
  });
});

describe('event table: refused', () => {
  // Each row: a role the table does not name for that event, in a state where the event is otherwise allowed.
  const WRONG_ROLE: [PathName, ReferralEvent][] = [
    ['submitted', ev('ACKNOWLEDGE', officer)],
    ['submitted', ev('ACKNOWLEDGE', procurator)],
    ['under-review', ev('REQUEST_SUPPLEMENT', officer)],
    ['supplement-requested', ev('SUPPLEMENT', lead)],
    ['submitted', ev('FORWARD', officer)],
    ['under-review', ev('EXTEND_REVIEW', policeOfficer)],
    ['under-review', ev('RECORD_REVIEW', officer)],
    ['reviewed', ev('RETURN_TO_REVIEW', policeOfficer)],
    ['reviewed', ev('ACCEPT', policeOfficer)],
    ['reconsideration', ev('ACCEPT', policeOfficer)],
    ['procuratorial-supervision.filing-ordered', ev('ACCEPT', procurator)],
    ['reviewed', ev('DECLINE', policeOfficer)],
    ['reviewed', ev('DECLINE', officer)],
    ['declined', ev('REQUEST_RECONSIDERATION', lead)],
    ['reconsideration', ev('UPHOLD_DECLINE', policeOfficer)],
    ['declined', ev('REQUEST_SUPERVISION', lead)],
    ['declined', ev('ACCEPT_DECISION', lead)],
    ['procuratorial-supervision.awaiting-procurator', ev('REQUIRE_REASONS', supervisor)],
    ['procuratorial-supervision.awaiting-procurator', ev('REQUIRE_REASONS', lead)],
    ['procuratorial-supervision.reasons-required', ev('SUBMIT_REASONS', policeOfficer)],
    ['procuratorial-supervision.reasons-required', ev('SUBMIT_REASONS', procurator)],
    ['procuratorial-supervision.awaiting-procurator', ev('ORDER_FILING', supervisor)],
    ['procuratorial-supervision.awaiting-procurator', ev('ORDER_FILING', lead)],
    ['procuratorial-supervision.reasons-submitted', ev('UPHOLD_NON_FILING', supervisor)],
    ['accepted', ev('HANDOVER_EVIDENCE', lead)],
    ['accepted', ev('START_JOINT_RECTIFICATION', policeOfficer)],
    ['joint-rectification', ev('COMPLETE_TASK', person('admin', TASK_AGENCY, ['task']), { taskId: 't1' })],
    ['joint-rectification', ev('REPORT_PROGRESS', person('supervisor', TASK_AGENCY, ['task']), { taskId: 't1' })],
    ['joint-rectification (tasks done)', ev('COMPLETE_RECTIFICATION', policeOfficer)],
    ['accepted', ev('CLOSE', policeOfficer)],
    ['submitted', ev('WITHDRAW', lead)],
    ['under-review', ev('LIST_FOR_SUPERVISION', lead)],
    ['under-review', ev('LIST_FOR_SUPERVISION', officer)],
    ['under-review', ev('LIST_FOR_SUPERVISION', admin)],
    ['under-review (listed, reporting)', ev('REPORT_SUPERVISION_PROGRESS', officer)],
    ['under-review (listed, reporting)', ev('REPORT_SUPERVISION_PROGRESS', procurator)],
    ['under-review (listed, reporting)', ev('DELIST', lead)],
    ['under-review (listed, reporting)', ev('DELIST', admin)],
    ['under-review (listed, reporting)', ev('DELIST', officer)],
    ['under-review', ev('ELEVATE', superiorOfficer)],
    ['under-review', ev('ELEVATE', lead)],
    ['under-review', ev('ELEVATE', procurator)],
    ['submitted', ev('DESIGNATE', superiorOfficer)],
    ['submitted', ev('DESIGNATE', lead)],
    ['submitted', ev('DESIGNATE', supervisor)],
  ];
  it.each(WRONG_ROLE.map(([from, e]) => [`${e.type} by ${name(e.actor)} in ${from}`, from, e] as const))(
    'wrong role: %s',
    (_, from, event) => expectRefused(reach(from), event),
  );

  // The right role from an agency without the required relation (for task events: not the task's agency).
  const wrongRelation = clientCases.filter((c) => c.event.type !== 'COMMENT');
  it.each(wrongRelation.map((c) => [title(c), c] as const))('wrong relation: %s', (_, c) => {
    expectRefused(reach(c.from), { ...c.event, actor: stranger(c.event.actor) });
  });

  it.each(clientCases.map((c) => [title(c), c] as const))('a client event from the system actor: %s', (_, c) => {
    expectRefused(reach(c.from), { ...c.event, actor: SYSTEM });
  });

  const systemEventsByPeople = SYSTEM_EVENT_TYPES.flatMap((type) =>
    [lead, officer, procurator, admin].flatMap((actor) => [
      ['under-review', ev(type, actor)] as const,
      ['declined', ev(type, actor, { kind: 'reconsideration-window' })] as const,
    ]),
  );
  it.each(systemEventsByPeople.map(([from, e]) => [`${e.type} by ${name(e.actor)} in ${from}`, from, e] as const))(
    'a system event sent by a person: %s',
    (_, from, event) => expectRefused(reach(from), event),
  );

  // Wrong state, exhaustively: for each event (with an actor the table allows), the leaf states where
  // it is accepted are exactly the table's "from state" column.
  const ALL_BUT_FINAL = OPEN_STATES;
  const FROM_STATES: [ReferralEvent, readonly LeafState[]][] = [
    [ev('ACKNOWLEDGE', lead), ['submitted']],
    [ev('REQUEST_SUPPLEMENT', lead), ['submitted', 'under-review']],
    [ev('SUPPLEMENT', officer), ['supplement-requested']],
    [ev('FORWARD', lead), ['submitted', 'under-review']],
    [ev('EXTEND_REVIEW', lead), ['under-review', 'reviewed']],
    [ev('RECORD_REVIEW', lead), ['under-review']],
    [ev('RETURN_TO_REVIEW', lead), ['reviewed']],
    [ev('ACCEPT', lead), ['reviewed', 'reconsideration', ...SUPERVISION_STATES]],
    [ev('DECLINE', lead), ['reviewed']],
    [ev('REQUEST_RECONSIDERATION', officer), ['declined']],
    [ev('UPHOLD_DECLINE', lead), ['reconsideration']],
    [ev('REQUEST_SUPERVISION', officer), ['declined']],
    [ev('ACCEPT_DECISION', officer), ['declined']],
    // API.md says "procuratorial-supervision"; the substates refine the order in which the procurator acts.
    [ev('REQUIRE_REASONS', procurator), ['procuratorial-supervision.awaiting-procurator']],
    [ev('SUBMIT_REASONS', lead), ['procuratorial-supervision.reasons-required']],
    [
      ev('ORDER_FILING', procurator),
      [
        'procuratorial-supervision.awaiting-procurator',
        'procuratorial-supervision.reasons-required',
        'procuratorial-supervision.reasons-submitted',
      ],
    ],
    [
      ev('UPHOLD_NON_FILING', procurator),
      [
        'procuratorial-supervision.awaiting-procurator',
        'procuratorial-supervision.reasons-required',
        'procuratorial-supervision.reasons-submitted',
      ],
    ],
    [ev('HANDOVER_EVIDENCE', officer), ['accepted', 'joint-rectification']],
    [ev('START_JOINT_RECTIFICATION', lead), ['accepted']],
    [ev('REPORT_PROGRESS', taskWorker), ['joint-rectification']],
    [ev('COMPLETE_TASK', taskWorker), ['joint-rectification']],
    [ev('COMPLETE_RECTIFICATION', lead), ['joint-rectification']],
    [ev('CLOSE', lead), ['accepted']],
    [ev('WITHDRAW', officer), ['submitted', 'under-review', 'supplement-requested']],
    [ev('LIST_FOR_SUPERVISION', supervisor), ALL_BUT_FINAL],
    // probed on the state listed with a reporting period (see probe)
    [ev('REPORT_SUPERVISION_PROGRESS', policeOfficer), ALL_BUT_FINAL],
    [ev('DELIST', procurator), ALL_BUT_FINAL],
    [ev('ELEVATE', superiorLead), ALL_BUT_FINAL],
    [ev('DESIGNATE', superiorLead), ALL_BUT_FINAL],
    [ev('COMMENT', taskWorker), LEAF_STATES],
    [ev('DEADLINE_REMINDER', SYSTEM), ALL_BUT_FINAL],
    [ev('DEADLINE_EXPIRED', SYSTEM), ALL_BUT_FINAL],
  ];
  // COMPLETE_RECTIFICATION needs every task done, so probe joint-rectification in that context;
  // the listing's own events need a listing with a reporting period, made at submission.
  const probe = (event: ReferralEvent, state: LeafState): Snap => {
    if (event.type === 'REPORT_SUPERVISION_PROGRESS' || event.type === 'DELIST') return reachListed(state);
    return reach(
      event.type === 'COMPLETE_RECTIFICATION' && state === 'joint-rectification' ? 'joint-rectification (tasks done)' : state,
    );
  };

  it('FROM_STATES has a row for every event type', () => {
    expect(FROM_STATES.map(([e]) => e.type).sort()).toEqual([...CLIENT_EVENT_TYPES, ...SYSTEM_EVENT_TYPES].sort());
  });

  it.each(FROM_STATES.map(([e, states]) => [e.type, e, states] as const))(
    '%s is accepted exactly in the states of its table row',
    (_, event, states) => {
      const acceptedIn = LEAF_STATES.filter((state) => probe(event, state).can(event));
      expect(acceptedIn).toEqual(LEAF_STATES.filter((s) => states.includes(s)));
    },
  );

  it.each([
    ['ACCEPT', 'submitted', ev('ACCEPT', lead)],
    ['ACCEPT', 'declined', ev('ACCEPT', lead)],
    ['DECLINE', 'under-review', ev('DECLINE', lead)],
    ['RECORD_REVIEW', 'supplement-requested', ev('RECORD_REVIEW', policeOfficer)],
    ['WITHDRAW', 'reviewed', ev('WITHDRAW', officer)],
    ['FORWARD', 'reviewed', ev('FORWARD', lead)],
    ['HANDOVER_EVIDENCE', 'reviewed', ev('HANDOVER_EVIDENCE', officer)],
  ] as const)('wrong state: %s in %s', (_, from, event) => expectRefused(reach(from), event));
});

// ---- specific rules -------------------------------------------------------------

describe('reconsideration may be asked for once', () => {
  it('after UPHOLD_DECLINE, back in declined, REQUEST_RECONSIDERATION is refused but REQUEST_SUPERVISION allowed', () => {
    const again = reach('declined (after reconsideration)');
    expect(stateKey(again)).toBe('declined');
    expect(again.context.reconsiderationRequested).toBe(true);
    expectRefused(again, ev('REQUEST_RECONSIDERATION', officer));
    expect(allowedEvents(again, officer)).toEqual(['REQUEST_SUPERVISION', 'ACCEPT_DECISION', 'COMMENT']);
    const [next] = act(again, ev('REQUEST_SUPERVISION', officer));
    expect(stateKey(next)).toBe('procuratorial-supervision.awaiting-procurator');
  });

  it('the first time in declined the agency may choose any of the three', () => {
    expect(allowedEvents(reach('declined'), officer)).toEqual([
      'REQUEST_RECONSIDERATION',
      'REQUEST_SUPERVISION',
      'ACCEPT_DECISION',
      'COMMENT',
    ]);
  });
});

describe('joint rectification tasks', () => {
  it('COMPLETE_RECTIFICATION is refused until every task is COMPLETE_TASKed', () => {
    let snapshot = reach('joint-rectification');
    expectRefused(snapshot, ev('COMPLETE_RECTIFICATION', lead));
    [snapshot] = act(snapshot, ev('COMPLETE_TASK', taskWorker, { taskId: 't1' }));
    expect(snapshot.context.tasks.map((t) => t.status)).toEqual(['done', 'open']);
    expectRefused(snapshot, ev('COMPLETE_RECTIFICATION', lead));
    [snapshot] = act(snapshot, ev('COMPLETE_TASK', policeTaskWorker, { taskId: 't2' }));
    expect(snapshot.context.tasks.map((t) => t.status)).toEqual(['done', 'done']);
    const [closed] = act(snapshot, ev('COMPLETE_RECTIFICATION', lead));
    expect(stateKey(closed)).toBe('closed');
    expect(closed.context.outcome).toBe('rectified');
  });

  it.each([
    ['another agency’s task (t2 is the police unit’s)', ev('COMPLETE_TASK', taskWorker, { taskId: 't2' })],
    ['an unknown task id', ev('COMPLETE_TASK', taskWorker, { taskId: 'nope' })],
    ['a user of another task agency', ev('COMPLETE_TASK', policeTaskWorker, { taskId: 't1' })],
    [
      'a user of the task’s agency without the task relation',
      ev('COMPLETE_TASK', { ...taskWorker, relations: [] }, { taskId: 't1' }),
    ],
    ['progress on another agency’s task', ev('REPORT_PROGRESS', taskWorker, { taskId: 't2' })],
    ['progress on an unknown task id', ev('REPORT_PROGRESS', taskWorker, { taskId: 'nope' })],
    [
      'progress by a user of another task agency',
      ev('REPORT_PROGRESS', { ...lead, relations: ['target', 'task'] }, { taskId: 't1' }),
    ],
    ['the target police without the task relation', ev('REPORT_PROGRESS', policeOfficer, { taskId: 't2' })],
  ])('refused: %s', (_, event) => expectRefused(reach('joint-rectification'), event));

  it('a task already done can neither be completed again nor reported on', () => {
    const [snapshot] = act(reach('joint-rectification'), ev('COMPLETE_TASK', taskWorker, { taskId: 't1' }));
    expectRefused(snapshot, ev('COMPLETE_TASK', taskWorker, { taskId: 't1' }));
    expectRefused(snapshot, ev('REPORT_PROGRESS', taskWorker, { taskId: 't1' }));
    // the police unit still holds t2
    expect(snapshot.can(ev('REPORT_PROGRESS', { ...lead, relations: ['target', 'task'] }, { taskId: 't2' }))).toBe(true);
  });

  it('without a task id (the allowedEvents probe) a holder of an open task may act, others may not', () => {
    const snapshot = reach('joint-rectification');
    const probe = (actor: Actor) => ({ type: 'COMPLETE_TASK', actor }) as ReferralEvent;
    expect(snapshot.can(probe(taskWorker))).toBe(true);
    expect(snapshot.can(probe(policeTaskWorker))).toBe(true);
    expect(snapshot.can(probe(officer))).toBe(false);
  });

  it('a task without its own dueAt takes the plan’s', () => {
    const snapshot = reach('joint-rectification');
    expect(snapshot.context.tasks.map((t) => [t.id, t.dueAt])).toEqual([
      ['t1', TWO_TASKS[0].dueAt],
      ['t2', PLAN_DUE],
    ]);
  });
});

describe('DEADLINE_EXPIRED', () => {
  it('reconsideration-window in declined closes the referral with outcome declined', () => {
    const [closed, out] = act(
      reach('declined'),
      ev('DEADLINE_EXPIRED', SYSTEM, { deadlineId: 'w1', kind: 'reconsideration-window' }),
    );
    expect(stateKey(closed)).toBe('closed');
    expect(closed.status).toBe('done');
    expect(closed.context.outcome).toBe('declined');
    expect(out).toEqual(expect.arrayContaining([CANCEL_ALL]));
    // letting the window pass is the agency's right, not a breach
    expect(out).not.toContainEqual({ type: 'breachDeadline', deadlineId: 'w1' });
  });

  it('the fresh window opened by UPHOLD_DECLINE closes the referral the same way', () => {
    const [closed] = act(
      reach('declined (after reconsideration)'),
      ev('DEADLINE_EXPIRED', SYSTEM, { deadlineId: 'w2', kind: 'reconsideration-window' }),
    );
    expect(stateKey(closed)).toBe('closed');
    expect(closed.context.outcome).toBe('declined');
  });

  const otherKinds = DEADLINE_KINDS.filter((k) => k !== 'reconsideration-window');
  it.each(otherKinds)('%s in declined stays in declined and returns breachDeadline', (kind) => {
    const [after, out] = act(reach('declined'), ev('DEADLINE_EXPIRED', SYSTEM, { deadlineId: `d-${kind}`, kind }));
    expect(stateKey(after)).toBe('declined');
    expect(after.context.outcome).toBeNull();
    expect(out).toEqual([
      { type: 'breachDeadline', deadlineId: `d-${kind}` },
      { type: 'notify', parties: ['responsible', 'oversight'], template: 'deadline-breached' },
    ]);
  });

  it.each(OPEN_STATES.filter((s) => s !== 'declined'))('reconsideration-window elsewhere (%s) only breaches', (state) => {
    const [after, out] = act(reach(state), ev('DEADLINE_EXPIRED', SYSTEM, { deadlineId: 'dx', kind: 'reconsideration-window' }));
    expect(stateKey(after)).toBe(state);
    expect(out).toContainEqual({ type: 'breachDeadline', deadlineId: 'dx' });
  });

  it.each(OPEN_STATES)('DEADLINE_REMINDER in %s stays and returns remindDeadline', (state) => {
    const [after, out] = act(reach(state), ev('DEADLINE_REMINDER', SYSTEM, { deadlineId: 'r1', kind: 'acknowledge' }));
    expect(stateKey(after)).toBe(state);
    expect(out).toContainEqual({ type: 'remindDeadline', deadlineId: 'r1' });
  });
});

describe('EXTEND_REVIEW tiers must increase', () => {
  it.each<[ReviewExtensionTier[], ReviewExtensionTier, boolean]>([
    [[], 'verification', true],
    [[], 'complex', true],
    [[], 'special', false],
    [['verification'], 'complex', true],
    [['verification'], 'verification', false],
    [['verification'], 'special', false],
    [['complex'], 'verification', false],
    [['complex'], 'complex', false],
    [['complex'], 'special', true],
    [['verification', 'complex'], 'special', true],
    [['complex', 'special'], 'special', false],
    [['complex', 'special'], 'complex', false],
  ])('after %j, %s allowed: %s', (earlier, requested, allowed) => {
    const snapshot = earlier.reduce((s, tier) => act(s, ev('EXTEND_REVIEW', lead, { tier }))[0], reach('under-review'));
    const event = ev('EXTEND_REVIEW', lead, { tier: requested });
    if (!allowed) return expectRefused(snapshot, event);
    const [after, out] = act(snapshot, event);
    expect(stateKey(after)).toBe('under-review');
    expect(after.context.reviewTier).toBe(requested);
    expect(out).toContainEqual({ type: 'extendReview', tier: requested });
  });

  it('the tier survives RECORD_REVIEW, so reviewed continues from it', () => {
    let snapshot = reach('under-review');
    [snapshot] = act(snapshot, ev('EXTEND_REVIEW', lead, { tier: 'complex' }));
    [snapshot] = act(snapshot, ev('RECORD_REVIEW', policeOfficer));
    expectRefused(snapshot, ev('EXTEND_REVIEW', lead, { tier: 'verification' }));
    expect(act(snapshot, ev('EXTEND_REVIEW', lead, { tier: 'special' }))[0].context.reviewTier).toBe('special');
  });
});

describe('FORWARD', () => {
  it.each(['submitted', 'under-review'] as const)('from %s: new target, re-enters submitted, clocks restart', (from) => {
    const [after, out] = act(reach(from), ev('FORWARD', lead, { toAgencyId: NEW_TARGET }));
    expect(stateKey(after)).toBe('submitted');
    expect(after.context.targetAgencyId).toBe(NEW_TARGET);
    expect(after.context.sourceAgencyId).toBe(SOURCE);
    const deadlineIntents = out.filter((i) => i.type === 'cancelDeadlines' || i.type === 'scheduleDeadline');
    // old clocks cancelled before the new unit's clocks start
    expect(deadlineIntents).toEqual([
      { type: 'cancelDeadlines', kinds: ['acknowledge', 'review'] },
      { type: 'scheduleDeadline', kind: 'acknowledge' },
      { type: 'scheduleDeadline', kind: 'review' },
    ]);
    expect(out).toContainEqual({ type: 'notify', parties: ['target', 'procuratorate'], template: 'referral-submitted' });
  });

  it('the new unit starts a fresh review at the standard tier', () => {
    let snapshot = reach('under-review');
    [snapshot] = act(snapshot, ev('EXTEND_REVIEW', lead, { tier: 'complex' }));
    [snapshot] = act(snapshot, ev('FORWARD', lead));
    expect(snapshot.context.reviewTier).toBe('standard');
    const newLead = person('police-lead', NEW_TARGET, ['target']);
    [snapshot] = act(snapshot, ev('ACKNOWLEDGE', newLead));
    const [extended, out] = act(snapshot, ev('EXTEND_REVIEW', newLead, { tier: 'verification' }));
    expect(extended.context.reviewTier).toBe('verification');
    expect(out).toContainEqual({ type: 'extendReview', tier: 'verification' });
  });

  it('the new unit acknowledges again', () => {
    const [forwarded] = act(reach('under-review'), ev('FORWARD', lead));
    const newUnit = person('police-officer', NEW_TARGET, ['target']);
    const [after, out] = act(forwarded, ev('ACKNOWLEDGE', newUnit));
    expect(stateKey(after)).toBe('under-review');
    expect(out).toContainEqual(meets('acknowledge'));
  });
});

describe('ELEVATE and DESIGNATE (提级侦办, 指定管辖)', () => {
  it.each(OPEN_STATES)('in %s: the state and its clocks stay, the deadlines pass to the new unit', (state) => {
    const [after, out] = act(reach(state), ev('ELEVATE', superiorLead));
    expect(stateKey(after)).toBe(stateKey(reach(state)));
    expect(after.context.targetAgencyId).toBe('police-city');
    expect(out.filter((i) => /Deadline/.test(i.type))).toEqual([{ type: 'retargetDeadlines' }]);
  });

  it('the unit elevated from reads on; a unit that gets the case back is no longer a former one', () => {
    let [snapshot] = act(reach('under-review'), ev('ELEVATE', superiorLead));
    [snapshot] = act(snapshot, ev('DESIGNATE', person('police-lead', 'police-province', ['superior']), { toAgencyId: TARGET }));
    expect(snapshot.context.targetAgencyId).toBe(TARGET);
    expect(snapshot.context.formerTargetIds).toEqual(['police-city']);
  });

  it('the new unit acts as the target: the old one no longer may', () => {
    const [elevated] = act(reach('under-review'), ev('ELEVATE', superiorLead));
    const cityLead = person('police-lead', 'police-city', ['target']);
    expect(elevated.can(ev('RECORD_REVIEW', cityLead))).toBe(true);
    // the engine no longer computes 'target' for the district unit
    expect(elevated.can(ev('RECORD_REVIEW', person('police-lead', TARGET, [])))).toBe(false);
  });

  it('a snapshot written before jurisdiction changes existed (no formerTargetIds) is elevated too', () => {
    const before = reach('under-review');
    const old = referralMachine.resolveState({
      ...before,
      context: { ...before.context, formerTargetIds: undefined },
    } as never);
    const [after] = act(old, ev('ELEVATE', superiorLead));
    expect(after.context.formerTargetIds).toEqual([TARGET]);
  });
});

describe('LIST_FOR_SUPERVISION', () => {
  const cases = OPEN_STATES.flatMap((state) => [procurator, supervisor].map((actor) => [state, name(actor), actor] as const));
  it.each(cases)('in %s by %s: adds the flag once; the same body again is refused, another joins', (state, _, actor) => {
    const [listed, out] = act(reach(state), ev('LIST_FOR_SUPERVISION', actor));
    expect(stateKey(listed)).toBe(state);
    expect(listed.context.flags).toEqual(['listed-supervision']);
    expect(listed.context.listing).toEqual({ level: 'city', bodies: [actor.agencyId], reportEveryDays: null, reports: 0 });
    expect(out).toContainEqual({ type: 'notify', parties: ['source', 'target'], template: 'listed-for-supervision' });
    expectRefused(listed, ev('LIST_FOR_SUPERVISION', actor));
    expectRefused(listed, ev('LIST_FOR_SUPERVISION', { ...actor, userId: 'a-colleague' }));
    const other = actor === procurator ? supervisor : procurator;
    const [joined] = act(listed, ev('LIST_FOR_SUPERVISION', other));
    expect(joined.context.flags).toEqual(['listed-supervision']);
    expect(joined.context.listing!.bodies).toEqual([actor.agencyId, other.agencyId]);
    expectRefused(joined, ev('LIST_FOR_SUPERVISION', other));
  });

  it('the flag survives later transitions', () => {
    let snapshot = reach('submitted');
    [snapshot] = act(snapshot, ev('LIST_FOR_SUPERVISION', supervisor));
    for (const event of toAccepted) [snapshot] = act(snapshot, event);
    expect(stateKey(snapshot)).toBe('accepted');
    expect(snapshot.context.flags).toEqual(['listed-supervision']);
  });

  it.each(FINAL_STATES)('refused in %s', (state) => {
    expectRefused(reach(state), ev('LIST_FOR_SUPERVISION', procurator));
    expectRefused(reach(state), ev('LIST_FOR_SUPERVISION', supervisor));
  });
});

describe('joint listed supervision (联合挂牌督办)', () => {
  const REPORT_DUE = schedules('supervision-report');
  const nationalSupervisor = person('supervisor', 'national-office', ['oversight']);

  it('a second body joins: its agency is added, the higher level wins, the period stays', () => {
    const [joined, out] = act(
      reach('under-review (listed, reporting)'),
      ev('LIST_FOR_SUPERVISION', supervisor, { level: 'province', reportEveryDays: 30 }),
    );
    expect(joined.context.listing).toEqual({
      level: 'province',
      bodies: ['procuratorate', 'kunlun-office'],
      reportEveryDays: 15,
      reports: 0,
    });
    // the period that runs is not restarted
    expect(out).not.toContainEqual(REPORT_DUE);
    const [third] = act(joined, ev('LIST_FOR_SUPERVISION', nationalSupervisor, { level: 'city' }));
    expect(third.context.listing!.level).toBe('province');
    expect(third.context.listing!.bodies).toEqual(['procuratorate', 'kunlun-office', 'national-office']);
  });

  it('a body joining a listing without a period sets one and schedules the first report', () => {
    const [listed] = act(reach('accepted'), ev('LIST_FOR_SUPERVISION', procurator));
    expect(listed.can(ev('REPORT_SUPERVISION_PROGRESS', policeOfficer))).toBe(false);
    const [joined, out] = act(listed, ev('LIST_FOR_SUPERVISION', supervisor, { reportEveryDays: 7 }));
    expect(joined.context.listing!.reportEveryDays).toBe(7);
    expect(out).toContainEqual(REPORT_DUE);
    expect(act(joined, ev('REPORT_SUPERVISION_PROGRESS', lead))[0].context.listing!.reports).toBe(1);
  });

  it('the same body twice is refused, whoever of it asks', () => {
    const listed = reach('under-review (listed, reporting)');
    expectRefused(listed, ev('LIST_FOR_SUPERVISION', procurator));
    expectRefused(listed, ev('LIST_FOR_SUPERVISION', person('procurator', 'procuratorate', ['oversight'])));
  });

  it('each report meets the running period and schedules the next one', () => {
    let snapshot = reach('under-review (listed, reporting)');
    for (const n of [1, 2, 3]) {
      const [next, out] = act(snapshot, ev('REPORT_SUPERVISION_PROGRESS', n % 2 ? policeOfficer : lead));
      expect(out).toEqual([
        meets('supervision-report'),
        REPORT_DUE,
        { type: 'notify', parties: ['listing-bodies'], template: 'supervision-progress-reported' },
      ]);
      expect(next.context.listing!.reports).toBe(n);
      snapshot = next;
    }
  });

  it('reports need a listing with a reporting period, and the target police', () => {
    expectRefused(reach('under-review'), ev('REPORT_SUPERVISION_PROGRESS', policeOfficer));
    const [noPeriod] = act(reach('under-review'), ev('LIST_FOR_SUPERVISION', procurator));
    expectRefused(noPeriod, ev('REPORT_SUPERVISION_PROGRESS', policeOfficer));
    expectRefused(reach('under-review (listed, reporting)'), ev('REPORT_SUPERVISION_PROGRESS', stranger(policeOfficer)));
  });

  it('DELIST by a listing body only: the flag, the listing and the report deadline go; the other bodies are told', () => {
    const [joined] = act(reach('under-review (listed, reporting)'), ev('LIST_FOR_SUPERVISION', supervisor));
    // an overseer of the region that is no listing body
    expectRefused(joined, ev('DELIST', nationalSupervisor));
    const [delisted, out] = act(joined, ev('DELIST', supervisor));
    expect(delisted.context.flags).toEqual([]);
    expect(delisted.context.listing).toBeNull();
    expect(out).toEqual([
      { type: 'notify', parties: ['source', 'target'], template: 'delisted-from-supervision', agencyIds: ['procuratorate'] },
      { type: 'cancelDeadlines', kinds: ['supervision-report'] },
    ]);
    expectRefused(delisted, ev('DELIST', procurator));
    expectRefused(delisted, ev('REPORT_SUPERVISION_PROGRESS', policeOfficer));
    // and it may be listed afresh
    const [relisted] = act(delisted, ev('LIST_FOR_SUPERVISION', nationalSupervisor, { level: 'national' }));
    expect(relisted.context.listing).toEqual({
      level: 'national',
      bodies: ['national-office'],
      reportEveryDays: null,
      reports: 0,
    });
  });

  it.each([
    ['closed', [...toAccepted, ev('CLOSE', lead)]],
    ['withdrawn', [ev('WITHDRAW', officer)]],
    ['closed (window passed)', [...toDeclined, ev('DEADLINE_EXPIRED', SYSTEM, { kind: 'reconsideration-window' })]],
  ] as const)('entering %s cancels every deadline, the report deadline with them', (_, path) => {
    let snapshot = act(start(), LIST_REPORTING)[0];
    let out: Intent[] = [];
    for (const event of path) [snapshot, out] = act(snapshot, event);
    expect(snapshot.status).toBe('done');
    expect(out).toContainEqual(CANCEL_ALL);
    expectRefused(snapshot, ev('REPORT_SUPERVISION_PROGRESS', policeOfficer));
    expectRefused(snapshot, ev('DELIST', procurator));
  });

  it('an expired report period breaches like any deadline and notifies the responsible and oversight', () => {
    const [after, out] = act(
      reach('under-review (listed, reporting)'),
      ev('DEADLINE_EXPIRED', SYSTEM, { deadlineId: 'sr1', kind: 'supervision-report' }),
    );
    expect(stateKey(after)).toBe('under-review');
    expect(out).toEqual([
      { type: 'breachDeadline', deadlineId: 'sr1' },
      { type: 'notify', parties: ['responsible', 'oversight'], template: 'deadline-breached' },
    ]);
    // a late report still resolves it and starts the next period
    expect(act(after, ev('REPORT_SUPERVISION_PROGRESS', policeOfficer))[1]).toContainEqual(REPORT_DUE);
  });

  it('FORWARD of a listed case with a period starts the period afresh for the new unit', () => {
    const [forwarded, out] = act(reachListed('submitted'), ev('FORWARD', lead));
    expect(forwarded.context.targetAgencyId).toBe(NEW_TARGET);
    expect(out).toContainEqual(REPORT_DUE);
    expect(act(reach('submitted'), ev('FORWARD', lead))[1]).not.toContainEqual(REPORT_DUE);
  });

  it('a snapshot listed before listings had a record (flag only) can be joined, which gives it one', () => {
    const legacy = referralMachine.resolveState({
      value: 'under-review',
      context: { ...reach('under-review').context, flags: ['listed-supervision'], listing: undefined },
    });
    expect(legacy.can(ev('DELIST', procurator))).toBe(false);
    const [joined] = act(legacy, ev('LIST_FOR_SUPERVISION', procurator, { reportEveryDays: 5 }));
    expect(joined.context.flags).toEqual(['listed-supervision']);
    expect(joined.context.listing).toEqual({ level: 'city', bodies: ['procuratorate'], reportEveryDays: 5, reports: 0 });
  });
});

describe('final states', () => {
  const ACTORS = [...PEOPLE, SYSTEM];
  const cases = FINAL_STATES.flatMap((state) =>
    CLIENT_EVENT_TYPES.filter((t) => t !== 'COMMENT').map((type) => [state, type] as const),
  );
  it.each(cases)('%s refuses %s from everyone', (state, type) => {
    const snapshot = reach(state);
    for (const actor of ACTORS) expectRefused(snapshot, ev(type, actor));
  });

  it.each(FINAL_STATES.flatMap((state) => SYSTEM_EVENT_TYPES.map((type) => [state, type] as const)))(
    '%s refuses the system event %s',
    (state, type) => {
      expectRefused(reach(state), ev(type, SYSTEM));
      expectRefused(reach(state), ev(type, SYSTEM, { kind: 'reconsideration-window' }));
    },
  );

  it.each(FINAL_STATES)('in %s every person may only COMMENT, and the system nothing', (state) => {
    const snapshot = reach(state);
    expect(snapshot.status).toBe('done');
    for (const actor of PEOPLE) expect(allowedEvents(snapshot, actor)).toEqual(['COMMENT']);
    expect(allowedEvents(snapshot, SYSTEM)).toEqual([]);
  });
});

describe('COMMENT', () => {
  const cases = LEAF_STATES.flatMap((state) => PEOPLE.map((actor) => [state, name(actor), actor] as const));
  it.each(cases)('in %s by %s: allowed, nothing changes but a notification', (state, _, actor) => {
    const before = reach(state);
    const [after, out] = act(before, ev('COMMENT', actor));
    expect(stateKey(after)).toBe(state);
    expect(after.context).toEqual(before.context);
    expect(out).toEqual([{ type: 'notify', parties: ['source', 'target'], template: 'comment-added' }]);
  });

  it.each(LEAF_STATES)('in %s refused from the system actor', (state) => {
    expectRefused(reach(state), ev('COMMENT', SYSTEM));
  });
});

describe('outcomes', () => {
  const cases: [string, PathName, ReferralEvent, LeafState, Outcome][] = [
    ['CLOSE prosecuted', 'accepted', ev('CLOSE', lead, { outcome: 'prosecuted' }), 'closed', 'prosecuted'],
    [
      'CLOSE investigation-terminated',
      'accepted',
      ev('CLOSE', lead, { outcome: 'investigation-terminated' }),
      'closed',
      'investigation-terminated',
    ],
    [
      'CLOSE reverse-transferred',
      'accepted',
      ev('CLOSE', lead, { outcome: 'reverse-transferred' }),
      'closed',
      'reverse-transferred',
    ],
    ['WITHDRAW', 'supplement-requested', ev('WITHDRAW', officer), 'withdrawn', 'withdrawn'],
    ['COMPLETE_RECTIFICATION', 'joint-rectification (tasks done)', ev('COMPLETE_RECTIFICATION', lead), 'closed', 'rectified'],
    [
      'UPHOLD_NON_FILING',
      'procuratorial-supervision.reasons-submitted',
      ev('UPHOLD_NON_FILING', procurator),
      'closed',
      'declined',
    ],
    ['ACCEPT_DECISION', 'declined', ev('ACCEPT_DECISION', officer), 'closed', 'declined'],
    [
      'ACCEPT_DECISION after reconsideration',
      'declined (after reconsideration)',
      ev('ACCEPT_DECISION', officer),
      'closed',
      'declined',
    ],
  ];
  it.each(cases)('%s', (_, from, event, to, outcome) => {
    const [after, out] = act(reach(from), event);
    expect(stateKey(after)).toBe(to);
    expect(after.status).toBe('done');
    expect(after.context.outcome).toBe(outcome);
    expect(out).toContainEqual(CANCEL_ALL);
  });

  it.each(OPEN_STATES)('no outcome yet in %s', (state) => {
    expect(reach(state).context.outcome).toBeNull();
    expect(reach(state).status).toBe('active');
  });
});

// ---- persistence ----------------------------------------------------------------

describe('persistence round trip', () => {
  function roundTrip(snapshot: Snap): Snap {
    const stored = JSON.parse(JSON.stringify(referralMachine.getPersistedSnapshot(snapshot)));
    return referralMachine.resolveState({ value: stored.value, context: stored.context });
  }

  const probes = [
    ev('SUBMIT_REASONS', lead),
    ev('SUBMIT_REASONS', policeOfficer),
    ev('ORDER_FILING', procurator),
    ev('UPHOLD_NON_FILING', procurator),
    ev('ACCEPT', lead),
    ev('REQUIRE_REASONS', procurator),
    ev('LIST_FOR_SUPERVISION', supervisor),
    ev('DEADLINE_EXPIRED', SYSTEM, { kind: 'police-reasons' }),
    ev('COMMENT', officer),
  ];

  it('procuratorial-supervision.reasons-required resumes identically', () => {
    const original = reach('procuratorial-supervision.reasons-required');
    const restored = roundTrip(original);
    expect(stateKey(restored)).toBe('procuratorial-supervision.reasons-required');
    expect(restored.status).toBe('active');
    expect(restored.context).toEqual(original.context);
    for (const event of probes) {
      expect([event.type, restored.can(event)]).toEqual([event.type, original.can(event)]);
      const [a, aActions] = transition(referralMachine, original, event);
      const [b, bActions] = transition(referralMachine, restored, event);
      expect(stateKey(b)).toBe(stateKey(a));
      expect(b.context).toEqual(a.context);
      expect(intents(bActions)).toEqual(intents(aActions));
    }
    // and a whole continuation: reasons, order, filing, closing
    let snapshot = restored;
    for (const event of [ev('SUBMIT_REASONS', lead), ev('ORDER_FILING', procurator), ev('ACCEPT', lead), ev('CLOSE', lead)]) {
      [snapshot] = act(snapshot, event);
    }
    expect(stateKey(snapshot)).toBe('closed');
    expect(snapshot.context.outcome).toBe('prosecuted');
  });

  it('context that guards depend on survives (reconsideration once, open tasks, flags)', () => {
    const declinedAgain = roundTrip(reach('declined (after reconsideration)'));
    expect(declinedAgain.can(ev('REQUEST_RECONSIDERATION', officer))).toBe(false);
    expect(declinedAgain.can(ev('REQUEST_SUPERVISION', officer))).toBe(true);

    let rect = reach('joint-rectification');
    [rect] = act(rect, ev('LIST_FOR_SUPERVISION', procurator));
    [rect] = act(rect, ev('COMPLETE_TASK', taskWorker, { taskId: 't1' }));
    const restored = roundTrip(rect);
    expect(restored.can(ev('COMPLETE_TASK', taskWorker, { taskId: 't1' }))).toBe(false);
    // the same body may not list twice; another may join
    expect(restored.can(ev('LIST_FOR_SUPERVISION', procurator))).toBe(false);
    expect(restored.can(ev('LIST_FOR_SUPERVISION', supervisor))).toBe(true);
    expect(restored.can(ev('COMPLETE_RECTIFICATION', lead))).toBe(false);
    const [done] = act(restored, ev('COMPLETE_TASK', policeTaskWorker, { taskId: 't2' }));
    expect(stateKey(act(done, ev('COMPLETE_RECTIFICATION', lead))[0])).toBe('closed');
  });

  it('a final state stays final after the round trip', () => {
    const restored = roundTrip(reach('withdrawn'));
    expect(restored.status).toBe('done');
    expect(allowedEvents(restored, officer)).toEqual(['COMMENT']);
  });
});

// ---- paths, from the machine itself (xstate/graph) ---------------------------------

describe('path coverage (xstate/graph)', () => {
  const GRAPH_TASK = { id: 't1', agencyId: TASK_AGENCY, description: 'inspect the market stalls' };

  // One concrete event per type, sent by an actor the guard accepts; EXTEND_REVIEW once per tier.
  const BASE_EVENTS: ReferralEvent[] = [
    ev('ACKNOWLEDGE', policeOfficer),
    ev('REQUEST_SUPPLEMENT', policeOfficer),
    ev('SUPPLEMENT', officer),
    ev('FORWARD', lead),
    ev('EXTEND_REVIEW', lead, { tier: 'verification' }),
    ev('EXTEND_REVIEW', lead, { tier: 'complex' }),
    ev('EXTEND_REVIEW', lead, { tier: 'special' }),
    ev('RECORD_REVIEW', policeOfficer),
    ev('RETURN_TO_REVIEW', lead),
    ev('ACCEPT', lead),
    ev('DECLINE', lead),
    ev('REQUEST_RECONSIDERATION', officer),
    ev('UPHOLD_DECLINE', lead),
    ev('REQUEST_SUPERVISION', officer),
    ev('ACCEPT_DECISION', officer),
    ev('REQUIRE_REASONS', procurator),
    ev('SUBMIT_REASONS', lead),
    ev('ORDER_FILING', procurator),
    ev('UPHOLD_NON_FILING', procurator),
    ev('HANDOVER_EVIDENCE', officer),
    ev('START_JOINT_RECTIFICATION', lead, { tasks: [GRAPH_TASK] }),
    ev('COMPLETE_RECTIFICATION', lead),
    ev('CLOSE', lead),
    ev('WITHDRAW', officer),
    ev('LIST_FOR_SUPERVISION', supervisor, { reportEveryDays: 10 }),
    ev('REPORT_SUPERVISION_PROGRESS', policeOfficer),
    ev('DELIST', supervisor),
    // self-loops: only the unit changes, which no vertex key holds
    ev('ELEVATE', superiorLead),
    ev('DESIGNATE', superiorLead),
    ev('COMMENT', officer),
    ev('DEADLINE_REMINDER', SYSTEM),
    ev('DEADLINE_EXPIRED', SYSTEM, { kind: 'review' }),
    ev('DEADLINE_EXPIRED', SYSTEM, { kind: 'reconsideration-window' }),
  ];
  // Task events for whatever tasks the snapshot holds, by a user of the task's agency.
  const events = (snapshot: Snap): ReferralEvent[] => [
    ...BASE_EVENTS,
    ...snapshot.context.tasks.flatMap((t) => {
      const worker = person('agency-officer', t.agencyId, ['task']);
      return [ev('REPORT_PROGRESS', worker, { taskId: t.id }), ev('COMPLETE_TASK', worker, { taskId: t.id })];
    }),
  ];
  // Only what changes the behaviour is part of a graph vertex, so the traversal stays small.
  const serializeState = (snapshot: Snap) =>
    JSON.stringify([
      snapshot.value,
      snapshot.context.reconsiderationRequested,
      snapshot.context.reviewTier,
      snapshot.context.flags,
      // not the report count: it grows without end and changes nothing
      snapshot.context.listing && [snapshot.context.listing.bodies, snapshot.context.listing.reportEveryDays],
      snapshot.context.tasks.map((t) => `${t.id}:${t.status}`),
    ]);

  const traverse = (fromState?: Snap) =>
    getShortestPaths(referralMachine, { input: INPUT, events, serializeState, fromState, limit: 10_000 });

  it('the event set covers every event type', () => {
    const types = new Set(events(reach('joint-rectification')).map((e) => e.type));
    expect([...CLIENT_EVENT_TYPES, ...SYSTEM_EVENT_TYPES].filter((t) => !types.has(t))).toEqual([]);
  });

  it('every leaf state of the chart is reached by some path from submission', () => {
    const reached = new Set(traverse().map((p) => stateKey(p.state)));
    expect([...reached].sort()).toEqual([...LEAF_STATES].sort());
  });

  it('every shortest path replays with transition() and returns only intents', () => {
    const paths = traverse();
    expect(paths.length).toBeGreaterThan(LEAF_STATES.length);
    for (const path of paths) {
      const [first, ...rest] = path.steps;
      expect(first.event.type).toBe('xstate.init');
      let [snapshot, actions] = initialTransition(referralMachine, INPUT);
      const returned = [...actions];
      for (const step of rest) {
        [snapshot, actions] = transition(referralMachine, snapshot, step.event);
        returned.push(...actions);
      }
      expect(serializeState(snapshot)).toBe(serializeState(path.state));
      const foreign = returned.filter(
        (a) => !a.type.startsWith('xstate.') && !(INTENT_TYPES as readonly string[]).includes(a.type),
      );
      expect(foreign.map((a) => a.type)).toEqual([]);
    }
  });

  // Per the procedure: closed can always be reached. WITHDRAW itself is accepted only in submitted,
  // under-review and supplement-requested (see FROM_STATES), but reviewed can get back to under-review
  // with RETURN_TO_REVIEW, so withdrawn stays reachable from reviewed too (API.md allows both steps).
  const WITHDRAWABLE: LeafState[] = ['submitted', 'under-review', 'supplement-requested', 'reviewed'];
  it.each(OPEN_STATES)('from %s the reachable final states are as the procedure says', (state) => {
    const finals = new Set(
      traverse(reach(state))
        .filter((p) => p.state.status === 'done')
        .map((p) => stateKey(p.state)),
    );
    expect([...finals].sort()).toEqual(WITHDRAWABLE.includes(state) ? ['closed', 'withdrawn'] : ['closed']);
  });

  it.each(FINAL_STATES)('from %s nothing else is reachable', (state) => {
    const reached = traverse(reach(state)).map((p) => serializeState(p.state));
    expect(reached).toEqual([serializeState(reach(state))]);
  });
});

// ---- probes without payload (how the engine computes allowedEvents) ------------

describe('allowedEvents probes', () => {
  it('offers EXTEND_REVIEW to the target lead when asked without a tier, until the last tier', () => {
    expect(reach('under-review').can({ type: 'EXTEND_REVIEW', actor: lead } as never)).toBe(true);
    const special = act(
      act(reach('under-review'), ev('EXTEND_REVIEW', lead, { tier: 'complex' }))[0],
      ev('EXTEND_REVIEW', lead, { tier: 'special' }),
    )[0];
    expect(special.can({ type: 'EXTEND_REVIEW', actor: lead } as never)).toBe(false);
  });

  it('refuses a joint rectification plan without tasks', () => {
    expectRefused(reach('accepted'), ev('START_JOINT_RECTIFICATION', lead, { dueAt: PLAN_DUE, tasks: [] }));
  });
});
