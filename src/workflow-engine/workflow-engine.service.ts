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
import { relationsOf, scopeCondition, type ScopedReferral } from '../auth/scope';
import { Clock } from '../common/clock';
import { DomainException, forbidden, notFound } from '../common/problem';
import { SqlParams } from '../common/sql-params';
import { insertOutbox } from '../outbox/outbox.repository';
import { EffectsWriter, timelineRow } from './effects';
import { EngineEvents } from './engine-events';
import { CURRENT_REFERRAL_VERSION, referralMachineFor } from './machine-registry';

type ReferralSnapshot = SnapshotFrom<ReferralMachine>;

/** The deadline processor sends DEADLINE_* events as this actor. */
export const SYSTEM = 'system' as const;
export type Sender = Principal | typeof SYSTEM;

const SYSTEM_ACTOR: Actor = { userId: null, agencyId: null, roles: [], relations: [], system: true };

/** A referrals row as `SELECT r.*` gives it (snake_case columns). */
export type ReferralRecord = Record<string, any> & {
  id: string;
  version: number;
  machine_version: string;
  snapshot: unknown;
  state: string;
  source_agency_id: string;
  target_agency_id: string;
  region_code: string;
};

/** A referral locked for one step: its row, the agencies with tasks on it, and the head of its timeline. */
export interface LockedReferral {
  row: ReferralRecord;
  taskAgencyIds: string[];
  head: { seq: number; hash: string };
}

/** What a step wrote: the referral as it is now (row and restored snapshot) and the timeline seq. */
export interface StepResult {
  row: ReferralRecord;
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
  fields: {
    domain: string;
    title: string;
    summary: string;
    suspects: unknown[];
    amountInvolved: string | null;
    offence: string | null;
    legalBasis: string | null;
    campaign: string | null;
    externalRef: string | null;
  };
}

const scopedOf = (row: ReferralRecord): ScopedReferral => ({
  sourceAgencyId: row.source_agency_id,
  targetAgencyId: row.target_agency_id,
  regionCode: row.region_code,
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
    const [row]: ReferralRecord[] = await tx.query(
      `WITH event AS (${INSERT_EVENT('$21')})
       INSERT INTO referrals (id, reference_no, source_agency_id, target_agency_id, region_code, domain, title, summary,
                              suspects, amount_involved, offence, legal_basis, campaign, external_ref, state, state_detail,
                              outcome, flags, version, machine_version, snapshot, created_by, created_at, updated_at,
                              timeline_seq, timeline_hash)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, NULL, '{}', 1, $17, $18, $19, $20, $20,
               1, $32)
       RETURNING *`,
      [
        referral.id,
        referral.referenceNo,
        referral.sourceAgencyId,
        referral.targetAgencyId,
        referral.regionCode,
        f.domain,
        f.title,
        f.summary,
        JSON.stringify(f.suspects),
        f.amountInvolved,
        f.offence,
        f.legalBasis,
        f.campaign,
        f.externalRef,
        state,
        stateDetail,
        CURRENT_REFERRAL_VERSION,
        machine.getPersistedSnapshot(snapshot),
        principal.userId,
        now,
        ...event,
      ],
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
    const params = new SqlParams();
    const id = params.add(referralId);
    const scope = sender === SYSTEM ? 'TRUE' : scopeCondition(sender, params);
    // Only the row: values joined in here would come from the snapshot taken before
    // waiting for the lock, and a writer that held it may have changed them.
    const [row]: ReferralRecord[] = await tx.query(
      `SELECT r.* FROM referrals r WHERE r.id = ${id} AND ${scope} FOR UPDATE OF r`,
      params.values,
    );
    if (!row) {
      const e = notFound('Referral');
      if (event) this.events.report({ event, outcome: { error: e } });
      throw e;
    }
    // Task agencies exist only once a rectification plan was adopted (its tasks are in the context).
    const planned = ((row.snapshot as { context?: ReferralContext })?.context?.tasks?.length ?? 0) > 0;
    const [extra] =
      row.timeline_seq === null || planned
        ? await tx.query(
            `SELECT ARRAY(SELECT DISTINCT t.agency_id::text FROM rectification_tasks t WHERE t.referral_id = $1) AS task_agency_ids,
                    (SELECT json_build_object('seq', seq, 'hash', hash) FROM referral_events
                      WHERE referral_id = $1 ORDER BY seq DESC LIMIT 1) AS head`,
            [row.id],
          )
        : [{ task_agency_ids: [], head: null }];
    const head = row.timeline_seq !== null ? { seq: row.timeline_seq, hash: row.timeline_hash } : extra.head;
    return { row, taskAgencyIds: extra.task_agency_ids, head };
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
    const machine = referralMachineFor(row.machine_version);
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
    const [[updated]]: [ReferralRecord[], number] = await tx.query(
      `WITH event AS (${INSERT_EVENT('$9')})
       UPDATE referrals SET snapshot = $2, state = $3, state_detail = $4, outcome = $5, flags = $6,
                            target_agency_id = $7, version = version + 1, updated_at = $8,
                            timeline_seq = $10, timeline_hash = $20
        WHERE id = $1 RETURNING *`,
      [
        row.id,
        machine.getPersistedSnapshot(next),
        state,
        stateDetail,
        ctx.outcome,
        ctx.flags,
        ctx.targetAgencyId,
        now,
        ...timeline,
      ],
    );
    await this.effects.apply(intentsOf(actions), {
      tx,
      referralId: row.id,
      regionCode: row.region_code,
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
    await tx.query(
      `WITH event AS (${INSERT_EVENT('$1')}) UPDATE referrals SET timeline_seq = $2, timeline_hash = $12 WHERE id = $1`,
      timeline,
    );
    await insertOutbox(tx, [timelineRow(row.id, seq)]);
    return { seq };
  }

  /** The client events this principal may send now: the machine's `can` over every type. */
  allowedEventsFor(principal: Principal, row: ReferralRecord, taskAgencyIds: string[], snapshot?: ReferralSnapshot): string[] {
    const restored =
      snapshot ?? (referralMachineFor(row.machine_version).resolveState(row.snapshot as never) as ReferralSnapshot);
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

/** INSERT of one timeline row whose twelve parameters start at `$first` (e.g. '$9'). */
function INSERT_EVENT(first: string): string {
  const n = Number(first.slice(1));
  const p = Array.from({ length: 12 }, (_, i) => `$${n + i}`);
  return `INSERT INTO referral_events (referral_id, seq, type, actor_user_id, actor_agency_id, actor_system, from_state,
                                       to_state, payload, occurred_at, prev_hash, hash)
          VALUES (${p[0]}::uuid, ${p.slice(1).join(', ')})`;
}

function allowedEvents(snapshot: ReferralSnapshot, actor: Actor): string[] {
  return CLIENT_EVENT_TYPES.filter((type) => actorMatches(actor, EVENT_SENDERS[type]) && snapshot.can({ type, actor } as never));
}

function stripActor(payload: ReferralEventPayload | SystemEvent): Record<string, unknown> {
  const { type: _type, ...rest } = payload as Record<string, unknown>;
  delete rest.actor;
  return rest;
}
