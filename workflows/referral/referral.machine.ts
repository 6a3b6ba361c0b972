// The referral procedure as a statechart: transfer of a suspected criminal case
// from an administrative agency to the police, review, decision, disagreement,
// procuratorial supervision and joint rectification (DOMAIN.md).
//
// The machine is pure. Its actions are intents (see Intent in referral.types.ts)
// that the engine turns into database rows; nothing here touches the outside
// world, and no XState `after` delay is used because timers do not survive
// persistence: deadlines are rows, fired back in as DEADLINE_* events.
import { and, assign, not, setup } from 'xstate';
import type { DeadlineKind } from './referral.deadlines';
import { isValidExtension, LISTING_LEVELS, type ListingLevel } from './referral.deadlines';
import type { NotificationTemplate } from './referral.notifications';
import { actorMatches, EVENT_SENDERS, type SenderRule } from './referral.senders';
import type {
  ClientEvent,
  Intent,
  Listing,
  Outcome,
  Party,
  ReferralContext,
  ReferralEvent,
  ReferralInput,
} from './referral.types';

/** Bump when a change would read a stored snapshot differently; old versions stay registered in the engine. */
export const REFERRAL_MACHINE_VERSION = '1';

type IntentParams<T extends Intent['type']> = Omit<Extract<Intent, { type: T }>, 'type'>;
// Intents do nothing when "executed": the engine reads them off the transition result.
const intent =
  <T extends Intent['type']>() =>
  (_: unknown, _params: IntentParams<T>) => {};

// Decisions that answer a pending "decide" deadline, whichever state they come from.
const DECISION_DEADLINES: DeadlineKind[] = ['review', 'reconsideration-decision', 'police-reasons', 'filing-order'];

function eventTaskId(event: ReferralEvent): string | undefined {
  return 'taskId' in event ? event.taskId : undefined;
}

const LISTED = 'listed-supervision';

/** The listing after `event` lists the case, or joins the listing as a further body (the higher level wins). */
function listingAfter(context: ReferralContext, event: ReferralEvent): Listing | null {
  if (event.type !== 'LIST_FOR_SUPERVISION') return context.listing ?? null;
  const level: ListingLevel = event.level ?? 'city';
  const before = context.listing;
  if (!before) {
    return { level, bodies: [event.actor.agencyId!], reportEveryDays: event.reportEveryDays ?? null, reports: 0 };
  }
  return {
    ...before,
    level: LISTING_LEVELS.indexOf(level) > LISTING_LEVELS.indexOf(before.level) ? level : before.level,
    bodies: [...before.bodies, event.actor.agencyId!],
    // a period once set stays: a joining body sets one only where there was none
    reportEveryDays: before.reportEveryDays ?? event.reportEveryDays ?? null,
  };
}

export const referralMachine = setup({
  types: {} as {
    context: ReferralContext;
    events: ReferralEvent;
    input: ReferralInput;
  },
  // One-line predicates over context and event; transitions compose them with and/not (see may()).
  guards: {
    // the sender rule of EVENT_SENDERS for this event type
    actorIs: ({ event }, rule: SenderRule) => actorMatches(event.actor, rule),
    isSystem: ({ event }) => event.actor.system,
    // Reconsideration may be asked for once (Transfer Provisions art. 9).
    reconsiderationRequested: ({ context }) => context.reconsiderationRequested,
    listedForSupervision: ({ context }) => context.flags.includes(LISTED),
    // the actor's agency is one of the bodies that listed the case
    isListingBody: ({ context, event }) => context.listing?.bodies.includes(event.actor.agencyId ?? '') ?? false,
    listingHasReportPeriod: ({ context }) => (context.listing?.reportEveryDays ?? null) !== null,
    eventSetsReportPeriod: ({ event }) => event.type === 'LIST_FOR_SUPERVISION' && event.reportEveryDays !== undefined,
    // no tier given: "could I extend at all?", for allowedEvents
    reviewMayBeExtended: ({ context, event }) =>
      'tier' in event && event.tier !== undefined
        ? isValidExtension(context.reviewTier, event.tier)
        : context.reviewTier !== 'special',
    // The actor's agency holds the named open task; without a task id (allowedEvents), any open task of theirs.
    holdsOpenTask: ({ context, event }) =>
      context.tasks.some(
        (t) => t.status === 'open' && t.agencyId === event.actor.agencyId && (eventTaskId(event) ?? t.id) === t.id,
      ),
    // a plan without tasks could never be completed (a probe without tasks, for allowedEvents, is not one)
    planWithoutTasks: ({ event }) => event.type === 'START_JOINT_RECTIFICATION' && event.tasks?.length === 0,
    allTasksDone: ({ context }) => context.tasks.length > 0 && context.tasks.every((t) => t.status === 'done'),
    deadlineIs: ({ event }, { kind }: { kind: DeadlineKind }) => 'kind' in event && event.kind === kind,
  },
  actions: {
    scheduleDeadline: intent<'scheduleDeadline'>(),
    extendReview: intent<'extendReview'>(),
    meetDeadlines: intent<'meetDeadlines'>(),
    cancelDeadlines: intent<'cancelDeadlines'>(),
    cancelAllDeadlines: () => {},
    pauseDeadline: intent<'pauseDeadline'>(),
    resumeDeadline: intent<'resumeDeadline'>(),
    breachDeadline: intent<'breachDeadline'>(),
    remindDeadline: intent<'remindDeadline'>(),
    openTasks: intent<'openTasks'>(),
    closeTask: intent<'closeTask'>(),
    notify: intent<'notify'>(),
    retargetDeadlines: () => {},
    // context updates
    setOutcome: assign((_, params: { outcome: Outcome }) => ({ outcome: params.outcome })),
    closeWithChosenOutcome: assign(({ event }) => (event.type === 'CLOSE' ? { outcome: event.outcome } : {})),
    // a new police unit starts a fresh review at the standard length
    retarget: assign(({ event }) =>
      event.type === 'FORWARD' ? { targetAgencyId: event.toAgencyId, reviewTier: 'standard' as const } : {},
    ),
    // elevation or designation: the case moves to another unit with its clocks; the unit it leaves keeps reading it
    takeOver: assign(({ context, event }) => {
      const to = event.type === 'ELEVATE' ? event.actor.agencyId! : event.type === 'DESIGNATE' ? event.toAgencyId : null;
      if (!to) return {};
      const former = [...(context.formerTargetIds ?? []), context.targetAgencyId].filter((id) => id !== to);
      return { targetAgencyId: to, formerTargetIds: [...new Set(former)] };
    }),
    raiseReviewTier: assign(({ event }) => (event.type === 'EXTEND_REVIEW' ? { reviewTier: event.tier } : {})),
    recordRecommendation: assign(({ event }) =>
      event.type === 'RECORD_REVIEW' ? { reviewRecommendation: event.recommendation } : {},
    ),
    recordCaseNumber: assign(({ event }) => (event.type === 'ACCEPT' ? { caseNumber: event.caseNumber } : {})),
    markReconsiderationRequested: assign({ reconsiderationRequested: true }),
    // first listing (the flag) or a further body joining it (a snapshot with the flag but no listing record gets one)
    listForSupervision: assign(({ context, event }) => ({
      flags: context.flags.includes(LISTED) ? context.flags : [...context.flags, LISTED],
      listing: listingAfter(context, event),
    })),
    countSupervisionReport: assign(({ context }) =>
      context.listing ? { listing: { ...context.listing, reports: context.listing.reports + 1 } } : {},
    ),
    delist: assign(({ context }) => ({ flags: context.flags.filter((f) => f !== LISTED), listing: null })),
    adoptRectificationPlan: assign(({ event }) => {
      if (event.type !== 'START_JOINT_RECTIFICATION') return {};
      return {
        rectificationDueAt: event.dueAt,
        tasks: event.tasks.map((t) => ({
          id: t.id,
          agencyId: t.agencyId,
          description: t.description,
          dueAt: t.dueAt ?? event.dueAt,
          status: 'open' as const,
        })),
      };
    }),
    markTaskDone: assign(({ context, event }) => ({
      tasks: context.tasks.map((t) => (t.id === eventTaskId(event) ? { ...t, status: 'done' as const } : t)),
    })),
  },
}).createMachine({
  id: 'referral',
  version: REFERRAL_MACHINE_VERSION,
  context: ({ input }) => ({
    sourceAgencyId: input.sourceAgencyId,
    targetAgencyId: input.targetAgencyId,
    reviewTier: 'standard',
    reconsiderationRequested: false,
    reviewRecommendation: null,
    caseNumber: null,
    rectificationDueAt: null,
    tasks: [],
    flags: [],
    listing: null,
    outcome: null,
  }),
  initial: 'submitted',
  on: {
    // Anyone who can see the referral may comment, in every state (final ones repeat it: a finished machine ignores the root).
    COMMENT: comment(),
  },
  states: {
    submitted: {
      // Entered on submission and again on every forward: the (new) police unit's clocks start.
      entry: [schedule('acknowledge'), schedule('review'), notify(['target', 'procuratorate'], 'referral-submitted')],
      on: {
        ...whileOpen(),
        ACKNOWLEDGE: {
          guard: may('ACKNOWLEDGE'),
          target: 'under-review',
          actions: [meet('acknowledge'), notify(['source'], 'referral-acknowledged')],
        },
        REQUEST_SUPPLEMENT: requestSupplement(),
        FORWARD: forward(),
        WITHDRAW: withdraw(),
      },
    },
    'under-review': {
      on: {
        ...whileOpen(),
        REQUEST_SUPPLEMENT: requestSupplement(),
        FORWARD: forward(),
        EXTEND_REVIEW: extendReview(),
        RECORD_REVIEW: {
          guard: may('RECORD_REVIEW'),
          target: 'reviewed',
          actions: 'recordRecommendation',
        },
        WITHDRAW: withdraw(),
      },
    },
    'supplement-requested': {
      on: {
        ...whileOpen(),
        SUPPLEMENT: {
          guard: may('SUPPLEMENT'),
          target: 'under-review',
          actions: [meet('supplement'), resume('review'), notify(['target'], 'materials-supplemented')],
        },
        WITHDRAW: withdraw(),
      },
    },
    reviewed: {
      on: {
        ...whileOpen(),
        EXTEND_REVIEW: extendReview(),
        RETURN_TO_REVIEW: { guard: may('RETURN_TO_REVIEW'), target: 'under-review' },
        ACCEPT: accept(),
        DECLINE: {
          guard: may('DECLINE'),
          target: 'declined',
          actions: meet('review'),
        },
      },
    },
    declined: {
      // Notice of not filing: the agency has 3 days to ask for reconsideration or supervision.
      entry: [schedule('reconsideration-window'), notify(['source'], 'referral-declined')],
      on: {
        ...whileOpen(),
        DEADLINE_EXPIRED: [
          {
            // the window is the agency's right, not its duty: letting it pass is no breach
            guard: and(['isSystem', deadlineIs('reconsideration-window')]),
            target: 'closed',
            actions: setOutcome('declined'),
          },
          { guard: 'isSystem', actions: [breach(), notify(['responsible', 'oversight'], 'deadline-breached')] },
        ],
        REQUEST_RECONSIDERATION: {
          guard: and([may('REQUEST_RECONSIDERATION'), not('reconsiderationRequested')]),
          target: 'reconsideration',
          actions: ['markReconsiderationRequested', meet('reconsideration-window')],
        },
        REQUEST_SUPERVISION: {
          guard: may('REQUEST_SUPERVISION'),
          target: 'procuratorial-supervision',
          actions: meet('reconsideration-window'),
        },
        ACCEPT_DECISION: {
          guard: may('ACCEPT_DECISION'),
          target: 'closed',
          actions: [meet('reconsideration-window'), setOutcome('declined')],
        },
      },
    },
    reconsideration: {
      entry: [schedule('reconsideration-decision'), notify(['target'], 'reconsideration-requested')],
      on: {
        ...whileOpen(),
        ACCEPT: accept(),
        UPHOLD_DECLINE: {
          // back to declined: a fresh window opens for asking the procuratorate
          guard: may('UPHOLD_DECLINE'),
          target: 'declined',
          actions: meet('reconsideration-decision'),
        },
      },
    },
    'procuratorial-supervision': {
      initial: 'awaiting-procurator',
      entry: notify(['procuratorate', 'target'], 'supervision-requested'),
      on: {
        ...whileOpen(),
        // The police may file at any point of the supervision, ordered or not.
        ACCEPT: accept(),
      },
      states: {
        'awaiting-procurator': {
          on: {
            REQUIRE_REASONS: requireReasons(),
            ORDER_FILING: orderFiling(),
            UPHOLD_NON_FILING: upholdNonFiling(),
          },
        },
        'reasons-required': {
          on: {
            SUBMIT_REASONS: {
              guard: may('SUBMIT_REASONS'),
              target: 'reasons-submitted',
              actions: [meet('police-reasons'), notify(['procuratorate'], 'reasons-submitted')],
            },
            ORDER_FILING: orderFiling(),
            UPHOLD_NON_FILING: upholdNonFiling(),
          },
        },
        'reasons-submitted': {
          on: {
            ORDER_FILING: orderFiling(),
            UPHOLD_NON_FILING: upholdNonFiling(),
          },
        },
        'filing-ordered': {},
      },
    },
    accepted: {
      // Notice of filing: the agency hands over items within 3 days; the investigation is watched for 3 months.
      entry: [schedule('evidence-handover'), schedule('investigation-progress'), notify(['source'], 'referral-accepted')],
      on: {
        ...whileOpen(),
        HANDOVER_EVIDENCE: handoverEvidence(),
        START_JOINT_RECTIFICATION: {
          guard: and([may('START_JOINT_RECTIFICATION'), not('planWithoutTasks')]),
          target: 'joint-rectification',
          actions: 'adoptRectificationPlan',
        },
        CLOSE: {
          guard: may('CLOSE'),
          target: 'closed',
          actions: 'closeWithChosenOutcome',
        },
      },
    },
    'joint-rectification': {
      entry: [
        { type: 'openTasks', params: ({ context }) => ({ tasks: context.tasks }) },
        notify(['task-agencies'], 'rectification-started'),
      ],
      on: {
        ...whileOpen(),
        // the 3-day handover runs on even if a rectification starts at once
        HANDOVER_EVIDENCE: handoverEvidence(),
        REPORT_PROGRESS: {
          guard: and([may('REPORT_PROGRESS'), 'holdsOpenTask']),
          actions: notify(['target'], 'rectification-progress'),
        },
        COMPLETE_TASK: {
          guard: and([may('COMPLETE_TASK'), 'holdsOpenTask']),
          actions: [
            'markTaskDone',
            { type: 'closeTask', params: ({ event }) => ({ taskId: eventTaskId(event)! }) },
            {
              type: 'meetDeadlines',
              params: ({ event }) => ({ kinds: ['rectification'], taskId: eventTaskId(event) }),
            },
            notify(['target'], 'rectification-task-completed'),
          ],
        },
        COMPLETE_RECTIFICATION: {
          guard: and([may('COMPLETE_RECTIFICATION'), 'allTasksDone']),
          target: 'closed',
          actions: setOutcome('rectified'),
        },
      },
    },
    closed: {
      type: 'final',
      entry: ['cancelAllDeadlines', notify(['source', 'target', 'task-agencies'], 'referral-closed')],
      on: { COMMENT: comment() },
    },
    withdrawn: {
      type: 'final',
      entry: ['cancelAllDeadlines', notify(['target'], 'referral-withdrawn')],
      on: { COMMENT: comment() },
    },
  },
});

export type ReferralMachine = typeof referralMachine;

// ---- transitions used in more than one state ----------------------------------

function whileOpen() {
  return {
    LIST_FOR_SUPERVISION: listForSupervision(),
    REPORT_SUPERVISION_PROGRESS: {
      // each report meets the period that runs and starts the next, counted from the report
      guard: and([may('REPORT_SUPERVISION_PROGRESS'), 'listedForSupervision', 'listingHasReportPeriod']),
      actions: [
        'countSupervisionReport',
        meet('supervision-report'),
        schedule('supervision-report'),
        notify(['listing-bodies'], 'supervision-progress-reported'),
      ],
    },
    DELIST: {
      guard: and([may('DELIST'), 'listedForSupervision', 'isListingBody']),
      actions: [
        // the bodies before the listing ends: the party would resolve from the context after it
        {
          type: 'notify',
          params: ({ context, event }: { context: ReferralContext; event: ReferralEvent }) => ({
            parties: ['source', 'target'] as Party[],
            template: 'delisted-from-supervision' as const,
            agencyIds: (context.listing?.bodies ?? []).filter((b) => b !== event.actor.agencyId),
          }),
        },
        cancel(['supervision-report']),
        'delist',
      ],
    },
    ELEVATE: takeOver('ELEVATE', 'referral-elevated'),
    DESIGNATE: takeOver('DESIGNATE', 'referral-designated'),
    DEADLINE_REMINDER: {
      guard: 'isSystem',
      actions: [
        { type: 'remindDeadline', params: ({ event }: { event: ReferralEvent }) => ({ deadlineId: systemDeadlineId(event) }) },
        notify(['responsible'], 'deadline-reminder'),
      ],
    },
    DEADLINE_EXPIRED: {
      guard: 'isSystem',
      actions: [breach(), notify(['responsible', 'oversight'], 'deadline-breached')],
    },
  } as const;
}

function listForSupervision() {
  const first = and([may('LIST_FOR_SUPERVISION'), not('listedForSupervision')]);
  // a further overseer joins the listing (联合挂牌督办); a body already listing is refused
  const join = and([may('LIST_FOR_SUPERVISION'), 'listedForSupervision', not('isListingBody')]);
  const listed = notify(['source', 'target'], 'listed-for-supervision');
  const joined = notify(['source', 'target', 'listing-bodies'], 'supervision-listing-joined');
  return [
    {
      guard: and([first, 'eventSetsReportPeriod']),
      actions: ['listForSupervision', schedule('supervision-report'), listed],
    },
    { guard: first, actions: ['listForSupervision', listed] },
    {
      guard: and([join, 'eventSetsReportPeriod', not('listingHasReportPeriod')]),
      actions: ['listForSupervision', schedule('supervision-report'), joined],
    },
    { guard: join, actions: ['listForSupervision', joined] },
  ] as const;
}

function takeOver(type: 'ELEVATE' | 'DESIGNATE', template: 'referral-elevated' | 'referral-designated') {
  return {
    // the state and its running clocks stay: only the unit that answers for them changes
    guard: may(type),
    actions: [
      // the unit the case leaves, named before the context moves on
      {
        type: 'notify',
        params: ({ context }: { context: ReferralContext }) => ({
          parties: ['source', 'target', 'procuratorate'] as Party[],
          template,
          agencyIds: [context.targetAgencyId],
        }),
      },
      'takeOver',
      'retargetDeadlines',
    ],
  } as const;
}

function comment() {
  // can() needs an action to call a targetless transition allowed, and both parties want to hear of it
  return { guard: not('isSystem'), actions: notify(['source', 'target'], 'comment-added') } as const;
}

function requestSupplement() {
  return {
    // Police tell the agency what is missing; they may not refuse the case for it, and the review clock stops.
    guard: may('REQUEST_SUPPLEMENT'),
    target: 'supplement-requested',
    actions: [meet('acknowledge'), pause('review'), schedule('supplement'), notify(['source'], 'supplement-requested')],
  } as const;
}

function forward() {
  const base = [cancel(['acknowledge', 'review']), notify(['source'], 'referral-forwarded'), 'retarget'] as const;
  return [
    {
      // a listed case's reporting period starts afresh for the new unit, which must now report
      guard: and([may('FORWARD'), 'listedForSupervision', 'listingHasReportPeriod']),
      target: 'submitted',
      reenter: true,
      actions: [...base, schedule('supervision-report')],
    },
    { guard: may('FORWARD'), target: 'submitted', reenter: true, actions: base },
  ] as const;
}

function extendReview() {
  return {
    guard: and([may('EXTEND_REVIEW'), 'reviewMayBeExtended']),
    actions: [
      'raiseReviewTier',
      { type: 'extendReview', params: ({ context }: { context: ReferralContext }) => ({ tier: context.reviewTier }) },
      notify(['source'], 'review-extended'),
    ],
  } as const;
}

function accept() {
  return {
    guard: may('ACCEPT'),
    target: '#referral.accepted',
    actions: [meet(...DECISION_DEADLINES), 'recordCaseNumber'],
  } as const;
}

function handoverEvidence() {
  return {
    guard: may('HANDOVER_EVIDENCE'),
    actions: [meet('evidence-handover'), notify(['target'], 'evidence-handed-over')],
  } as const;
}

function withdraw() {
  return {
    guard: may('WITHDRAW'),
    target: 'withdrawn',
    actions: setOutcome('withdrawn'),
  } as const;
}

function requireReasons() {
  return {
    guard: may('REQUIRE_REASONS'),
    target: 'reasons-required',
    actions: [schedule('police-reasons'), notify(['target'], 'reasons-required')],
  } as const;
}

function orderFiling() {
  return {
    guard: may('ORDER_FILING'),
    target: 'filing-ordered',
    actions: [cancel(['police-reasons']), schedule('filing-order'), notify(['target', 'source'], 'filing-ordered')],
  } as const;
}

function upholdNonFiling() {
  return {
    guard: may('UPHOLD_NON_FILING'),
    target: '#referral.closed',
    actions: [cancel(['police-reasons']), setOutcome('declined')],
  } as const;
}

// ---- small action and guard builders, so the chart above reads as the procedure ----

function may(type: ClientEvent['type']) {
  return { type: 'actorIs', params: EVENT_SENDERS[type] } as const;
}
function deadlineIs(kind: DeadlineKind) {
  return { type: 'deadlineIs', params: { kind } } as const;
}
function schedule(kind: DeadlineKind) {
  return { type: 'scheduleDeadline', params: { kind } } as const;
}
function meet(...kinds: DeadlineKind[]) {
  return { type: 'meetDeadlines', params: { kinds } } as const;
}
function cancel(kinds: DeadlineKind[]) {
  return { type: 'cancelDeadlines', params: { kinds } } as const;
}
function pause(kind: DeadlineKind) {
  return { type: 'pauseDeadline', params: { kind } } as const;
}
function resume(kind: DeadlineKind) {
  return { type: 'resumeDeadline', params: { kind } } as const;
}
function notify(parties: Party[], template: NotificationTemplate) {
  return { type: 'notify', params: { parties, template } } as const;
}
function breach() {
  return {
    type: 'breachDeadline',
    params: ({ event }: { event: ReferralEvent }) => ({ deadlineId: systemDeadlineId(event) }),
  } as const;
}
function setOutcome(outcome: Outcome) {
  return { type: 'setOutcome', params: { outcome } } as const;
}
function systemDeadlineId(event: ReferralEvent): string {
  return event.type === 'DEADLINE_REMINDER' || event.type === 'DEADLINE_EXPIRED' ? event.deadlineId : '';
}
