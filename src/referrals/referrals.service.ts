// Submitting, reading and listing referrals. Every read carries the caller's
// scope in its SQL; rows outside it are never loaded.
import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { randomUUID } from 'node:crypto';
import { DataSource, EntityManager } from 'typeorm';
import { localDate } from '../../workflows/period-counting';
import type { ClientEvent } from '../../workflows/referral/referral.types';
import type { Principal } from '../auth/principal';
import { regionCovers } from '../auth/regions';
import { visibleReferrals } from '../auth/scope';
import { mustBeRegistered, suggestedCampaign } from '../campaigns/campaign-register';
import { AppConfig } from '../config/app-config';
import { Clock } from '../common/clock';
import { claimIdempotencyKey, recordIdempotentResponse, requestHash } from '../common/idempotency';
import { forbidden, validationFailed, type FieldError } from '../common/problem';
import { WorkflowEngine, type StepResult } from '../workflow-engine/workflow-engine.service';
import { CreateReferralDto, ListReferralsQuery } from './referral.dto';
import { readReferral } from './referrals.repository';
import { pageOfInstances } from '../procedures/instance-pages';
import { nextReferenceNo } from './reference-numbers';
import { PartiesService } from '../parties/parties.service';
import { ReferralViews, type ReferralPage, type ReferralView } from './referral.views';

@Injectable()
export class ReferralsService {
  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly engine: WorkflowEngine,
    private readonly views: ReferralViews,
    private readonly clock: Clock,
    private readonly config: AppConfig,
    private readonly parties: PartiesService,
  ) {}

  /** Submit a transfer. With an Idempotency-Key, a repeat returns the first response; a different body is refused. */
  async create(
    principal: Principal,
    dto: CreateReferralDto,
    idempotencyKey?: string,
  ): Promise<{ status: number; body: ReferralView }> {
    if (!principal.roles.includes('agency-officer') || principal.agency.kind !== 'regulator') {
      throw forbidden('Only an agency officer of a regulatory agency submits referrals');
    }
    const hash = requestHash(null, dto);
    return this.db.transaction(async (tx) => {
      if (idempotencyKey) {
        const replay = await claimIdempotencyKey(tx, principal.userId, idempotencyKey, hash);
        if (replay) return { status: 201, body: await this.get(principal, replay.referralId as string, { tx }) };
      }
      // The client's campaign must be registered; a transfer on a recommendation carries its case's, checked when recorded.
      await mustBeRegistered(tx, dto.campaign);
      const submitted = await this.submitIn(tx, principal, dto);
      if (idempotencyKey) {
        await recordIdempotentResponse(tx, principal.userId, idempotencyKey, 201, { referralId: submitted.row.id });
      }
      return { status: 201, body: await this.views.renderStep(principal, submitted, tx) };
    });
  }

  /**
   * Submits a referral in the caller's transaction: from the create endpoint, or
   * when an agency transfers on a procuratorate's recommendation (`links` then name
   * the recommendation and the administrative case it came from).
   */
  async submitIn(
    tx: EntityManager,
    principal: Principal,
    dto: CreateReferralDto,
    links: { originId: string | null; adminCaseId: string | null } = { originId: null, adminCaseId: null },
  ): Promise<StepResult> {
    const target = await this.policeAgency(tx, dto.targetAgencyId, 'targetAgencyId');
    // Without a campaign, the one running on the day of submission in the field and region is suggested (facts), not set.
    const suggested = dto.campaign
      ? null
      : await suggestedCampaign(tx, {
          date: localDate(this.clock.now(), this.config.APP_TIMEZONE),
          domain: dto.domain,
          regionCode: principal.agency.regionCode,
        });
    const referralId = randomUUID();
    const referenceNo = await this.nextReferenceNo(tx, principal.agency.regionCode);
    const fields = {
      domain: dto.domain,
      title: dto.title,
      summary: dto.summary,
      suspects: dto.suspects.map((s) => ({ ...s })),
      amountInvolved: dto.amountInvolved ?? null,
      offence: dto.offence ?? null,
      legalBasis: dto.legalBasis ?? null,
      campaign: dto.campaign ?? null,
      externalRef: dto.externalRef ?? null,
    };
    const penalties = (dto.administrativePenalties ?? []).map((p) => ({ ...p }));
    const submitted = await this.engine.start(
      tx,
      'referral',
      {
        id: referralId,
        referenceNo,
        sourceAgencyId: principal.agency.id,
        targetAgencyId: target.id,
        regionCode: principal.agency.regionCode,
        fields: {
          ...fields,
          facts: {
            ...(penalties.length ? { administrativePenalties: penalties } : {}),
            ...(suggested ? { suggestedCampaign: suggested } : {}),
          },
          ...links,
        },
      },
      principal,
      {
        ...fields,
        targetAgencyId: target.id,
        referenceNo,
        ...(penalties.length ? { administrativePenalties: penalties } : {}),
        ...(links.originId ? { originId: links.originId } : {}),
        ...(links.adminCaseId ? { adminCaseId: links.adminCaseId } : {}),
      },
    );
    // Its suspects are parties now: linked cases elsewhere are found, and their holders told.
    await this.parties.record(tx, { type: 'referral', id: referralId }, fields.suspects, submitted.row.createdAt);
    return submitted;
  }

  /**
   * One event, one transaction: lock (404 outside scope), the checks that need the
   * locked row (400), then the step (412, 403, 409). The answer is rendered from the
   * step's result inside the transaction: a 503 then always means nothing was written.
   */
  async sendEvent(principal: Principal, referralId: string, event: ClientEvent, ifMatch?: number): Promise<ReferralView> {
    return this.db.transaction(async (tx) => {
      const locked = await this.engine.lock(tx, referralId, principal, event.type, 'referral');
      if (event.type === 'FORWARD') await this.checkForwardTarget(tx, principal, event.toAgencyId);
      // (only for a unit that may designate at all: anyone else is refused 403 by the step)
      if (event.type === 'DESIGNATE' && this.engine.relationsTo(locked, principal).includes('superior')) {
        await this.checkDesignatedUnit(tx, principal, locked.row.targetAgencyId, event.toAgencyId);
      }
      // The timeline records who took the case over, as FORWARD and DESIGNATE record where it went.
      if (event.type === 'ELEVATE') event.toAgencyId = principal.agency.id;
      if (event.type === 'START_JOINT_RECTIFICATION') {
        await this.checkRectificationPlan(tx, event);
        // Task ids are the engine's to give, so the timeline and the task rows agree.
        for (const task of event.tasks) (task as { id?: string }).id = randomUUID();
      }
      const result = await this.engine.step(tx, locked, principal, event, { ifMatch });
      // A unit that forwards a referral leaves its scope, yet is answered with what it did.
      return this.views.renderStep(principal, result, tx);
    });
  }

  async get(
    principal: Principal,
    referralId: string,
    { tx = this.db.manager }: { tx?: EntityManager } = {},
  ): Promise<ReferralView> {
    const row = await readReferral(tx, visibleReferrals(principal), referralId, 'referral');
    const [view] = await this.views.render(principal, [row], tx);
    return view;
  }

  async list(principal: Principal, query: ListReferralsQuery): Promise<ReferralPage> {
    return pageOfInstances(
      this.db,
      principal,
      'referral',
      query,
      this.clock.now(),
      { domain: query.domain, campaign: query.campaign },
      (rows) => this.views.render(principal, rows),
    );
  }

  /** 330100-2026-000123: the submitting agency's region, the local year, a per-region counter. */
  private nextReferenceNo(tx: EntityManager, regionCode: string): Promise<string> {
    const year = Number(localDate(this.clock.now(), this.config.APP_TIMEZONE).slice(0, 4));
    return nextReferenceNo(tx, { name: 'referral' }, regionCode, year);
  }

  private async policeAgency(tx: EntityManager, agencyId: string, field: string): Promise<{ id: string }> {
    const [agency] = await tx.query(`SELECT id, kind, active FROM agencies WHERE id = $1`, [agencyId]);
    if (!agency) throw validationFailed([{ field, message: 'agency does not exist' }]);
    if (agency.kind !== 'police') throw validationFailed([{ field, message: 'the target must be a police agency' }]);
    if (!agency.active) throw validationFailed([{ field, message: 'the police agency is deactivated' }]);
    return agency;
  }

  /** Due times ahead, tasks within the plan, and every task with an agency that can work it (not oversight-only). */
  private async checkRectificationPlan(
    tx: EntityManager,
    event: Extract<ClientEvent, { type: 'START_JOINT_RECTIFICATION' }>,
  ): Promise<void> {
    const now = this.clock.now().getTime();
    const planDue = Date.parse(event.dueAt);
    const errors: FieldError[] = [];
    if (planDue <= now) errors.push({ field: 'dueAt', message: 'the plan must be due in the future' });
    event.tasks.forEach((task, i) => {
      if (task.dueAt && (Date.parse(task.dueAt) <= now || Date.parse(task.dueAt) > planDue)) {
        errors.push({ field: `tasks.${i}.dueAt`, message: 'a task is due in the future and no later than the plan' });
      }
    });
    const ids = [...new Set(event.tasks.map((t) => t.agencyId))];
    const found: { id: string }[] = await tx.query(
      `SELECT id FROM agencies WHERE id = ANY($1) AND kind IN ('regulator', 'police', 'procuratorate')`,
      [ids],
    );
    event.tasks.forEach((task, i) => {
      if (!found.some((a) => a.id === task.agencyId)) {
        errors.push({ field: `tasks.${i}.agencyId`, message: 'no regulator, police or procuratorate agency with this id' });
      }
    });
    if (errors.length > 0) throw validationFailed(errors);
  }

  /** A police unit inside the designating unit's region, other than the one the case sits with and than its own. */
  private async checkDesignatedUnit(
    tx: EntityManager,
    principal: Principal,
    currentTargetId: string,
    toAgencyId: string,
  ): Promise<void> {
    await this.policeAgency(tx, toAgencyId, 'toAgencyId');
    const [agency]: { region_code: string }[] = await tx.query(`SELECT region_code FROM agencies WHERE id = $1`, [toAgencyId]);
    const fail = (message: string) => validationFailed([{ field: 'toAgencyId', message }]);
    if (toAgencyId === currentTargetId) throw fail('the referral already sits with this police unit');
    if (toAgencyId === principal.agency.id) throw fail('to take the referral over yourself, send ELEVATE');
    if (!regionCovers(principal.agency.regionCode, agency.region_code)) {
      throw fail('designate a police unit inside your own region');
    }
  }

  // Only the target police may forward (the machine checks), so "not your own unit" is "not the current target".
  private async checkForwardTarget(tx: EntityManager, principal: Principal, toAgencyId: string): Promise<void> {
    await this.policeAgency(tx, toAgencyId, 'toAgencyId');
    if (toAgencyId === principal.agency.id) {
      throw validationFailed([{ field: 'toAgencyId', message: 'forward to another police unit than your own' }]);
    }
  }
}
