// Helpers for the charts' specs (transfer-recommendation, reverse-transfer): a cast of
// actors, state keys, intents off a transition, and stepping a chart purely with
// transition(). No Jest here (the build compiles this file): the specs assert.
import { transition, type AnyMachineSnapshot, type AnyStateMachine, type EventObject, type StateValue } from 'xstate';
import { getStateNodes } from 'xstate/graph';
import type { Actor, Intent, Relation, Role } from './procedure';

export function person(role: Role, agencyId: string, relations: Relation[]): Actor {
  return { userId: `${role}@${agencyId}`, agencyId, roles: [role], relations, system: false };
}

export const SYSTEM: Actor = { userId: null, agencyId: null, roles: [], relations: [], system: true };

/** Same roles, but an agency that stands in no relation to the case. */
export const stranger = (actor: Actor): Actor => ({
  ...actor,
  userId: `${actor.userId}-elsewhere`,
  agencyId: 'agency-elsewhere',
  relations: [],
});

export const actorName = (actor: Actor) => (actor.system ? 'system' : actor.userId!);

/** 'issued', 'a.b', … */
export function stateKey(snapshot: { value: StateValue }): string {
  const flat = (v: StateValue): string =>
    typeof v === 'string'
      ? v
      : Object.entries(v)
          .map(([k, child]) => (child === undefined ? k : `${k}.${flat(child)}`))
          .join(',');
  return flat(snapshot.value);
}

/** The intents among the returned actions, flattened to the Intent shape ({type, ...params}); xstate built-ins dropped. */
export function intents(actions: readonly { type: string; params?: unknown }[]): Intent[] {
  return actions
    .filter((a) => !a.type.startsWith('xstate.'))
    .map((a) => ({ type: a.type, ...((a.params as object | null | undefined) ?? {}) }) as Intent);
}

/** The intents about deadlines (schedule, meet, cancel, breach, remind …), in order. */
export const deadlineIntents = (list: readonly Intent[]) =>
  list.filter((i) => i.type.endsWith('Deadline') || i.type.endsWith('Deadlines'));

const pathsOf = (machine: AnyStateMachine, types: string[]) =>
  getStateNodes(machine.root)
    .filter((node) => types.includes(node.type))
    .map((node) => node.path.join('.'))
    .sort();

/** Every leaf state of the chart, as stateKey() spells it. */
export const leafStatesOf = (machine: AnyStateMachine) => pathsOf(machine, ['atomic', 'final']);
export const finalStatesOf = (machine: AnyStateMachine) => pathsOf(machine, ['final']);

/** What became of an event: whether can() accepted it, and what transition() did with it. */
export interface Attempt {
  accepted: boolean;
  state: string;
  contextChanged: boolean;
  intents: Intent[];
}

/** Pure steps through one chart with snapshots S and events E. */
export function stepper<S extends AnyMachineSnapshot, E extends EventObject & { actor: Actor }>(machine: AnyStateMachine) {
  /** Send an event that must be accepted; fails loudly (with the state) otherwise. */
  function act(snapshot: S, event: E): [S, Intent[]] {
    if (!snapshot.can(event)) throw new Error(`${event.type} by ${actorName(event.actor)} refused in ${stateKey(snapshot)}`);
    const [next, actions] = transition(machine, snapshot, event);
    return [next as S, intents(actions)];
  }
  function attempt(snapshot: S, event: E): Attempt {
    const [next, actions] = transition(machine, snapshot, event);
    return {
      accepted: snapshot.can(event),
      state: stateKey(next),
      contextChanged: JSON.stringify(next.context) !== JSON.stringify(snapshot.context),
      intents: intents(actions),
    };
  }
  /** The attempt of an event refused in `snapshot`: not accepted, nothing changed, nothing asked. */
  const refusedIn = (snapshot: S): Attempt => ({
    accepted: false,
    state: stateKey(snapshot),
    contextChanged: false,
    intents: [],
  });
  /** Drive the chart from `start` along `path`. */
  const along = (start: S, path: readonly E[]) => path.reduce((s, e) => act(s, e)[0], start);
  /** From the start (an initialTransition's result) along `path`: where it ends, and every intent asked for on the way. */
  function replay([start, actions]: readonly [S, readonly { type: string; params?: unknown }[]], path: readonly E[]) {
    const asked = intents(actions);
    let snapshot = start;
    for (const event of path) {
      const [next, out] = act(snapshot, event);
      snapshot = next;
      asked.push(...out);
    }
    return { snapshot, intents: asked };
  }
  /** The snapshot as the engine stores it (jsonb) and restores it. */
  function roundTrip(snapshot: S): S {
    const stored = JSON.parse(JSON.stringify(machine.getPersistedSnapshot(snapshot)));
    return machine.resolveState({ value: stored.value, context: stored.context }) as S;
  }
  return { act, attempt, refusedIn, along, replay, roundTrip };
}
