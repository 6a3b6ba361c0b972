// The reverse transfer as a statechart: the police (a decision not to file, or a
// withdrawn case) or the procuratorate (a decision not to prosecute, with a
// procuratorial opinion) send a case back to an administrative agency, which
// acknowledges it, decides on a penalty and replies. The sending side, or a
// procuratorate supervising it, may chase the agency while the reply is due.
//
// Pure like the referral's chart: actions are intents the engine reads, and
// deadlines are rows that come back as DEADLINE_* events (no `after` delays).
import { and, assign, not, setup } from 'xstate';
import { chartBuilders, intentActions, procedureGuards } from '../machine-kit';
import type { Relation } from '../procedure';
import type { DeadlineKind } from './reverse-transfer.deadlines';
import type { NotificationTemplate } from './reverse-transfer.notifications';
import { CHASER_RELATIONS, EVENT_SENDERS } from './reverse-transfer.senders';
import {
  isCompleteDecision,
  type ClientEvent,
  type Outcome,
  type ReverseTransferContext,
  type ReverseTransferEvent,
  type ReverseTransferInput,
} from './reverse-transfer.types';

/** Bump when a change would read a stored snapshot differently; old versions stay registered in the engine. */
export const MACHINE_VERSION = '1';

const { may, schedule, meet, notify, comment, final, deadlineEvents } = chartBuilders<
  ClientEvent['type'],
  DeadlineKind,
  NotificationTemplate
>(EVENT_SENDERS);

export const reverseTransferMachine = setup({
  types: {} as {
    context: ReverseTransferContext;
    events: ReverseTransferEvent;
    input: ReverseTransferInput;
  },
  guards: {
    ...procedureGuards,
    relatedAs: ({ event }, { relations }: { relations: readonly Relation[] }) =>
      event.actor.relations.some((r) => relations.includes(r)),
    procuratorialOpinion: ({ context }) => context.procuratorialOpinion,
    // a probe without a decision (allowedEvents) asks "could I decide at all?"
    decisionIncomplete: ({ event }) => event.type === 'DECIDE' && event.decision !== undefined && !isCompleteDecision(event),
  },
  actions: {
    ...intentActions<DeadlineKind, NotificationTemplate>(),
    setOutcome: assign((_, params: { outcome: Outcome }) => ({ outcome: params.outcome })),
    recordDecision: assign(({ event }) =>
      event.type === 'DECIDE'
        ? {
            decision: {
              decision: event.decision,
              reasons: event.reasons,
              decisionNo: event.decisionNo ?? null,
              penaltyKinds: event.penaltyKinds ?? [],
              fineAmount: event.fineAmount ?? null,
            },
          }
        : {},
    ),
    outcomeFromDecision: assign(({ context }) => ({ outcome: context.decision?.decision ?? null })),
    recordChase: assign(({ context }) => ({
      chaseCount: context.chaseCount + 1,
      flags: context.flags.includes('chased') ? context.flags : [...context.flags, 'chased'],
    })),
  },
}).createMachine({
  id: 'reverse-transfer',
  version: MACHINE_VERSION,
  context: ({ input }) => ({
    sourceAgencyId: input.sourceAgencyId,
    targetAgencyId: input.targetAgencyId,
    basis: input.basis,
    procuratorialOpinion: input.procuratorialOpinion,
    decision: null,
    chaseCount: 0,
    flags: [],
    outcome: null,
  }),
  initial: 'transferred',
  on: {
    // Anyone in scope may comment, in every state (final ones repeat it: a finished machine ignores the root).
    COMMENT: comment(),
  },
  states: {
    transferred: {
      // The engine's initial transition is the sending: the agency's receipt clock starts.
      entry: [schedule('reverse-receipt'), notify(['target'], 'reverse-transfer-submitted')],
      on: {
        ...whileUnanswered(),
        RECEIVE: [
          {
            // the reply on the procuratorial opinion runs from receipt
            guard: and([may('RECEIVE'), 'procuratorialOpinion']),
            target: 'received',
            actions: [meet('reverse-receipt'), schedule('reverse-reply'), notify(['source'], 'reverse-transfer-acknowledged')],
          },
          {
            guard: may('RECEIVE'),
            target: 'received',
            actions: [meet('reverse-receipt'), notify(['source'], 'reverse-transfer-acknowledged')],
          },
        ],
        WITHDRAW: {
          guard: may('WITHDRAW'),
          target: 'withdrawn',
          actions: setOutcome('withdrawn'),
        },
      },
    },
    received: {
      on: {
        ...whileUnanswered(),
        DECIDE: {
          guard: and([may('DECIDE'), not('decisionIncomplete')]),
          target: 'decided',
          actions: ['recordDecision', notify(['source'], 'reverse-transfer-decided')],
        },
      },
    },
    decided: {
      on: {
        ...whileUnanswered(),
        REPLY: {
          guard: may('REPLY'),
          target: 'replied',
          actions: [
            meet('reverse-reply'),
            'outcomeFromDecision',
            notify(['source', 'procuratorate'], 'reverse-transfer-replied'),
          ],
        },
      },
    },
    replied: final(),
    withdrawn: final(notify(['target'], 'reverse-transfer-withdrawn')),
  },
});

export type ReverseTransferMachine = typeof reverseTransferMachine;

// ---- transitions used in more than one state ----------------------------------

function whileUnanswered() {
  return {
    ...deadlineEvents(),
    CHASE: {
      guard: and([may('CHASE'), { type: 'relatedAs', params: { relations: CHASER_RELATIONS } }]),
      actions: ['recordChase', notify(['target'], 'reverse-transfer-chased')],
    },
  } as const;
}

function setOutcome(outcome: Outcome) {
  return { type: 'setOutcome', params: { outcome } } as const;
}
