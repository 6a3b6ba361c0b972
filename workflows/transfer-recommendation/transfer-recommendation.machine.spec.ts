// Specification of the transfer recommendation's statechart. Pure: only
// initialTransition/transition (no actors, no timers, no database), plus
// xstate/graph for path coverage.
import { initialTransition, type SnapshotFrom } from 'xstate';
import { getShortestPaths } from 'xstate/graph';
import { INTENT_TYPES } from '../procedure';
import {
  actorName as name,
  deadlineIntents,
  finalStatesOf,
  intents,
  leafStatesOf,
  person,
  stateKey,
  stepper,
  stranger,
  SYSTEM,
  type Attempt,
} from '../machine-testing';
import { DEADLINE_KINDS, DEADLINE_RULES } from './transfer-recommendation.deadlines';
import { transferRecommendationMachine as machine } from './transfer-recommendation.machine';
import { NOTIFICATION_TEMPLATES } from './transfer-recommendation.notifications';
import { EVENT_SENDERS } from './transfer-recommendation.senders';
import {
  CLIENT_EVENT_TYPES,
  FINAL_STATES as MACHINE_FINAL_STATES,
  SYSTEM_EVENT_TYPES,
  type Actor,
  type Outcome,
  type TransferRecommendationContext,
  type TransferRecommendationEvent,
  type TransferRecommendationEventPayload,
  type TransferRecommendationEventType,
} from './transfer-recommendation.types';
import { transferRecommendationWorkflow } from './transfer-recommendation.workflow';

type Snap = SnapshotFrom<typeof machine>;
type Event = TransferRecommendationEvent;
const { act, attempt, refusedIn, along, replay, roundTrip } = stepper<Snap, Event>(machine);

// ---- the cast ------------------------------------------------------------------

const PROCURATORATE = 'procuratorate-source';
const AGENCY = 'agency-target';
const INPUT = { sourceAgencyId: PROCURATORATE, targetAgencyId: AGENCY };

const procurator = person('procurator', PROCURATORATE, ['source']);
const officer = person('agency-officer', AGENCY, ['target']);
const overseeingProcurator = person('procurator', 'procuratorate-provincial', ['oversight']);
const supervisor = person('supervisor', 'kunlun-office', ['oversight']);
const policeLead = person('police-lead', 'police', []);
const admin = person('admin', 'admin-agency', []);
const PEOPLE = [procurator, officer, overseeingProcurator, supervisor, policeLead, admin];

// ---- events --------------------------------------------------------------------

type PayloadOf<T extends TransferRecommendationEventType> = Omit<
  Extract<TransferRecommendationEventPayload, { type: T }>,
  'type'
>;
const DEFAULT_PAYLOAD: { [T in TransferRecommendationEventType]: PayloadOf<T> } = {
  TRANSFER: { referralId: 'referral-1' },
  EXPLAIN: { explanation: 'the amount is below the threshold' },
  ACCEPT_EXPLANATION: { note: 'the explanation holds' },
  INSIST: { reasons: 'the sales records show more' },
  WITHDRAW: { reason: 'issued by mistake' },
  COMMENT: { text: 'hello' },
  DEADLINE_REMINDER: { deadlineId: 'dl-1', kind: 'recommendation-response' },
  DEADLINE_EXPIRED: { deadlineId: 'dl-1', kind: 'recommendation-response' },
};
function ev<T extends TransferRecommendationEventType>(type: T, actor: Actor, payload: Partial<PayloadOf<T>> = {}): Event {
  return { type, ...DEFAULT_PAYLOAD[type], ...payload, actor } as unknown as Event;
}

const start = (): Snap => initialTransition(machine, INPUT)[0];

const toExplained = [ev('EXPLAIN', officer)];
const toInsisted = [...toExplained, ev('INSIST', procurator)];
const PATHS = {
  issued: [],
  'explanation-submitted': toExplained,
  insisted: toInsisted,
  transferred: [ev('TRANSFER', officer)],
  closed: [...toExplained, ev('ACCEPT_EXPLANATION', procurator)],
  withdrawn: [ev('WITHDRAW', procurator)],
  // the same states with a different context
  'explanation-submitted (after insisting)': [...toInsisted, ev('EXPLAIN', officer, { explanation: 'second answer' })],
} satisfies Record<string, Event[]>;
type PathName = keyof typeof PATHS;
const reach = (path: PathName): Snap => along(start(), PATHS[path]);

const LEAF_STATES = ['issued', 'explanation-submitted', 'insisted', 'transferred', 'closed', 'withdrawn'] as const;
type LeafState = (typeof LEAF_STATES)[number];
const FINAL_STATES: LeafState[] = ['transferred', 'closed', 'withdrawn'];
const OPEN_STATES = LEAF_STATES.filter((s) => !FINAL_STATES.includes(s));

const allowedEvents = (snapshot: Snap, actor: Actor) => CLIENT_EVENT_TYPES.filter((type) => snapshot.can(ev(type, actor)));
const expectRefused = (snapshot: Snap, event: Event) => expect(attempt(snapshot, event)).toEqual<Attempt>(refusedIn(snapshot));

const schedules = { type: 'scheduleDeadline', kind: 'recommendation-response' };
const meets = { type: 'meetDeadlines', kinds: ['recommendation-response'] };
const CANCEL_ALL = { type: 'cancelAllDeadlines' };
const notice = (parties: string[], template: string) => ({ type: 'notify', parties, template });

// =============================================================================

describe('the chart', () => {
  it('LEAF_STATES lists exactly the leaf states of the chart', () => {
    expect(leafStatesOf(machine)).toEqual([...LEAF_STATES].sort());
  });

  it("FINAL_STATES of the types are exactly the chart's final states", () => {
    expect(finalStatesOf(machine)).toEqual([...MACHINE_FINAL_STATES].sort());
    expect([...FINAL_STATES].sort()).toEqual([...MACHINE_FINAL_STATES].sort());
  });

  it.each(Object.keys(PATHS) as PathName[])('reach(%s) ends in that state', (path) => {
    expect(stateKey(reach(path))).toBe(path.replace(/ \(.*\)$/, ''));
  });

  it('the issuing starts in issued, schedules the response and tells the agency', () => {
    const [snapshot, actions] = initialTransition(machine, INPUT);
    expect(stateKey(snapshot)).toBe('issued');
    expect(snapshot.context).toEqual<TransferRecommendationContext>({
      sourceAgencyId: PROCURATORATE,
      targetAgencyId: AGENCY,
      referralId: null,
      explanation: null,
      insistCount: 0,
      flags: [],
      outcome: null,
    });
    expect(intents(actions)).toEqual([schedules, notice(['target'], 'recommendation-issued')]);
  });
});

// ---- the event table -------------------------------------------------------------

interface AllowedCase {
  from: PathName;
  event: Event;
  to: LeafState;
  /** Exactly the intents returned, in order. */
  intents: unknown[];
  context?: Partial<TransferRecommendationContext>;
}

const ALLOWED: AllowedCase[] = [
  ...(['issued', 'insisted'] as const).flatMap((from): AllowedCase[] => [
    {
      from,
      event: ev('TRANSFER', officer, { referralId: 'referral-9' }),
      to: 'transferred',
      intents: [meets, notice(['source'], 'recommendation-transferred'), CANCEL_ALL],
      context: { referralId: 'referral-9', outcome: 'transferred' },
    },
    {
      from,
      event: ev('EXPLAIN', officer, { explanation: 'no crime' }),
      to: 'explanation-submitted',
      intents: [meets, notice(['source'], 'recommendation-explained')],
      context: { explanation: 'no crime', outcome: null },
    },
  ]),
  {
    from: 'explanation-submitted',
    event: ev('ACCEPT_EXPLANATION', procurator),
    to: 'closed',
    intents: [notice(['target'], 'explanation-accepted'), CANCEL_ALL],
    context: { outcome: 'explained' },
  },
  {
    from: 'explanation-submitted',
    event: ev('INSIST', procurator),
    to: 'insisted',
    intents: [schedules, notice(['target', 'oversight'], 'recommendation-insisted')],
    context: { insistCount: 1 },
  },
  {
    from: 'explanation-submitted (after insisting)',
    event: ev('INSIST', procurator),
    to: 'insisted',
    intents: [schedules, notice(['target', 'oversight'], 'recommendation-insisted')],
    context: { insistCount: 2, explanation: 'second answer' },
  },
  {
    from: 'explanation-submitted (after insisting)',
    event: ev('ACCEPT_EXPLANATION', procurator),
    to: 'closed',
    intents: [notice(['target'], 'explanation-accepted'), CANCEL_ALL],
    context: { outcome: 'explained', insistCount: 1 },
  },
  ...(['issued', 'explanation-submitted', 'insisted'] as const).map((from): AllowedCase => ({
    from,
    event: ev('WITHDRAW', procurator),
    to: 'withdrawn',
    intents: [CANCEL_ALL, notice(['target'], 'recommendation-withdrawn')],
    context: { outcome: 'withdrawn' },
  })),
  {
    from: 'issued',
    event: ev('COMMENT', supervisor),
    to: 'issued',
    intents: [notice(['source', 'target'], 'comment-added')],
  },
  ...OPEN_STATES.flatMap((from): AllowedCase[] => [
    {
      from,
      event: ev('DEADLINE_REMINDER', SYSTEM, { deadlineId: 'dl-7' }),
      to: from,
      intents: [{ type: 'remindDeadline', deadlineId: 'dl-7' }, notice(['responsible'], 'deadline-reminder')],
    },
    {
      from,
      event: ev('DEADLINE_EXPIRED', SYSTEM, { deadlineId: 'dl-7' }),
      to: from,
      intents: [{ type: 'breachDeadline', deadlineId: 'dl-7' }, notice(['responsible', 'oversight'], 'deadline-breached')],
    },
  ]),
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
    const [after, out] = act(before, c.event);
    expect(stateKey(after)).toBe(c.to);
    expect(out).toEqual(c.intents);
    if (c.context) expect(after.context).toMatchObject(c.context);
  });
});

describe('event table: refused', () => {
  const WRONG_ROLE: [PathName, Event][] = [
    ['issued', ev('TRANSFER', procurator)],
    ['issued', ev('TRANSFER', { ...policeLead, relations: ['target'] })],
    ['insisted', ev('EXPLAIN', procurator)],
    ['explanation-submitted', ev('ACCEPT_EXPLANATION', officer)],
    ['explanation-submitted', ev('ACCEPT_EXPLANATION', { ...supervisor, relations: ['source'] })],
    ['explanation-submitted', ev('INSIST', officer)],
    ['issued', ev('WITHDRAW', officer)],
    ['issued', ev('WITHDRAW', admin)],
  ];
  it.each(WRONG_ROLE.map(([from, e]) => [`${e.type} by ${name(e.actor)} in ${from}`, from, e] as const))(
    'wrong role: %s',
    (_, from, event) => expectRefused(reach(from), event),
  );

  // The right role from an agency without the required relation.
  it.each(clientCases.filter((c) => c.event.type !== 'COMMENT').map((c) => [title(c), c] as const))(
    'wrong relation: %s',
    (_, c) => expectRefused(reach(c.from), { ...c.event, actor: stranger(c.event.actor) }),
  );

  it.each([
    ['a procurator with oversight (not the issuing procuratorate)', ev('INSIST', overseeingProcurator)],
    ['a procurator with oversight withdrawing', ev('WITHDRAW', overseeingProcurator)],
  ])('wrong relation: %s', (_, event) => expectRefused(reach('explanation-submitted'), event));

  it.each(clientCases.map((c) => [title(c), c] as const))('a client event from the system actor: %s', (_, c) => {
    expectRefused(reach(c.from), { ...c.event, actor: SYSTEM });
  });

  it.each(SYSTEM_EVENT_TYPES.flatMap((type) => [officer, procurator, admin].map((actor) => [type, name(actor), actor] as const)))(
    'a system event %s sent by %s',
    (type, _, actor) => expectRefused(reach('issued'), ev(type, actor)),
  );

  // Wrong state, exhaustively: each event is accepted exactly in the states of its row.
  const FROM_STATES: [Event, readonly LeafState[]][] = [
    [ev('TRANSFER', officer), ['issued', 'insisted']],
    [ev('EXPLAIN', officer), ['issued', 'insisted']],
    [ev('ACCEPT_EXPLANATION', procurator), ['explanation-submitted']],
    [ev('INSIST', procurator), ['explanation-submitted']],
    [ev('WITHDRAW', procurator), ['issued', 'explanation-submitted', 'insisted']],
    [ev('COMMENT', admin), LEAF_STATES],
    [ev('DEADLINE_REMINDER', SYSTEM), OPEN_STATES],
    [ev('DEADLINE_EXPIRED', SYSTEM), OPEN_STATES],
  ];
  it('FROM_STATES has a row for every event type', () => {
    expect(FROM_STATES.map(([e]) => e.type).sort()).toEqual([...CLIENT_EVENT_TYPES, ...SYSTEM_EVENT_TYPES].sort());
  });
  it.each(FROM_STATES.map(([e, states]) => [e.type, e, states] as const))(
    '%s is accepted exactly in the states of its row',
    (_, event, states) => {
      expect(LEAF_STATES.filter((state) => reach(state).can(event))).toEqual(LEAF_STATES.filter((s) => states.includes(s)));
      for (const state of LEAF_STATES.filter((s) => !states.includes(s))) expectRefused(reach(state), event);
    },
  );
});

describe('who may do what, state by state', () => {
  it.each<[LeafState, Actor, string[]]>([
    ['issued', officer, ['TRANSFER', 'EXPLAIN', 'COMMENT']],
    ['issued', procurator, ['WITHDRAW', 'COMMENT']],
    ['explanation-submitted', officer, ['COMMENT']],
    ['explanation-submitted', procurator, ['ACCEPT_EXPLANATION', 'INSIST', 'WITHDRAW', 'COMMENT']],
    ['insisted', officer, ['TRANSFER', 'EXPLAIN', 'COMMENT']],
    ['insisted', procurator, ['WITHDRAW', 'COMMENT']],
    ['insisted', overseeingProcurator, ['COMMENT']],
  ])('in %s, %s may send %j', (state, actor, types) => {
    expect(allowedEvents(reach(state), actor)).toEqual(types);
  });
});

describe('final states', () => {
  it.each(FINAL_STATES.flatMap((state) => CLIENT_EVENT_TYPES.filter((t) => t !== 'COMMENT').map((t) => [state, t] as const)))(
    '%s refuses %s from everyone',
    (state, type) => {
      for (const actor of [...PEOPLE, SYSTEM]) expectRefused(reach(state), ev(type, actor));
    },
  );

  it.each(FINAL_STATES.flatMap((state) => SYSTEM_EVENT_TYPES.map((t) => [state, t] as const)))(
    '%s refuses the system event %s',
    (state, type) => expectRefused(reach(state), ev(type, SYSTEM)),
  );

  it.each(FINAL_STATES)('in %s every person may only COMMENT, and the system nothing', (state) => {
    const snapshot = reach(state);
    expect(snapshot.status).toBe('done');
    for (const actor of PEOPLE) expect(allowedEvents(snapshot, actor)).toEqual(['COMMENT']);
    expect(allowedEvents(snapshot, SYSTEM)).toEqual([]);
  });
});

describe('COMMENT', () => {
  it.each(LEAF_STATES.flatMap((state) => PEOPLE.map((actor) => [state, name(actor), actor] as const)))(
    'in %s by %s: allowed, nothing changes but a notification',
    (state, _, actor) => {
      const before = reach(state);
      const [after, out] = act(before, ev('COMMENT', actor));
      expect(stateKey(after)).toBe(state);
      expect(after.context).toEqual(before.context);
      expect(out).toEqual([notice(['source', 'target'], 'comment-added')]);
    },
  );

  it.each(LEAF_STATES)('in %s refused from the system actor', (state) => expectRefused(reach(state), ev('COMMENT', SYSTEM)));
});

describe('deadlines', () => {
  it('the response period runs again after every INSIST and is met by the next answer', () => {
    const { snapshot, intents: asked } = replay(initialTransition(machine, INPUT), [
      ev('EXPLAIN', officer),
      ev('INSIST', procurator),
      ev('EXPLAIN', officer),
      ev('INSIST', procurator),
      ev('TRANSFER', officer),
    ]);
    expect(deadlineIntents(asked)).toEqual([schedules, meets, schedules, meets, schedules, meets, CANCEL_ALL]);
    expect(snapshot.context).toMatchObject({ insistCount: 2, outcome: 'transferred', referralId: 'referral-1' });
  });

  it('an expired response is breached but the agency may still answer', () => {
    const [breached] = act(reach('issued'), ev('DEADLINE_EXPIRED', SYSTEM));
    expect(stateKey(breached)).toBe('issued');
    expect(allowedEvents(breached, officer)).toEqual(['TRANSFER', 'EXPLAIN', 'COMMENT']);
  });

  it('DEADLINE_RULES has one rule per kind, 3 calendar days, on the agency', () => {
    expect(Object.keys(DEADLINE_RULES)).toEqual([...DEADLINE_KINDS]);
    expect(DEADLINE_RULES['recommendation-response']).toMatchObject({
      kind: 'recommendation-response',
      period: { unit: 'calendar-days', length: 3 },
      responsible: 'target',
    });
  });
});

describe('outcomes', () => {
  it.each<[PathName, Outcome]>([
    ['transferred', 'transferred'],
    ['closed', 'explained'],
    ['withdrawn', 'withdrawn'],
  ])('%s: outcome %s', (path, outcome) => {
    expect(reach(path).context.outcome).toBe(outcome);
    expect(reach(path).status).toBe('done');
  });

  it.each(OPEN_STATES)('no outcome yet in %s', (state) => {
    expect(reach(state).context.outcome).toBeNull();
    expect(reach(state).status).toBe('active');
  });
});

describe('persistence round trip', () => {
  it.each(LEAF_STATES)('%s resumes identically', (state) => {
    const original = reach(state);
    const restored = roundTrip(original);
    expect(stateKey(restored)).toBe(state);
    expect(restored.status).toBe(original.status);
    expect(restored.context).toEqual(original.context);
    for (const actor of [...PEOPLE, SYSTEM]) expect(allowedEvents(restored, actor)).toEqual(allowedEvents(original, actor));
  });
});

// ---- paths, from the machine itself (xstate/graph) ---------------------------------

describe('path coverage (xstate/graph)', () => {
  const EVENTS: Event[] = [
    ev('TRANSFER', officer),
    ev('EXPLAIN', officer),
    ev('ACCEPT_EXPLANATION', procurator),
    ev('INSIST', procurator),
    ev('WITHDRAW', procurator),
    ev('COMMENT', officer),
    ev('DEADLINE_REMINDER', SYSTEM),
    ev('DEADLINE_EXPIRED', SYSTEM),
  ];
  // insistCount does not change behaviour: leaving it out keeps the graph finite.
  const serializeState = (snapshot: Snap) => JSON.stringify([snapshot.value, snapshot.context.outcome]);
  const traverse = (fromState?: Snap) =>
    getShortestPaths(machine, { input: INPUT, events: EVENTS, serializeState, fromState, limit: 1_000 });

  it('the event set covers every event type', () => {
    expect([...CLIENT_EVENT_TYPES, ...SYSTEM_EVENT_TYPES].filter((t) => !EVENTS.some((e) => e.type === t))).toEqual([]);
  });

  it('every leaf state of the chart is reached by some path from the issuing', () => {
    expect([...new Set(traverse().map((p) => stateKey(p.state)))].sort()).toEqual([...LEAF_STATES].sort());
  });

  it('every shortest path replays with the stepper and returns only intents, with known templates', () => {
    const templates = new Set<string>(NOTIFICATION_TEMPLATES);
    for (const path of traverse()) {
      const [first, ...rest] = path.steps;
      expect(first.event.type).toBe('xstate.init');
      const { snapshot, intents: returned } = replay(
        initialTransition(machine, INPUT),
        rest.map((step) => step.event as Event),
      );
      expect(serializeState(snapshot)).toBe(serializeState(path.state));
      expect(returned.filter((i) => !(INTENT_TYPES as readonly string[]).includes(i.type))).toEqual([]);
      for (const i of returned) if (i.type === 'notify') expect(templates.has(i.template)).toBe(true);
    }
  });

  it.each<[LeafState, LeafState[]]>([
    ['issued', ['transferred', 'closed', 'withdrawn']],
    ['explanation-submitted', ['transferred', 'closed', 'withdrawn']],
    ['insisted', ['transferred', 'closed', 'withdrawn']],
  ])('from %s the final states %j are reachable', (state, finals) => {
    const reached = traverse(reach(state)).filter((p) => p.state.status === 'done');
    expect([...new Set(reached.map((p) => stateKey(p.state)))].sort()).toEqual([...finals].sort());
  });

  it.each(FINAL_STATES)('from %s nothing else is reachable', (state) => {
    expect(traverse(reach(state)).map((p) => serializeState(p.state))).toEqual([serializeState(reach(state))]);
  });
});

describe('the workflow definition', () => {
  it('has a sender rule for every client event, and none besides', () => {
    expect(Object.keys(EVENT_SENDERS).sort()).toEqual([...CLIENT_EVENT_TYPES].sort());
    expect(Object.keys(transferRecommendationWorkflow.senders).sort()).toEqual([...CLIENT_EVENT_TYPES].sort());
  });

  it('lists the shared templates among its own', () => {
    expect(transferRecommendationWorkflow.templates).toEqual(
      expect.arrayContaining(['deadline-reminder', 'deadline-breached', 'deadline-escalated', 'comment-added']),
    );
  });

  it('names its final states, events, deadlines and input', () => {
    const wf = transferRecommendationWorkflow;
    expect(wf).toMatchObject({ name: 'transfer-recommendation', version: '1', machine });
    expect(wf.finalStates).toEqual(MACHINE_FINAL_STATES);
    expect(wf.clientEventTypes).toEqual(CLIENT_EVENT_TYPES);
    expect(wf.periodOf('recommendation-response', start().context)).toEqual({ unit: 'calendar-days', length: 3 });
    expect(wf.periodOf('no-such-kind', start().context)).toBeNull();
    expect(wf.input(INPUT, { ignored: true })).toEqual(INPUT);
  });
});
