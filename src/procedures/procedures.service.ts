// Starting, stepping, reading and listing instances of any procedure but the
// referral (which keeps its own service for its extra checks). Each workflow's
// thin controller validates its bodies and names its workflow; everything else is
// the same path as a referral's: one transaction, lock (404) → the checks that
// need the locked row → step (412, 403, 409), answered from the step's result.
import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { randomUUID } from 'node:crypto';
import { DataSource, EntityManager } from 'typeorm';
import { localDate } from '../../workflows/period-counting';
import type { Principal } from '../auth/principal';
import { visibleReferrals } from '../auth/scope';
import { Clock } from '../common/clock';
import { claimIdempotencyKey, recordIdempotentResponse, requestHash } from '../common/idempotency';
import { AppConfig } from '../config/app-config';
import { nextReferenceNo } from '../referrals/reference-numbers';
import { readReferral } from '../referrals/referrals.repository';
import { pageOfInstances, type InstanceListQuery } from './instance-pages';
import type { Suspect } from '../referrals/suspect';
import { currentDefinition } from '../workflow-engine/workflow-registry';
import {
  WorkflowEngine,
  type EventPayload,
  type LockedReferral,
  type StepResult,
} from '../workflow-engine/workflow-engine.service';
import { ProcedureViews, type ProcedureView } from './procedure.views';

/** What a new instance starts with. */
export interface ProcedureStart {
  sourceAgencyId: string;
  targetAgencyId: string;
  /** The region the instance belongs to: whose overseers see it. */
  regionCode: string;
  domain: string;
  title: string;
  summary: string;
  parties: Suspect[];
  campaign?: string | null;
  facts: Record<string, unknown>;
  originId?: string | null;
  adminCaseId?: string | null;
}

export interface ProcedureQuery extends InstanceListQuery {
  adminCaseId?: string;
  originId?: string;
}

export interface ProcedurePage {
  items: ProcedureView[];
  nextCursor: string | null;
}

@Injectable()
export class ProceduresService {
  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly engine: WorkflowEngine,
    private readonly views: ProcedureViews,
    private readonly clock: Clock,
    private readonly config: AppConfig,
  ) {}

  /**
   * Starts an instance in its own transaction. `prepare` runs inside it and returns
   * the start (it may read and lock what the start depends on); with an
   * Idempotency-Key, a repeat with the same body answers with the first instance.
   */
  async create(
    principal: Principal,
    workflow: string,
    body: unknown,
    idempotencyKey: string | undefined,
    prepare: (tx: EntityManager) => Promise<ProcedureStart>,
  ): Promise<ProcedureView> {
    const hash = requestHash(workflow, body);
    return this.db.transaction(async (tx) => {
      if (idempotencyKey) {
        const replay = await claimIdempotencyKey(tx, principal.userId, idempotencyKey, hash);
        if (replay) return this.get(principal, workflow, replay.referralId as string, tx);
      }
      const started = await this.startIn(tx, principal, workflow, await prepare(tx));
      if (idempotencyKey) {
        await recordIdempotentResponse(tx, principal.userId, idempotencyKey, 201, { referralId: started.row.id });
      }
      return this.views.renderStep(principal, started, tx);
    });
  }

  /** A new instance of `workflow` in the caller's transaction. */
  async startIn(tx: EntityManager, principal: Principal, workflow: string, s: ProcedureStart): Promise<StepResult> {
    const definition = currentDefinition(workflow)!;
    const year = Number(localDate(this.clock.now(), this.config.APP_TIMEZONE).slice(0, 4));
    const id = randomUUID();
    const referenceNo = await nextReferenceNo(tx, { name: workflow, prefix: definition.referencePrefix }, s.regionCode, year);
    const fields = {
      domain: s.domain,
      title: s.title,
      summary: s.summary,
      suspects: s.parties,
      amountInvolved: null,
      offence: null,
      legalBasis: null,
      campaign: s.campaign ?? null,
      externalRef: null,
      facts: s.facts,
      originId: s.originId ?? null,
      adminCaseId: s.adminCaseId ?? null,
    };
    return this.engine.start(
      tx,
      workflow,
      { id, referenceNo, sourceAgencyId: s.sourceAgencyId, targetAgencyId: s.targetAgencyId, regionCode: s.regionCode, fields },
      principal,
      {
        referenceNo,
        sourceAgencyId: s.sourceAgencyId,
        targetAgencyId: s.targetAgencyId,
        domain: s.domain,
        title: s.title,
        summary: s.summary,
        parties: s.parties,
        ...(s.campaign ? { campaign: s.campaign } : {}),
        facts: s.facts,
        ...(s.originId ? { originId: s.originId } : {}),
        ...(s.adminCaseId ? { adminCaseId: s.adminCaseId } : {}),
      },
    );
  }

  /**
   * One event in one transaction. `prepare` runs after the lock, before the step,
   * for checks and writes that need the locked row (a TRANSFER submits its referral
   * there) and returns the event to step.
   */
  async sendEvent(
    principal: Principal,
    workflow: string,
    id: string,
    event: EventPayload,
    ifMatch: number | undefined,
    prepare?: (tx: EntityManager, locked: LockedReferral) => Promise<EventPayload>,
  ): Promise<ProcedureView> {
    return this.db.transaction(async (tx) => {
      const locked = await this.engine.lock(tx, id, principal, event.type, workflow);
      const stepped = prepare ? await prepare(tx, locked) : event;
      const result = await this.engine.step(tx, locked, principal, stepped, { ifMatch });
      return this.views.renderStep(principal, result, tx);
    });
  }

  async get(principal: Principal, workflow: string, id: string, tx: EntityManager = this.db.manager): Promise<ProcedureView> {
    const row = await readReferral(tx, visibleReferrals(principal), id, workflow);
    const [view] = await this.views.render(principal, [row], tx);
    return view;
  }

  async list(principal: Principal, workflow: string, query: ProcedureQuery): Promise<ProcedurePage> {
    return pageOfInstances(
      this.db,
      principal,
      workflow,
      query,
      this.clock.now(),
      { adminCaseId: query.adminCaseId, originId: query.originId },
      (rows) => this.views.render(principal, rows),
    );
  }
}
