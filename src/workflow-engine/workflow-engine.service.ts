// The only code that runs the referral statechart, always inside the caller's
// transaction. The caller locks the referral (404 outside its scope), runs the
// checks that need the locked row, then steps it: 412 stale If-Match, 403 a role
// or relation that may never send this event, 409 not now; otherwise the new
// snapshot, the hash-chained timeline row, deadlines and outbox rows are written,
// and the step's result is everything the caller needs to answer.
import { Injectable } from '@nestjs/common';
import { initialTransition, transition, type SnapshotFrom } from 'xstate';
import { actorMatches, EVENT_SENDERS } from '../../workflows/referral/referral.senders';
import { intentsOf } from '../../workflows/referral/referral.intents';
import type { ReferralMachine } from '../../workflows/referral/referral.machine';
import {
  CLIENT_EVENT_TYPES,
  type Actor,
  type ClientEvent,
  type ReferralContext,
  type ReferralEventPayload,
  type SystemEvent,
} from '../../workflows/referral/referral.types';
import type { EntityManager } from 'typeorm';
import { stateNames } from '../../workflows/state-names';
import { chainHash, GENESIS_HASH } from '../audit/hash-chain';
import type { Principal } from '../auth/principal';
import { relationsOf, type ScopedReferral } from '../auth/scope';
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
import { CURRENT_REFERRAL_VERSION, referralMachineFor } from './machine-registry';

type ReferralSnapshot = SnapshotFrom<ReferralMachine>;

/** The deadline processor sends DEADLINE_* events as this actor. */
export const SYSTEM = 'system' as const;
export type Sender = Principal | typeof SYSTEM;

const SYSTEM_ACTOR: Actor = { userId: null, agencyId: null, roles: [], relations: [], system: true };

export type { ReferralRow } from '../referrals/referrals.repository';

/** A referral locked for one step: its row, the agencies with tasks on it, and the head of its timeline. */
export interface LockedReferral {
  row: ReferralRow;
  taskAgencyIds: string[];
  head: { seq: number; hash: string };
}

/** What a step wrote: the referral as it is now (row and restored snapshot) and the timeline seq. */
export interface StepResult {
  row: ReferralRow;
  snapshot: ReferralSnapshot;
  context: ReferralContext;
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
  >;
}

const scopedOf = (row: ReferralRow): ScopedReferral => ({
  sourceAgencyId: row.sourceAgencyId,
  targetAgencyId: row.targetAgencyId,
  regionCode: row.regionCode,
});

@Injectable()
export class WorkflowEngine {
  constructor(
    private readonly effects: EffectsWriter,
    private readonly clock: Clock,
    private readonly events: EngineEvents,
  ) {}

  /** Submission: the machine's initial transition creates the referral, its clocks and its first timeline row. */
  async submit(
    tx: EntityManager,
    referral: NewReferral,
    principal: Principal,
    payload: Record<string, unknown>,
  ): Promise<StepResult> {
    const machine = referralMachineFor(CURRENT_REFERRAL_VERSION);
    const [snapshot, actions] = initialTransition(machine, {
      sourceAgencyId: referral.sourceAgencyId,
      targetAgencyId: referral.targetAgencyId,
    });
    const now = this.clock.now();
    const { state, stateDetail } = stateNames(snapshot);
    const f = referral.fields;
    const actor = this.actorFor(principal, { ...referral }, []);
    const event = this.timelineRow(referral.id, 1, GENESIS_HASH, 'SUBMIT', actor, null, state, payload, now);
    const row = await insertReferral(
      tx,
      {
        ...f,
        id: referral.id,
        referenceNo: referral.referenceNo,
        sourceAgencyId: referral.sourceAgencyId,
        targetAgencyId: referral.targetAgencyId,
        regionCode: referral.regionCode,
        state,
        stateDetail,
        machineVersion: CURRENT_REFERRAL_VERSION,
        snapshot: machine.getPersistedSnapshot(snapshot),
        createdBy: principal.userId,
        updatedAt: now,
      },
      event,
    );
    await this.effects.apply(intentsOf(actions), {
      tx,
      referralId: referral.id,
      regionCode: referral.regionCode,
      context: snapshot.context,
      seq: 1,
      now,
    });
    return { row, snapshot, context: snapshot.context, seq: 1 };
  }

  /**
   * Locks the referral for a step (every writer to a referral takes this lock first),
   * with the caller's scope in the SQL: outside it, or missing, 404. `event` names what
   * the lock is for, so a refusal here is reported like the others.
   */
  async lock(tx: EntityManager, referralId: string, sender: Sender, event?: string): Promise<LockedReferral> {
    let row: ReferralRow;
    try {
      // Only the row: values joined in would come from the snapshot taken before
      // waiting for the lock, and a writer that held it may have changed them.
      row = await lockReferral(tx, sender === SYSTEM ? null : sender, referralId);
    } catch (e) {
      if (event) this.events.report({ event, outcome: { error: e } });
      throw e;
    }
    // Task agencies exist only once a rectification plan was adopted (its tasks are in the context).
    const planned = ((row.snapshot as { context?: ReferralContext })?.context?.tasks?.length ?? 0) > 0;
    const taskAgencyIds = planned ? await taskAgenciesOf(tx, row.id) : [];
    const head = row.timelineSeq !== null ? { seq: row.timelineSeq, hash: row.timelineHash! } : await chainHead(tx, row.id);
    return { row, taskAgencyIds, head: head! };
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
    payload: ReferralEventPayload,
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

  /** For a caller that decided under the lock that there is nothing to do (a stale deadline job). */
  skipped(event: string): void {
    this.events.report({ event, outcome: 'skipped' });
  }

  private async apply(
    tx: EntityManager,
    { row, taskAgencyIds, head }: LockedReferral,
    sender: Sender,
    payload: ReferralEventPayload,
    { ifMatch, deadline }: { ifMatch?: number; deadline?: { id: string; responsibleAgencyId: string } },
  ): Promise<StepResult> {
    if (ifMatch !== undefined && row.version !== ifMatch) {
      throw new DomainException('VERSION_CONFLICT', `The referral is at version ${row.version}, not ${ifMatch}`, {
        currentVersion: row.version,
      });
    }
    const actor = sender === SYSTEM ? SYSTEM_ACTOR : this.actorFor(sender, scopedOf(row), taskAgencyIds);
    const machine = referralMachineFor(row.machineVersion);
    const snapshot = machine.resolveState(row.snapshot as never) as ReferralSnapshot;
    const event = { ...payload, actor } as Parameters<typeof snapshot.can>[0];

    if (sender !== SYSTEM && !actorMatches(actor, EVENT_SENDERS[payload.type as ClientEvent['type']])) {
      throw forbidden(`Your role or agency may not send ${payload.type} on this referral`);
    }
    if (!snapshot.can(event)) {
      throw new DomainException('TRANSITION_NOT_ALLOWED', `${payload.type} is not allowed in state ${row.state}`, {
        allowedEvents: sender === SYSTEM ? [] : allowedEvents(snapshot, actor),
      });
    }

    const [next, actions] = transition(machine, snapshot, event);
    const now = this.clock.now();
    const { state, stateDetail } = stateNames(next);
    const ctx = next.context as ReferralContext;
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
        updatedAt: now,
      },
      timeline,
    );
    await this.effects.apply(intentsOf(actions), {
      tx,
      referralId: row.id,
      regionCode: row.regionCode,
      context: ctx,
      deadline,
      seq,
      now,
    });
    return { row: updated, snapshot: next as ReferralSnapshot, context: ctx, seq };
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

  /** The client events this principal may send now: the machine's `can` over every type. */
  allowedEventsFor(principal: Principal, row: ReferralRow, taskAgencyIds: string[], snapshot?: ReferralSnapshot): string[] {
    const restored = snapshot ?? (referralMachineFor(row.machineVersion).resolveState(row.snapshot as never) as ReferralSnapshot);
    return allowedEvents(restored, this.actorFor(principal, scopedOf(row), taskAgencyIds));
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

function allowedEvents(snapshot: ReferralSnapshot, actor: Actor): string[] {
  return CLIENT_EVENT_TYPES.filter((type) => actorMatches(actor, EVENT_SENDERS[type]) && snapshot.can({ type, actor } as never));
}

function stripActor(payload: ReferralEventPayload | SystemEvent): Record<string, unknown> {
  const { type: _type, ...rest } = payload as Record<string, unknown>;
  delete rest.actor;
  return rest;
}
