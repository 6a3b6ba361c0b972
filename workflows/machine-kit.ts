// Builders shared by the procedures' statecharts (transfer-recommendation and
// reverse-transfer so far; the referral keeps its own copies): the intent actions
// the engine reads off a transition, the guards every chart needs, and small
// builders so a chart reads as its procedure. Pure, like the charts.
import { not } from 'xstate';
import { actorMatches, type Actor, type Intent, type Party, type SenderRule, type SharedTemplate } from './procedure';

type ParamsOf<T extends Intent['type'], K extends string, N extends string> = Omit<Extract<Intent<K, N>, { type: T }>, 'type'>;

// Intents do nothing when "executed": the engine reads them off the transition result.
const intent =
  <T extends Intent['type'], K extends string, N extends string>() =>
  (_: unknown, _params: ParamsOf<T, K, N>) => {};

/** The intent actions a chart with deadline kinds K and templates N declares in setup(). */
export function intentActions<K extends string, N extends string>() {
  return {
    scheduleDeadline: intent<'scheduleDeadline', K, N>(),
    meetDeadlines: intent<'meetDeadlines', K, N>(),
    cancelDeadlines: intent<'cancelDeadlines', K, N>(),
    cancelAllDeadlines: () => {},
    breachDeadline: intent<'breachDeadline', K, N>(),
    remindDeadline: intent<'remindDeadline', K, N>(),
    // every template list includes the shared ones (SHARED_TEMPLATES)
    notify: intent<'notify', K, N | SharedTemplate>(),
  };
}

/** Guards every chart declares: the sender rule of an event, and "sent by the system". */
export const procedureGuards = {
  actorIs: ({ event }: { event: { actor: Actor } }, rule: SenderRule) => actorMatches(event.actor, rule),
  isSystem: ({ event }: { event: { actor: Actor } }) => event.actor.system,
};

function systemDeadlineId(event: { type: string }): string {
  return (event.type === 'DEADLINE_REMINDER' || event.type === 'DEADLINE_EXPIRED') && 'deadlineId' in event
    ? String(event.deadlineId)
    : '';
}

/** The builders of one chart, typed by its sender table, deadline kinds (K) and templates (N). */
export function chartBuilders<E extends string, K extends string, N extends string>(senders: Record<E, SenderRule>) {
  const notify = (parties: Party[], template: N | SharedTemplate) => ({ type: 'notify', params: { parties, template } }) as const;
  // COMMENT: anyone in scope, in every state, and both parties hear of it; can() needs an
  // action to call a targetless transition allowed.
  const comment = () => ({ guard: not('isSystem'), actions: notify(['source', 'target'], 'comment-added') }) as const;
  return {
    may: (type: E) => ({ type: 'actorIs', params: senders[type] }) as const,
    schedule: (kind: K) => ({ type: 'scheduleDeadline', params: { kind } }) as const,
    meet: (...kinds: K[]) => ({ type: 'meetDeadlines', params: { kinds } }) as const,
    notify,
    comment,
    /** A final state: no deadline stays live, and nothing but COMMENT is accepted. */
    final: <A extends readonly unknown[]>(...entry: A) =>
      ({ type: 'final', entry: ['cancelAllDeadlines', ...entry], on: { COMMENT: comment() } }) as const,
    /** DEADLINE_REMINDER and DEADLINE_EXPIRED while the procedure is open: remind the responsible side, or record the breach. */
    deadlineEvents: () =>
      ({
        DEADLINE_REMINDER: {
          guard: 'isSystem',
          actions: [
            {
              type: 'remindDeadline',
              params: ({ event }: { event: { type: string } }) => ({ deadlineId: systemDeadlineId(event) }),
            },
            notify(['responsible'], 'deadline-reminder'),
          ],
        },
        DEADLINE_EXPIRED: {
          guard: 'isSystem',
          actions: [
            {
              type: 'breachDeadline',
              params: ({ event }: { event: { type: string } }) => ({ deadlineId: systemDeadlineId(event) }),
            },
            notify(['responsible', 'oversight'], 'deadline-breached'),
          ],
        },
      }) as const,
  };
}
