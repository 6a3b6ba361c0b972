// The only code that runs statecharts, always inside the caller's transaction.
// Every procedure (workflows/<name>/) is an instance row of the referrals table
// (docs/architecture.md), run by the definition its row names. The caller locks the referral (404 outside its scope), runs the
// checks that need the locked row, then steps it: 412 stale If-Match, 403 a role
// or relation that may never send this event, 409 not now; otherwise the new
// snapshot, the hash-chained timeline row, deadlines and outbox rows are written,
// and the step's result is everything the caller needs to answer.
import { Injectable } from '@nestjs/common';
import { initialTransition, transition, type AnyMachineSnapshot } from 'xstate';
import { actorMatches, intentsOf, type Actor, type ProcedureContext, type WorkflowDefinition } from '../../workflows/procedure';
import type { EntityManager } from 'typeorm';
import { stateNames } from '../../workflows/state-names';
import { chainHash, GENESIS_HASH } from '../audit/hash-chain';
import type { Principal } from '../auth/principal';
import { relationsOf, targetPoliceRegion, type ScopedReferral } from '../auth/scope';
import { chainHead } from '../audit/referral-events.repository';
import { Clock } from '../common/clock';
import { DomainException, forbidden } from '../common/problem';
import {
  appendFact,
  insertReferral,
  lockReferral,
  taskAgenciesOf,
  type NewReferralRow,
  updateReferralStepped,
  type ReferralRow,
} from '../referrals/referrals.repository';
import { insertOutbox } from '../outbox/outbox.repository';
import { EffectsWriter, timelineRow } from './effects';
import { EngineEvents } from './engine-events';
import { currentDefinition, definitionFor } from './workflow-registry';

type Snapshot = AnyMachineSnapshot;

/** An event as a caller hands it to the engine: its type and its fields (validated by the caller's DTO). */
export type EventPayload = { type: string } & Record<string, unknown>;

/** The deadline processor sends DEADLINE_* events as this actor. */
export const SYSTEM = 'system' as const;
export type Sender = Principal | typeof SYSTEM;

const SYSTEM_ACTOR: Actor = { userId: null, agencyId: null, roles: [], relations: [], system: true };

export type { ReferralRow } from '../referrals/referrals.repository';

/** An instance locked for one step: its row, the agencies with tasks on it, and the head of its timeline. */
export interface LockedReferral {
  row: ReferralRow;
  taskAgencyIds: string[];
  head: { seq: number; hash: string };
  /** The target police unit's region, read when the sender may stand above it (the 'superior' relation). */
  targetPoliceRegion?: string;
}

/** What a step wrote: the referral as it is now (row and restored snapshot) and the timeline seq. */
export interface StepResult<C extends ProcedureContext = ProcedureContext> {
  row: ReferralRow;
  snapshot: Snapshot;
  context: C;
  seq: number;
}

export interface NewReferral {
  id: string;
  referenceNo: string;
  sourceAgencyId: string;
  targetAgencyId: string;
  regionCode: string;
  /** What the submitting agency wrote (the referral's own columns). */
  fields: Pick<
    NewReferralRow,
    'domain' | 'title' | 'summary' | 'suspects' | 'amountInvolved' | 'offence' | 'legalBasis' | 'campaign' | 'externalRef'
  > &
    Partial<Pick<NewReferralRow, 'facts' | 'originId' | 'adminCaseId'>>;
}

const scopedOf = (row: ReferralRow, targetRegion?: string): ScopedReferral => ({
  sourceAgencyId: row.sourceAgencyId,
  targetAgencyId: row.targetAgencyId,
  regionCode: row.regionCode,
  targetPoliceRegion: targetRegion,
});

@Injectable()
export class WorkflowEngine {
  constructor(
    private readonly effects: EffectsWriter,
    private readonly clock: Clock,
    private readonly events: EngineEvents,
  ) {}

  /**
   * The start of an instance of `workflow` (a referral's SUBMIT): the machine's initial
   * transition creates the row, its clocks and its first timeline row (the definition's startEvent).
   */
  async start(
    tx: EntityManager,
    workflow: string,
    referral: NewReferral,
    principal: Principal,
    payload: Record<string, unknown>,
  ): Promise<StepResult> {
    const def = currentDefinition(workflow);
    if (!def) throw new Error(`No workflow ${workflow} is registered`);
    const machine = def.machine;
    const [snapshot, actions] = initialTransition(
      machine,
      def.input(
        { sourceAgencyId: referral.sourceAgencyId, targetAgencyId: referral.targetAgencyId },
        referral.fields.facts ?? {},
      ),
    );
    const now = this.clock.now();
    const { state, stateDetail } = stateNames(snapshot);
    const f = referral.fields;
    const actor = this.actorFor(principal, { ...referral }, []);
    const event = this.timelineRow(referral.id, 1, GENESIS_HASH, def.startEvent, actor, null, state, payload, now);
    const row = await insertReferral(
      tx,
      {
        facts: {},
        originId: null,
        adminCaseId: null,
        ...f,
        workflow: def.name,
        id: referral.id,
        referenceNo: referral.referenceNo,
        sourceAgencyId: referral.sourceAgencyId,
        targetAgencyId: referral.targetAgencyId,
        regionCode: referral.regionCode,
        state,
        stateDetail,
        machineVersion: def.version,
        snapshot: machine.getPersistedSnapshot(snapshot),
        createdBy: principal.userId,
        updatedAt: now,
      },
      event,
    );
    await this.effects.apply(intentsOf(actions), {
      tx,
      definition: def,
      referralId: referral.id,
      regionCode: referral.regionCode,
      context: snapshot.context,
      seq: 1,
      now,
    });
    return { row, snapshot, context: snapshot.context, seq: 1 };
  }

  /**
   * Locks the instance for a step (every writer to an instance takes this lock first),
   * with the caller's scope in the SQL: outside it, missing, or (when `workflow` is
   * named) of another procedure, 404. `event` names what the lock is for, so a
   * refusal here is reported like the others.
   */
  async lock(tx: EntityManager, referralId: string, sender: Sender, event?: string, workflow?: string): Promise<LockedReferral> {
    let row: ReferralRow;
    try {
      // Only the row: values joined in would come from the snapshot taken before
      // waiting for the lock, and a writer that held it may have changed them.
      row = await lockReferral(tx, sender === SYSTEM ? null : sender, referralId, workflow);
    } catch (e) {
      if (event) this.events.report({ event, outcome: { error: e } });
      throw e;
    }
    // Task agencies exist only once a rectification plan was adopted (its tasks are in the context).
    const planned = ((row.snapshot as { context?: ProcedureContext })?.context?.tasks?.length ?? 0) > 0;
    const taskAgencyIds = planned ? await taskAgenciesOf(tx, row.id) : [];
    const head = row.timelineSeq !== null ? { seq: row.timelineSeq, hash: row.timelineHash! } : await chainHead(tx, row.id);
    const targetRegion = await targetPoliceRegion(tx, sender === SYSTEM ? null : sender, row.targetAgencyId);
    return { row, taskAgencyIds, head: head!, targetPoliceRegion: targetRegion };
  }

  /**
   * Applies one event to a locked referral. Refusals, in order: 412 stale If-Match,
   * 403 a role or relation that may never send this event, 409 not now.
   * `deadline` is the deadline a DEADLINE_* event is about.
   */
  async step(
    tx: EntityManager,
    locked: LockedReferral,
    sender: Sender,
    payload: EventPayload,
    options: { ifMatch?: number; deadline?: { id: string; responsibleAgencyId: string } } = {},
  ): Promise<StepResult> {
    try {
      const result = await this.apply(tx, locked, sender, payload, options);
      this.events.report({ event: payload.type, outcome: 'applied' });
      return result;
    } catch (e) {
      this.events.report({ event: payload.type, outcome: { error: e } });
      throw e;
    }
  }

  /** How the principal's agency stands to the locked instance (for checks that only concern a sender who may act). */
  relationsTo(locked: LockedReferral, principal: Principal) {
    return this.actorFor(principal, scopedOf(locked.row, locked.targetPoliceRegion), locked.taskAgencyIds).relations;
  }

  /** For a caller that decided under the lock that there is nothing to do (a stale deadline job). */
  skipped(event: string): void {
    this.events.report({ event, outcome: 'skipped' });
  }

  private async apply(
    tx: EntityManager,
    { row, taskAgencyIds, head, targetPoliceRegion: targetRegion }: LockedReferral,
    sender: Sender,
    payload: EventPayload,
    { ifMatch, deadline }: { ifMatch?: number; deadline?: { id: string; responsibleAgencyId: string } },
  ): Promise<StepResult> {
    if (ifMatch !== undefined && row.version !== ifMatch) {
      throw new DomainException('VERSION_CONFLICT', `The ${noun(row)} is at version ${row.version}, not ${ifMatch}`, {
        currentVersion: row.version,
      });
    }
    const actor = sender === SYSTEM ? SYSTEM_ACTOR : this.actorFor(sender, scopedOf(row, targetRegion), taskAgencyIds);
    const def = definitionFor(row.workflow, row.machineVersion);
    const machine = def.machine;
    const snapshot = machine.resolveState(row.snapshot as never) as Snapshot;
    const event = { ...payload, actor } as Parameters<typeof snapshot.can>[0];

    const rule = def.senders[payload.type];
    if (sender !== SYSTEM && (!rule || !actorMatches(actor, rule))) {
      throw forbidden(`Your role or agency may not send ${payload.type} on this ${noun(row)}`);
    }
    if (!snapshot.can(event)) {
      throw new DomainException('TRANSITION_NOT_ALLOWED', `${payload.type} is not allowed in state ${row.state}`, {
        allowedEvents: sender === SYSTEM ? [] : allowedEvents(def, snapshot, actor),
      });
    }

    const [next, actions] = transition(machine, snapshot, event);
    const now = this.clock.now();
    const { state, stateDetail } = stateNames(next);
    const ctx = next.context as ProcedureContext;
    const seq = head.seq + 1;
    const timeline = this.timelineRow(row.id, seq, head.hash, payload.type, actor, row.state, state, stripActor(payload), now);
    // The new snapshot and its timeline row in one statement.
    const updated = await updateReferralStepped(
      tx,
      row.id,
      {
        snapshot: machine.getPersistedSnapshot(next),
        state,
        stateDetail,
        outcome: ctx.outcome,
        flags: ctx.flags,
        targetAgencyId: ctx.targetAgencyId,
        formerTargetIds: ctx.formerTargetIds ?? [],
        updatedAt: now,
      },
      timeline,
    );
    await this.effects.apply(intentsOf(actions), {
      tx,
      definition: def,
      referralId: row.id,
      regionCode: row.regionCode,
      context: ctx,
      deadline,
      seq,
      now,
    });
    return { row: updated, snapshot: next, context: ctx, seq };
  }

  /**
   * Records a fact about a locked referral that is not a step of the procedure (e.g.
   * ATTACHMENT_ADDED): a hash-chained timeline row with fromState = toState = the
   * current state, and its 'timeline' outbox row (webhook fan-out). The machine is not
   * asked and the version is not bumped: nothing the machine decides on changed, and a
   * client's If-Match must not go stale because someone added a document.
   */
  async recordFact(
    tx: EntityManager,
    { row, taskAgencyIds, head }: LockedReferral,
    principal: Principal,
    type: string,
    payload: Record<string, unknown>,
  ): Promise<{ seq: number }> {
    const actor = this.actorFor(principal, scopedOf(row), taskAgencyIds);
    const seq = head.seq + 1;
    const timeline = this.timelineRow(row.id, seq, head.hash, type, actor, row.state, row.state, payload, this.clock.now());
    // The version stays; only the chain's head moves.
    await appendFact(tx, timeline);
    await insertOutbox(tx, [timelineRow(row.id, seq)]);
    return { seq };
  }

  /**
   * The client events this principal may send now: the machine's `can` over every type.
   * `targetRegion`: the target's region when it is a police unit (for the 'superior' relation).
   */
  allowedEventsFor(
    principal: Principal,
    row: ReferralRow,
    taskAgencyIds: string[],
    snapshot?: Snapshot,
    targetRegion?: string,
  ): string[] {
    const def = definitionFor(row.workflow, row.machineVersion);
    const restored = snapshot ?? (def.machine.resolveState(row.snapshot as never) as Snapshot);
    return allowedEvents(def, restored, this.actorFor(principal, scopedOf(row, targetRegion), taskAgencyIds));
  }

  private actorFor(principal: Principal, referral: ScopedReferral, taskAgencyIds: string[]): Actor {
    return {
      userId: principal.userId,
      agencyId: principal.agency.id,
      roles: principal.roles,
      relations: relationsOf(principal, referral, taskAgencyIds),
      system: false,
    };
  }

  /** The twelve values of a timeline row, its hash chained to the previous one. */
  private timelineRow(
    referralId: string,
    seq: number,
    prevHash: string,
    type: string,
    actor: Actor,
    fromState: string | null,
    toState: string,
    payload: Record<string, unknown>,
    now: Date,
  ): unknown[] {
    const occurredAt = now.toISOString();
    const chainActor = { userId: actor.userId, agencyId: actor.agencyId, system: actor.system };
    const hash = chainHash(prevHash, { referralId, seq, type, actor: chainActor, fromState, toState, payload, occurredAt });
    return [
      referralId,
      seq,
      type,
      actor.userId,
      actor.agencyId,
      actor.system,
      fromState,
      toState,
      payload,
      occurredAt,
      prevHash,
      hash,
    ];
  }
}

function allowedEvents(def: WorkflowDefinition, snapshot: Snapshot, actor: Actor): string[] {
  return def.clientEventTypes.filter((type) => actorMatches(actor, def.senders[type]) && snapshot.can({ type, actor } as never));
}

/** What people call an instance in messages: 'referral', 'transfer-recommendation'… */
const noun = (row: ReferralRow) => row.workflow;

function stripActor(payload: EventPayload): Record<string, unknown> {
  const { type: _type, ...rest } = payload as Record<string, unknown>;
  delete rest.actor;
  return rest;
}
