// Specification of the reverse transfer's statechart. Pure: only
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
import { DEADLINE_KINDS, DEADLINE_RULES } from './reverse-transfer.deadlines';
import { reverseTransferMachine as machine } from './reverse-transfer.machine';
import { NOTIFICATION_TEMPLATES } from './reverse-transfer.notifications';
import { EVENT_SENDERS } from './reverse-transfer.senders';
import {
  CLIENT_EVENT_TYPES,
  FINAL_STATES as MACHINE_FINAL_STATES,
  reverseTransferInput,
  SYSTEM_EVENT_TYPES,
  type Actor,
  type ReverseTransferContext,
  type ReverseTransferEvent,
  type ReverseTransferEventPayload,
  type ReverseTransferEventType,
  type ReverseTransferInput,
} from './reverse-transfer.types';
import { reverseTransferWorkflow } from './reverse-transfer.workflow';

type Snap = SnapshotFrom<typeof machine>;
type Event = ReverseTransferEvent;
const { act, attempt, refusedIn, along, replay, roundTrip } = stepper<Snap, Event>(machine);

// ---- the cast ------------------------------------------------------------------

const POLICE = 'police-source';
const PROCURATORATE = 'procuratorate-source';
const AGENCY = 'agency-target';

const policeLead = person('police-lead', POLICE, ['source']);
const policeOfficer = person('police-officer', POLICE, ['source']);
const procurator = person('procurator', PROCURATORATE, ['source']);
/** A procuratorate whose region covers the case (the police unit's supervisor). */
const overseer = person('procurator', 'procuratorate-county', ['oversight']);
const supervisor = person('supervisor', 'kunlun-office', ['oversight']);
const officer = person('agency-officer', AGENCY, ['target']);
const admin = person('admin', 'admin-agency', []);
const PEOPLE = [policeLead, policeOfficer, procurator, overseer, supervisor, officer, admin];

// The two ways a case comes back: from the police (no procuratorial opinion) or the procuratorate (with one).
const FROM_POLICE = reverseTransferInput({ sourceAgencyId: POLICE, targetAgencyId: AGENCY }, { basis: 'not-filed' });
const FROM_PROCURATORATE = reverseTransferInput(
  { sourceAgencyId: PROCURATORATE, targetAgencyId: AGENCY },
  { basis: 'not-prosecuted', procuratorialOpinion: true },
);
const SIDES = {
  police: { input: FROM_POLICE, sender: policeLead, chaser: overseer },
  procuratorate: { input: FROM_PROCURATORATE, sender: procurator, chaser: procurator },
} as const;
type Side = keyof typeof SIDES;

// ---- events --------------------------------------------------------------------

type PayloadOf<T extends ReverseTransferEventType> = Omit<Extract<ReverseTransferEventPayload, { type: T }>, 'type'>;
const PENALTY: PayloadOf<'DECIDE'> = {
  decision: 'penalty-imposed',
  reasons: 'sold substandard goods',
  decisionNo: 'SJ-2026-17',
  penaltyKinds: ['fine', 'confiscation'],
  fineAmount: '20000.00',
};
const NO_PENALTY: PayloadOf<'DECIDE'> = { decision: 'no-penalty', reasons: 'already rectified, first offence' };
const DEFAULT_PAYLOAD: { [T in ReverseTransferEventType]: PayloadOf<T> } = {
  RECEIVE: {},
  DECIDE: PENALTY,
  REPLY: { note: 'decision attached' },
  CHASE: { note: 'please reply' },
  WITHDRAW: { reason: 'sent to the wrong agency' },
  COMMENT: { text: 'hello' },
  DEADLINE_REMINDER: { deadlineId: 'dl-1', kind: 'reverse-receipt' },
  DEADLINE_EXPIRED: { deadlineId: 'dl-1', kind: 'reverse-receipt' },
};
function ev<T extends ReverseTransferEventType>(type: T, actor: Actor, payload: Partial<PayloadOf<T>> = {}): Event {
  return { type, ...DEFAULT_PAYLOAD[type], ...payload, actor } as unknown as Event;
}
/** A DECIDE with exactly this payload (no defaults merged in). */
const decide = (payload: Partial<PayloadOf<'DECIDE'>>, actor: Actor = officer): Event =>
  ({ type: 'DECIDE', ...payload, actor }) as Event;

const start = (side: Side = 'procuratorate'): Snap => initialTransition(machine, SIDES[side].input)[0];

const PATHS = {
  transferred: () => [],
  received: () => [ev('RECEIVE', officer)],
  decided: () => [ev('RECEIVE', officer), ev('DECIDE', officer)],
  replied: () => [ev('RECEIVE', officer), ev('DECIDE', officer), ev('REPLY', officer)],
  withdrawn: (side: Side) => [ev('WITHDRAW', SIDES[side].sender)],
} satisfies Record<string, (side: Side) => Event[]>;
type LeafState = keyof typeof PATHS;
const reach = (state: LeafState, side: Side = 'procuratorate'): Snap => along(start(side), PATHS[state](side));

const LEAF_STATES: LeafState[] = ['transferred', 'received', 'decided', 'replied', 'withdrawn'];
const FINAL_STATES: LeafState[] = ['replied', 'withdrawn'];
const OPEN_STATES = LEAF_STATES.filter((s) => !FINAL_STATES.includes(s));
const SIDE_NAMES = Object.keys(SIDES) as Side[];
const bySide = <T>(rows: readonly T[]) => SIDE_NAMES.flatMap((side) => rows.map((row) => [side, row] as const));

const allowedEvents = (snapshot: Snap, actor: Actor) => CLIENT_EVENT_TYPES.filter((type) => snapshot.can(ev(type, actor)));
const expectRefused = (snapshot: Snap, event: Event) => expect(attempt(snapshot, event)).toEqual<Attempt>(refusedIn(snapshot));

const schedules = (kind: string) => ({ type: 'scheduleDeadline', kind });
const meets = (kind: string) => ({ type: 'meetDeadlines', kinds: [kind] });
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

  it.each(bySide(LEAF_STATES))('from the %s, reach(%s) ends in that state', (side, state) => {
    expect(stateKey(reach(state, side))).toBe(state);
  });

  it.each(SIDE_NAMES)('a case from the %s starts in transferred, schedules the receipt and tells the agency', (side) => {
    const { input } = SIDES[side];
    const [snapshot, actions] = initialTransition(machine, input);
    expect(stateKey(snapshot)).toBe('transferred');
    expect(snapshot.context).toEqual<ReverseTransferContext>({
      sourceAgencyId: input.sourceAgencyId,
      targetAgencyId: AGENCY,
      basis: input.basis,
      procuratorialOpinion: side === 'procuratorate',
      decision: null,
      chaseCount: 0,
      flags: [],
      outcome: null,
    });
    expect(intents(actions)).toEqual([schedules('reverse-receipt'), notice(['target'], 'reverse-transfer-submitted')]);
  });
});

describe('the start facts', () => {
  const parties = { sourceAgencyId: POLICE, targetAgencyId: AGENCY };
  it.each<[Record<string, unknown>, Partial<ReverseTransferInput>]>([
    [{ basis: 'not-filed' }, { basis: 'not-filed', procuratorialOpinion: false }],
    [{ basis: 'case-withdrawn' }, { basis: 'case-withdrawn', procuratorialOpinion: false }],
    [
      { basis: 'case-withdrawn', procuratorialOpinion: false },
      { basis: 'case-withdrawn', procuratorialOpinion: false },
    ],
    [{ basis: 'not-prosecuted' }, { basis: 'not-prosecuted', procuratorialOpinion: true }],
    [
      { basis: 'not-prosecuted', procuratorialOpinion: true },
      { basis: 'not-prosecuted', procuratorialOpinion: true },
    ],
  ])('%j gives %j', (facts, expected) => {
    expect(reverseTransferInput(parties, facts)).toEqual({ ...parties, ...expected });
    expect(reverseTransferWorkflow.input(parties, facts)).toEqual({ ...parties, ...expected });
  });

  it.each<[string, Record<string, unknown> | undefined]>([
    ['no facts', undefined],
    ['no basis', {}],
    ['an unknown basis', { basis: 'acquitted' }],
    ['a police basis with a procuratorial opinion', { basis: 'not-filed', procuratorialOpinion: true }],
    ['no prosecution without the opinion', { basis: 'not-prosecuted', procuratorialOpinion: false }],
  ])('%s fails the start', (_, facts) => {
    expect(() => reverseTransferWorkflow.input(parties, facts)).toThrow(/facts\./);
  });
});

// ---- the event table -------------------------------------------------------------

interface AllowedCase {
  side: Side;
  from: LeafState;
  event: Event;
  to: LeafState;
  /** Exactly the intents returned, in order. */
  intents: unknown[];
  context?: Partial<ReverseTransferContext>;
}

const ALLOWED: AllowedCase[] = [
  {
    side: 'police',
    from: 'transferred',
    event: ev('RECEIVE', officer),
    to: 'received',
    intents: [meets('reverse-receipt'), notice(['source'], 'reverse-transfer-acknowledged')],
  },
  {
    side: 'procuratorate',
    from: 'transferred',
    event: ev('RECEIVE', officer),
    to: 'received',
    // the reply on the procuratorial opinion runs from receipt
    intents: [meets('reverse-receipt'), schedules('reverse-reply'), notice(['source'], 'reverse-transfer-acknowledged')],
  },
  ...bySide([
    {
      event: ev('DECIDE', officer, PENALTY),
      decision: { ...PENALTY, penaltyKinds: ['fine', 'confiscation'] },
    },
    {
      event: decide(NO_PENALTY),
      decision: { ...NO_PENALTY, decisionNo: null, penaltyKinds: [], fineAmount: null },
    },
    {
      event: ev('DECIDE', officer, { ...PENALTY, penaltyKinds: ['warning'], fineAmount: undefined }),
      decision: { ...PENALTY, penaltyKinds: ['warning'], fineAmount: null },
    },
  ]).map(([side, { event, decision }]): AllowedCase => ({
    side,
    from: 'received',
    event,
    to: 'decided',
    intents: [notice(['source'], 'reverse-transfer-decided')],
    context: { decision: decision as ReverseTransferContext['decision'], outcome: null },
  })),
  ...SIDE_NAMES.map((side): AllowedCase => ({
    side,
    from: 'decided',
    event: ev('REPLY', officer),
    to: 'replied',
    intents: [meets('reverse-reply'), notice(['source', 'procuratorate'], 'reverse-transfer-replied'), CANCEL_ALL],
    context: { outcome: 'penalty-imposed' },
  })),
  ...SIDE_NAMES.map((side): AllowedCase => ({
    side,
    from: 'transferred',
    event: ev('WITHDRAW', SIDES[side].sender),
    to: 'withdrawn',
    intents: [CANCEL_ALL, notice(['target'], 'reverse-transfer-withdrawn')],
    context: { outcome: 'withdrawn' },
  })),
  ...bySide(OPEN_STATES).flatMap(([side, from]): AllowedCase[] => [
    {
      side,
      from,
      event: ev('CHASE', SIDES[side].chaser),
      to: from,
      intents: [notice(['target'], 'reverse-transfer-chased')],
      context: { flags: ['chased'], chaseCount: 1 },
    },
    {
      side,
      from,
      event: ev('DEADLINE_REMINDER', SYSTEM, { deadlineId: 'dl-7' }),
      to: from,
      intents: [{ type: 'remindDeadline', deadlineId: 'dl-7' }, notice(['responsible'], 'deadline-reminder')],
    },
    {
      side,
      from,
      event: ev('DEADLINE_EXPIRED', SYSTEM, { deadlineId: 'dl-7', kind: 'reverse-reply' }),
      to: from,
      intents: [{ type: 'breachDeadline', deadlineId: 'dl-7' }, notice(['responsible', 'oversight'], 'deadline-breached')],
    },
  ]),
  // the procuratorate overseeing a police unit may chase a case it did not send
  {
    side: 'procuratorate',
    from: 'received',
    event: ev('CHASE', overseer),
    to: 'received',
    intents: [notice(['target'], 'reverse-transfer-chased')],
    context: { flags: ['chased'] },
  },
  {
    side: 'police',
    from: 'decided',
    event: ev('COMMENT', supervisor),
    to: 'decided',
    intents: [notice(['source', 'target'], 'comment-added')],
  },
];
const title = (c: AllowedCase) => `${c.event.type} by ${name(c.event.actor)} in ${c.from} (from the ${c.side})`;
const clientCases = ALLOWED.filter((c) => !c.event.actor.system);

describe('event table: allowed', () => {
  it('covers every client and system event type', () => {
    const covered = new Set(ALLOWED.map((c) => c.event.type));
    expect([...CLIENT_EVENT_TYPES, ...SYSTEM_EVENT_TYPES].filter((t) => !covered.has(t))).toEqual([]);
  });

  it.each(ALLOWED.map((c) => [title(c), c] as const))('%s', (_, c) => {
    const [after, out] = act(reach(c.from, c.side), c.event);
    expect(stateKey(after)).toBe(c.to);
    expect(out).toEqual(c.intents);
    if (c.context) expect(after.context).toMatchObject(c.context);
  });
});

describe('event table: refused', () => {
  const WRONG_ROLE: [Side, LeafState, Event][] = [
    ['police', 'transferred', ev('RECEIVE', policeLead)],
    ['procuratorate', 'transferred', ev('RECEIVE', { ...procurator, relations: ['target'] })],
    ['police', 'received', ev('DECIDE', { ...policeOfficer, relations: ['target'] })],
    ['police', 'decided', ev('REPLY', { ...supervisor, relations: ['target'] })],
    ['police', 'received', ev('CHASE', policeLead)],
    ['police', 'received', ev('CHASE', supervisor)],
    ['police', 'received', ev('CHASE', officer)],
    ['police', 'transferred', ev('WITHDRAW', policeOfficer)],
    ['police', 'transferred', ev('WITHDRAW', officer)],
    ['procuratorate', 'transferred', ev('WITHDRAW', { ...supervisor, relations: ['source'] })],
  ];
  it.each(
    WRONG_ROLE.map(([side, from, e]) => [`${e.type} by ${name(e.actor)} in ${from} (from the ${side})`, side, from, e] as const),
  )('wrong role: %s', (_, side, from, event) => expectRefused(reach(from, side), event));

  // The right role from an agency without the required relation (for CHASE: neither source nor oversight).
  it.each(clientCases.filter((c) => c.event.type !== 'COMMENT').map((c) => [title(c), c] as const))(
    'wrong relation: %s',
    (_, c) => expectRefused(reach(c.from, c.side), { ...c.event, actor: stranger(c.event.actor) }),
  );

  it.each([
    ['the agency as a chaser', ev('CHASE', { ...procurator, relations: ['target'] })],
    ['a procurator overseeing, withdrawing', ev('WITHDRAW', overseer)],
  ])('wrong relation: %s', (_, event) => expectRefused(reach('transferred'), event));

  it.each(clientCases.map((c) => [title(c), c] as const))('a client event from the system actor: %s', (_, c) => {
    expectRefused(reach(c.from, c.side), { ...c.event, actor: SYSTEM });
  });

  it.each(SYSTEM_EVENT_TYPES.flatMap((type) => [officer, procurator, admin].map((actor) => [type, name(actor), actor] as const)))(
    'a system event %s sent by %s',
    (type, _, actor) => expectRefused(reach('received'), ev(type, actor)),
  );

  // Wrong state, exhaustively: each event is accepted exactly in the states of its row, from either side.
  const FROM_STATES: [(side: Side) => Event, readonly LeafState[]][] = [
    [() => ev('RECEIVE', officer), ['transferred']],
    [() => ev('DECIDE', officer), ['received']],
    [() => ev('REPLY', officer), ['decided']],
    [(side) => ev('CHASE', SIDES[side].chaser), OPEN_STATES],
    [(side) => ev('WITHDRAW', SIDES[side].sender), ['transferred']],
    [() => ev('COMMENT', admin), LEAF_STATES],
    [() => ev('DEADLINE_REMINDER', SYSTEM), OPEN_STATES],
    [() => ev('DEADLINE_EXPIRED', SYSTEM), OPEN_STATES],
  ];
  it('FROM_STATES has a row for every event type', () => {
    expect(FROM_STATES.map(([e]) => e('police').type).sort()).toEqual([...CLIENT_EVENT_TYPES, ...SYSTEM_EVENT_TYPES].sort());
  });
  it.each(bySide(FROM_STATES).map(([side, [e, states]]) => [e(side).type, side, e(side), states] as const))(
    '%s (from the %s) is accepted exactly in the states of its row',
    (_, side, event, states) => {
      expect(LEAF_STATES.filter((state) => reach(state, side).can(event))).toEqual(LEAF_STATES.filter((s) => states.includes(s)));
      for (const state of LEAF_STATES.filter((s) => !states.includes(s))) expectRefused(reach(state, side), event);
    },
  );
});

describe('DECIDE must be complete', () => {
  it.each<[string, Partial<PayloadOf<'DECIDE'>>]>([
    ['a penalty without a decision number', { ...PENALTY, decisionNo: undefined }],
    ['a penalty with a blank decision number', { ...PENALTY, decisionNo: '  ' }],
    ['a penalty without kinds', { ...PENALTY, penaltyKinds: undefined }],
    ['a penalty with no kind', { ...PENALTY, penaltyKinds: [] }],
    ['no penalty without reasons', { ...NO_PENALTY, reasons: '' }],
    ['no penalty with blank reasons', { ...NO_PENALTY, reasons: ' \n' }],
    ['no penalty naming a penalty kind', { ...NO_PENALTY, penaltyKinds: ['warning'] }],
    ['no penalty with a fine', { ...NO_PENALTY, fineAmount: '100.00' }],
  ])('refused: %s', (_, payload) => {
    expectRefused(reach('received'), decide(payload));
  });

  it('no penalty needs no decision number or kinds, and keeps a decision number if given', () => {
    const [after] = act(reach('received'), decide(NO_PENALTY));
    expect(after.context.decision).toEqual({ ...NO_PENALTY, decisionNo: null, penaltyKinds: [], fineAmount: null });
    const [numbered] = act(reach('received'), decide({ ...NO_PENALTY, decisionNo: 'BY-2026-3' }));
    expect(numbered.context.decision).toMatchObject({ decision: 'no-penalty', decisionNo: 'BY-2026-3' });
  });

  it('the allowedEvents probe (no decision yet) offers DECIDE to the agency', () => {
    expect(reach('received').can({ type: 'DECIDE', actor: officer } as never)).toBe(true);
    expect(allowedEvents(reach('received'), officer)).toEqual(['DECIDE', 'COMMENT']);
  });

  it.each<[PayloadOf<'DECIDE'>, string]>([
    [PENALTY, 'penalty-imposed'],
    [NO_PENALTY, 'no-penalty'],
  ])('the reply closes the case with the decision as its outcome (%j)', (decision, outcome) => {
    const [decided] = act(reach('received'), decide(decision));
    expect(decided.context.outcome).toBeNull();
    const [replied] = act(decided, ev('REPLY', officer));
    expect(replied.status).toBe('done');
    expect(replied.context.outcome).toBe(outcome);
  });
});

describe('CHASE', () => {
  it('adds the flag once and counts every chase', () => {
    let snapshot = reach('transferred', 'police');
    for (const event of [ev('CHASE', overseer), ev('RECEIVE', officer), ev('CHASE', overseer), ev('CHASE', overseer)]) {
      [snapshot] = act(snapshot, event);
    }
    expect(snapshot.context).toMatchObject({ flags: ['chased'], chaseCount: 3 });
  });

  it.each(bySide(FINAL_STATES))('from the %s, refused in %s', (side, state) => {
    expectRefused(reach(state, side), ev('CHASE', SIDES[side].chaser));
  });
});

describe('who may do what, state by state', () => {
  it.each<[Side, LeafState, Actor, string[]]>([
    ['police', 'transferred', officer, ['RECEIVE', 'COMMENT']],
    ['police', 'transferred', policeLead, ['WITHDRAW', 'COMMENT']],
    ['police', 'transferred', overseer, ['CHASE', 'COMMENT']],
    ['procuratorate', 'transferred', procurator, ['CHASE', 'WITHDRAW', 'COMMENT']],
    ['procuratorate', 'received', procurator, ['CHASE', 'COMMENT']],
    ['procuratorate', 'decided', officer, ['REPLY', 'COMMENT']],
    ['police', 'decided', policeLead, ['COMMENT']],
  ])('from the %s, in %s, %s may send %j', (side, state, actor, types) => {
    expect(allowedEvents(reach(state, side), actor)).toEqual(types);
  });
});

describe('final states', () => {
  it.each(
    bySide(FINAL_STATES).flatMap(([side, state]) =>
      CLIENT_EVENT_TYPES.filter((t) => t !== 'COMMENT').map((t) => [side, state, t] as const),
    ),
  )('from the %s, %s refuses %s from everyone', (side, state, type) => {
    for (const actor of [...PEOPLE, SYSTEM]) expectRefused(reach(state, side), ev(type, actor));
  });

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
  const deadlinesToReply = (side: Side) =>
    deadlineIntents(replay(initialTransition(machine, SIDES[side].input), PATHS.replied()).intents);

  it('from the police: the receipt only', () => {
    expect(deadlinesToReply('police')).toEqual([
      schedules('reverse-receipt'),
      meets('reverse-receipt'),
      meets('reverse-reply'),
      CANCEL_ALL,
    ]);
  });

  it('from the procuratorate: the receipt, then the reply on its opinion', () => {
    expect(deadlinesToReply('procuratorate')).toEqual([
      schedules('reverse-receipt'),
      meets('reverse-receipt'),
      schedules('reverse-reply'),
      meets('reverse-reply'),
      CANCEL_ALL,
    ]);
  });

  it('an expired receipt is breached but the agency may still acknowledge', () => {
    const [breached] = act(reach('transferred'), ev('DEADLINE_EXPIRED', SYSTEM));
    expect(stateKey(breached)).toBe('transferred');
    expect(allowedEvents(breached, officer)).toEqual(['RECEIVE', 'COMMENT']);
  });

  it('DEADLINE_RULES: 3 working days for the receipt, 2 months for the reply, both on the agency', () => {
    expect(Object.keys(DEADLINE_RULES)).toEqual([...DEADLINE_KINDS]);
    expect(DEADLINE_RULES['reverse-receipt']).toMatchObject({
      period: { unit: 'working-days', length: 3 },
      responsible: 'target',
    });
    expect(DEADLINE_RULES['reverse-reply']).toMatchObject({ period: { unit: 'months', length: 2 }, responsible: 'target' });
  });
});

describe('persistence round trip', () => {
  it.each(bySide(LEAF_STATES))('from the %s, %s resumes identically', (side, state) => {
    const original = reach(state, side);
    const restored = roundTrip(original);
    expect(stateKey(restored)).toBe(state);
    expect(restored.status).toBe(original.status);
    expect(restored.context).toEqual(original.context);
    for (const actor of [...PEOPLE, SYSTEM]) expect(allowedEvents(restored, actor)).toEqual(allowedEvents(original, actor));
  });

  it('the procuratorial opinion survives: a restored case still schedules the reply at receipt', () => {
    const [, out] = act(roundTrip(reach('transferred', 'procuratorate')), ev('RECEIVE', officer));
    expect(out).toContainEqual(schedules('reverse-reply'));
  });
});

// ---- paths, from the machine itself (xstate/graph) ---------------------------------

describe('path coverage (xstate/graph)', () => {
  const events = (side: Side): Event[] => [
    ev('RECEIVE', officer),
    ev('DECIDE', officer, PENALTY),
    decide(NO_PENALTY),
    ev('REPLY', officer),
    ev('CHASE', SIDES[side].chaser),
    ev('WITHDRAW', SIDES[side].sender),
    ev('COMMENT', officer),
    ev('DEADLINE_REMINDER', SYSTEM),
    ev('DEADLINE_EXPIRED', SYSTEM),
  ];
  // chaseCount does not change behaviour: leaving it out keeps the graph finite.
  const serializeState = (snapshot: Snap) =>
    JSON.stringify([snapshot.value, snapshot.context.decision?.decision ?? null, snapshot.context.outcome]);
  const traverse = (side: Side, fromState?: Snap) =>
    getShortestPaths(machine, { input: SIDES[side].input, events: events(side), serializeState, fromState, limit: 1_000 });

  it('the event set covers every event type', () => {
    const types = new Set(events('police').map((e) => e.type));
    expect([...CLIENT_EVENT_TYPES, ...SYSTEM_EVENT_TYPES].filter((t) => !types.has(t))).toEqual([]);
  });

  it.each(SIDE_NAMES)('from the %s, every leaf state is reached, and both outcomes of a reply', (side) => {
    const paths = traverse(side);
    expect([...new Set(paths.map((p) => stateKey(p.state)))].sort()).toEqual([...LEAF_STATES].sort());
    expect(new Set(paths.map((p) => p.state.context.outcome))).toEqual(
      new Set([null, 'no-penalty', 'penalty-imposed', 'withdrawn']),
    );
  });

  it.each(SIDE_NAMES)('from the %s, every shortest path replays and returns only intents, with known templates', (side) => {
    const templates = new Set<string>(NOTIFICATION_TEMPLATES);
    for (const path of traverse(side)) {
      const [first, ...rest] = path.steps;
      expect(first.event.type).toBe('xstate.init');
      const { snapshot, intents: returned } = replay(
        initialTransition(machine, SIDES[side].input),
        rest.map((step) => step.event as Event),
      );
      expect(serializeState(snapshot)).toBe(serializeState(path.state));
      expect(returned.filter((i) => !(INTENT_TYPES as readonly string[]).includes(i.type))).toEqual([]);
      for (const i of returned) if (i.type === 'notify') expect(templates.has(i.template)).toBe(true);
    }
  });

  it.each(
    bySide<[LeafState, LeafState[]]>([
      ['transferred', ['replied', 'withdrawn']],
      ['received', ['replied']],
      ['decided', ['replied']],
    ]),
  )('from the %s, from %j the final states are reachable', (side, [state, finals]) => {
    const reached = traverse(side, reach(state, side)).filter((p) => p.state.status === 'done');
    expect([...new Set(reached.map((p) => stateKey(p.state)))].sort()).toEqual(finals);
  });

  it.each(bySide(FINAL_STATES))('from the %s, from %s nothing else is reachable', (side, state) => {
    expect(traverse(side, reach(state, side)).map((p) => serializeState(p.state))).toEqual([serializeState(reach(state, side))]);
  });
});

describe('the workflow definition', () => {
  it('has a sender rule for every client event, and none besides', () => {
    expect(Object.keys(EVENT_SENDERS).sort()).toEqual([...CLIENT_EVENT_TYPES].sort());
    expect(Object.keys(reverseTransferWorkflow.senders).sort()).toEqual([...CLIENT_EVENT_TYPES].sort());
  });

  it('lists the shared templates among its own', () => {
    expect(reverseTransferWorkflow.templates).toEqual(
      expect.arrayContaining(['deadline-reminder', 'deadline-breached', 'deadline-escalated', 'comment-added']),
    );
  });

  it('names its final states, events and deadline periods', () => {
    const wf = reverseTransferWorkflow;
    expect(wf).toMatchObject({ name: 'reverse-transfer', version: '1', machine });
    expect(wf.finalStates).toEqual(MACHINE_FINAL_STATES);
    expect(wf.clientEventTypes).toEqual(CLIENT_EVENT_TYPES);
    expect(wf.periodOf('reverse-receipt', start().context)).toEqual({ unit: 'working-days', length: 3 });
    expect(wf.periodOf('reverse-reply', start().context)).toEqual({ unit: 'months', length: 2 });
    expect(wf.periodOf('no-such-kind', start().context)).toBeNull();
  });
});
