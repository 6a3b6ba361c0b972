// The only code that runs the referral statechart. One event = one database
// transaction: lock the referral, check version, scope and role, restore the
// snapshot, ask the machine, step it purely, and write the new snapshot, the
// timeline row (hash-chained), deadlines and outbox rows together.
import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
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
import { stateNames } from '../../workflows/state-names';
import { chainHash, GENESIS_HASH } from '../audit/hash-chain';
import type { Principal } from '../auth/principal';
import { findScopedReferral, relationsOf, type ScopedReferral } from '../auth/scope';
import { Clock } from '../common/clock';
import { DomainException, forbidden } from '../common/problem';
import { MetricsService } from '../ops/metrics.service';
import { OUTBOX_TOPICS, OutboxWriter } from '../outbox/outbox.writer';
import { EffectsWriter } from './effects';
import { CURRENT_REFERRAL_VERSION, referralMachineFor } from './machine-registry';

type ReferralSnapshot = SnapshotFrom<ReferralMachine>;

/** The deadline processor sends DEADLINE_* events as this actor. */
export const SYSTEM = 'system' as const;
export type Sender = Principal | typeof SYSTEM;

const SYSTEM_ACTOR: Actor = { userId: null, agencyId: null, roles: [], relations: [], system: true };

export interface ReferralRow extends ScopedReferral {
  id: string;
  version: number;
  machine_version: string;
  snapshot: unknown;
  state: string;
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

@Injectable()
export class WorkflowEngine {
  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly effects: EffectsWriter,
    private readonly clock: Clock,
    private readonly outbox: OutboxWriter,
    private readonly metrics: MetricsService,
  ) {}

  /** Submission: the machine's initial transition creates the referral, its clocks and its first timeline row. */
  async submit(tx: EntityManager, referral: NewReferral, principal: Principal, payload: Record<string, unknown>) {
    const machine = referralMachineFor(CURRENT_REFERRAL_VERSION);
    const [snapshot, actions] = initialTransition(machine, {
      sourceAgencyId: referral.sourceAgencyId,
      targetAgencyId: referral.targetAgencyId,
    });
    const now = this.clock.now();
    const { state, stateDetail } = stateNames(snapshot);
    const f = referral.fields;
    await tx.query(
      `INSERT INTO referrals (id, reference_no, source_agency_id, target_agency_id, region_code, domain, title, summary,
                              suspects, amount_involved, offence, legal_basis, campaign, external_ref, state, state_detail,
                              outcome, flags, version, machine_version, snapshot, created_by, created_at, updated_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, NULL, '{}', 1, $17, $18, $19, $20, $20)`,
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
      ],
    );
    const actor = this.actorFor(principal, referral, []);
    await this.appendEvent(tx, referral.id, 1, GENESIS_HASH, 'SUBMIT', actor, null, state, payload, now);
    await this.effects.apply(intentsOf(actions), {
      tx,
      referralId: referral.id,
      regionCode: referral.regionCode,
      context: snapshot.context,
      seq: 1,
      now,
    });
  }

  /**
   * Sends one event. Refusals, in order: 404 outside scope, 412 stale If-Match,
   * 403 a role or relation that may never send this event, 409 not now.
   * Returns false when the precondition says there is nothing to do (nothing is written).
   */
  async send(
    referralId: string,
    sender: Sender,
    payload: ReferralEventPayload,
    options: {
      ifMatch?: number;
      precondition?: (tx: EntityManager) => Promise<boolean>;
      /** Runs in the same transaction after the writes, e.g. to read the answer: if it fails, nothing is written. */
      afterWrite?: (tx: EntityManager) => Promise<void>;
    } = {},
  ): Promise<boolean> {
    const { ifMatch, precondition, afterWrite } = options;
    const sending = this.db.transaction(async (tx) => {
      const row = await this.lockReferral(tx, referralId, sender);
      // Checked under the referral's lock: e.g. "is this deadline still pending at this version?"
      if (precondition && !(await precondition(tx))) return false;
      if (ifMatch !== undefined && row.version !== ifMatch) {
        throw new DomainException('VERSION_CONFLICT', `The referral is at version ${row.version}, not ${ifMatch}`, {
          currentVersion: row.version,
        });
      }
      const actor = sender === SYSTEM ? SYSTEM_ACTOR : this.actorFor(sender, row, await this.taskAgencyIds(tx, row.id));
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
      await tx.query(
        `UPDATE referrals SET snapshot = $2, state = $3, state_detail = $4, outcome = $5, flags = $6,
                              target_agency_id = $7, version = version + 1, updated_at = $8
          WHERE id = $1`,
        [row.id, machine.getPersistedSnapshot(next), state, stateDetail, ctx.outcome, ctx.flags, ctx.targetAgencyId, now],
      );
      const seq = await this.appendNext(tx, row.id, payload.type, actor, row.state, state, stripActor(payload), now);
      await this.effects.apply(intentsOf(actions), {
        tx,
        referralId: row.id,
        regionCode: row.regionCode,
        context: ctx,
        deadlineId: 'deadlineId' in payload ? payload.deadlineId : undefined,
        seq,
        now,
      });
      await afterWrite?.(tx);
      return true;
    });
    return this.metrics.countTransition(payload.type, sending); // applied, skipped, or why not
  }

  /**
   * Records a fact about the referral that is not a step of the procedure (e.g.
   * ATTACHMENT_ADDED), in the caller's transaction: locks the referral (404 outside
   * the principal's scope), appends a hash-chained timeline row with
   * fromState = toState = the current state, and writes its 'timeline' outbox row
   * (webhook fan-out). The machine is not asked and the referral's version is not
   * bumped: nothing the machine decides on changed, and a client's If-Match must not
   * go stale because someone added a document.
   */
  async recordFact(
    tx: EntityManager,
    referralId: string,
    principal: Principal,
    type: string,
    payload: Record<string, unknown>,
    /** Runs on the locked, scope-checked referral before anything is written; throw to refuse. */
    check?: (referral: ScopedReferral & { state: string }) => void,
  ): Promise<{ seq: number }> {
    const row = await this.lockReferral(tx, referralId, principal);
    check?.(row);
    const actor = this.actorFor(principal, row, await this.taskAgencyIds(tx, row.id));
    const seq = await this.appendNext(tx, row.id, type, actor, row.state, row.state, payload, this.clock.now());
    await this.outbox.write(tx, OUTBOX_TOPICS.timeline, `timeline:${row.id}:${seq}`, { referralId: row.id, seq });
    return { seq };
  }

  /** The client events this principal may send now: the machine's `can` over every type. */
  allowedEventsFor(principal: Principal, row: ReferralRow, taskAgencyIds: string[]): string[] {
    const snapshot = referralMachineFor(row.machine_version).resolveState(row.snapshot as never) as ReferralSnapshot;
    return allowedEvents(snapshot, this.actorFor(principal, row, taskAgencyIds));
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

  private lockReferral(tx: EntityManager, referralId: string, sender: Sender): Promise<ReferralRow> {
    return findScopedReferral<ReferralRow>(tx, sender === SYSTEM ? null : sender, referralId, {
      lock: true,
      columns: 'r.version, r.machine_version, r.snapshot, r.state',
    });
  }

  private async taskAgencyIds(tx: EntityManager, referralId: string): Promise<string[]> {
    const rows: { agency_id: string }[] = await tx.query(
      `SELECT DISTINCT agency_id FROM rectification_tasks WHERE referral_id = $1`,
      [referralId],
    );
    return rows.map((r) => r.agency_id);
  }

  /** Appends after the referral's last timeline row (the caller holds the referral's lock); returns the new seq. */
  private async appendNext(
    tx: EntityManager,
    referralId: string,
    type: string,
    actor: Actor,
    fromState: string,
    toState: string,
    payload: Record<string, unknown>,
    now: Date,
  ): Promise<number> {
    const [last] = await tx.query(`SELECT seq, hash FROM referral_events WHERE referral_id = $1 ORDER BY seq DESC LIMIT 1`, [
      referralId,
    ]);
    await this.appendEvent(tx, referralId, last.seq + 1, last.hash, type, actor, fromState, toState, payload, now);
    return last.seq + 1;
  }

  private async appendEvent(
    tx: EntityManager,
    referralId: string,
    seq: number,
    prevHash: string,
    type: string,
    actor: Actor,
    fromState: string | null,
    toState: string,
    payload: Record<string, unknown>,
    now: Date,
  ): Promise<void> {
    const occurredAt = now.toISOString();
    const chainActor = { userId: actor.userId, agencyId: actor.agencyId, system: actor.system };
    const hash = chainHash(prevHash, { referralId, seq, type, actor: chainActor, fromState, toState, payload, occurredAt });
    await tx.query(
      `INSERT INTO referral_events (referral_id, seq, type, actor_user_id, actor_agency_id, actor_system, from_state,
                                    to_state, payload, occurred_at, prev_hash, hash)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)`,
      [
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
      ],
    );
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
