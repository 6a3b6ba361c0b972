// The transfer recommendation as a statechart: the procuratorate recommends that
// an administrative agency transfer a case; the agency transfers it or explains
// in writing why not; the procuratorate accepts the explanation, or insists (the
// agency's supervising bodies in the region are told) and the agency answers again.
//
// Pure like the referral's chart: actions are intents the engine reads, and
// deadlines are rows that come back as DEADLINE_* events (no `after` delays).
import { assign, setup } from 'xstate';
import { chartBuilders, intentActions, procedureGuards } from '../machine-kit';
import type { DeadlineKind } from './transfer-recommendation.deadlines';
import type { NotificationTemplate } from './transfer-recommendation.notifications';
import { EVENT_SENDERS } from './transfer-recommendation.senders';
import type {
  ClientEvent,
  Outcome,
  TransferRecommendationContext,
  TransferRecommendationEvent,
  TransferRecommendationInput,
} from './transfer-recommendation.types';

/** Bump when a change would read a stored snapshot differently; old versions stay registered in the engine. */
export const MACHINE_VERSION = '1';

const { may, schedule, meet, notify, comment, final, deadlineEvents } = chartBuilders<
  ClientEvent['type'],
  DeadlineKind,
  NotificationTemplate
>(EVENT_SENDERS);

export const transferRecommendationMachine = setup({
  types: {} as {
    context: TransferRecommendationContext;
    events: TransferRecommendationEvent;
    input: TransferRecommendationInput;
  },
  guards: procedureGuards,
  actions: {
    ...intentActions<DeadlineKind, NotificationTemplate>(),
    setOutcome: assign((_, params: { outcome: Outcome }) => ({ outcome: params.outcome })),
    recordReferral: assign(({ event }) => (event.type === 'TRANSFER' ? { referralId: event.referralId } : {})),
    recordExplanation: assign(({ event }) => (event.type === 'EXPLAIN' ? { explanation: event.explanation } : {})),
    countInsisting: assign(({ context }) => ({ insistCount: context.insistCount + 1 })),
  },
}).createMachine({
  id: 'transfer-recommendation',
  version: MACHINE_VERSION,
  context: ({ input }) => ({
    sourceAgencyId: input.sourceAgencyId,
    targetAgencyId: input.targetAgencyId,
    referralId: null,
    explanation: null,
    insistCount: 0,
    flags: [],
    outcome: null,
  }),
  initial: 'issued',
  on: {
    // Anyone in scope may comment, in every state (final ones repeat it: a finished machine ignores the root).
    COMMENT: comment(),
  },
  states: {
    issued: {
      // The engine's initial transition is the issuing: the agency's 3 days start.
      entry: [schedule('recommendation-response'), notify(['target'], 'recommendation-issued')],
      on: { ...deadlineEvents(), TRANSFER: transfer(), EXPLAIN: explain(), WITHDRAW: withdraw() },
    },
    'explanation-submitted': {
      on: {
        ...deadlineEvents(),
        ACCEPT_EXPLANATION: {
          guard: may('ACCEPT_EXPLANATION'),
          target: 'closed',
          actions: [setOutcome('explained'), notify(['target'], 'explanation-accepted')],
        },
        INSIST: {
          guard: may('INSIST'),
          target: 'insisted',
          actions: 'countInsisting',
        },
        WITHDRAW: withdraw(),
      },
    },
    insisted: {
      // A fresh answer period (a kind is live at most once: the engine replaces the old row).
      entry: [schedule('recommendation-response'), notify(['target', 'oversight'], 'recommendation-insisted')],
      on: { ...deadlineEvents(), TRANSFER: transfer(), EXPLAIN: explain(), WITHDRAW: withdraw() },
    },
    transferred: final(),
    closed: final(),
    withdrawn: final(notify(['target'], 'recommendation-withdrawn')),
  },
});

export type TransferRecommendationMachine = typeof transferRecommendationMachine;

// ---- transitions used in more than one state ----------------------------------

function transfer() {
  return {
    // the caller has created the referral in the same transaction
    guard: may('TRANSFER'),
    target: 'transferred',
    actions: [
      meet('recommendation-response'),
      'recordReferral',
      setOutcome('transferred'),
      notify(['source'], 'recommendation-transferred'),
    ],
  } as const;
}

function explain() {
  return {
    guard: may('EXPLAIN'),
    target: 'explanation-submitted',
    actions: [meet('recommendation-response'), 'recordExplanation', notify(['source'], 'recommendation-explained')],
  } as const;
}

function withdraw() {
  return {
    guard: may('WITHDRAW'),
    target: 'withdrawn',
    actions: setOutcome('withdrawn'),
  } as const;
}

function setOutcome(outcome: Outcome) {
  return { type: 'setOutcome', params: { outcome } } as const;
}
