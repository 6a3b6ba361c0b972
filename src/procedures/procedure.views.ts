// An instance of a procedure other than the referral, as its endpoints answer it:
// the shared columns, agencies expanded, deadlines with their legal basis,
// allowedEvents for this caller, what the machine has recorded, and its links.
// Each workflow's controller narrows `facts` and `record` to its own schema.
import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { ApiProperty } from '@nestjs/swagger';
import { DataSource, EntityManager } from 'typeorm';
import type { ProcedureContext } from '../../workflows/procedure';
import type { Principal } from '../auth/principal';
import { maskUnlessParty } from '../auth/scope';
import { AgencyDto } from '../directory/directory.views';
import { DeadlineView } from '../deadlines/deadline.views';
import { SuspectView } from '../referrals/referral.views';
import type { ReferralRow } from '../referrals/referrals.repository';
import { WorkflowEngine, type StepResult } from '../workflow-engine/workflow-engine.service';
import { instanceBasics } from './instance-basics';
import { InstanceLinkView } from './instance-links';

export class ProcedureView {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ example: 'reverse-transfer', description: 'a workflow name of GET /api/v1/workflows' }) workflow: string;
  @ApiProperty({ example: 'FX-330100-2026-000003' }) referenceNo: string;
  @ApiProperty({ example: 'received', description: 'the top-level state of the workflow' }) state: string;
  @ApiProperty({ example: 'received', description: 'the full (possibly nested) state path' }) stateDetail: string;
  @ApiProperty({ type: String, nullable: true, example: null, description: 'set in a final state' }) outcome: string | null;
  @ApiProperty({ example: 1, description: 'increases with every accepted event; sent as ETag' }) version: number;
  @ApiProperty({ example: 'food' }) domain: string;
  @ApiProperty() title: string;
  @ApiProperty() summary: string;
  @ApiProperty({ type: [SuspectView], description: 'the parties; ID numbers masked for callers outside the two agencies' })
  parties: SuspectView[];
  @ApiProperty({ type: AgencyDto, description: 'the agency that started it' }) sourceAgency: AgencyDto;
  @ApiProperty({ type: AgencyDto, description: 'the agency that must answer' }) targetAgency: AgencyDto;
  @ApiProperty({ example: '330100' }) regionCode: string;
  @ApiProperty({ type: [String], example: ['chased'] }) flags: string[];
  @ApiProperty({ type: [DeadlineView] }) deadlines: DeadlineView[];
  @ApiProperty({ type: [String], example: ['RECEIVE', 'COMMENT'], description: 'for this caller' }) allowedEvents: string[];
  @ApiProperty({ type: String, format: 'uuid', nullable: true, description: 'the administrative case it is about' })
  adminCaseId: string | null;
  @ApiProperty({
    type: [InstanceLinkView],
    description: 'where it came from and what was started from it (those the caller may see)',
  })
  links: InstanceLinkView[];
  @ApiProperty({ format: 'date-time' }) createdAt: string;
  @ApiProperty({ format: 'date-time' }) updatedAt: string;
  /** What the instance started with (typed by each workflow's view). */
  facts: object;
  /** What the procedure has recorded since (typed by each workflow's view). */
  record: object;
}

/** The context fields every procedure has; the rest is the procedure's own record. */
const SHARED_CONTEXT = new Set(['sourceAgencyId', 'targetAgencyId', 'flags', 'outcome', 'tasks']);

@Injectable()
export class ProcedureViews {
  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly engine: WorkflowEngine,
  ) {}

  async renderStep(principal: Principal, step: StepResult, tx: EntityManager): Promise<ProcedureView> {
    const [view] = await this.render(principal, [step.row], tx, new Map([[step.row.id, step.snapshot]]));
    return view;
  }

  /** Rows already read within the caller's scope, with one query per related table. */
  async render(
    principal: Principal,
    rows: ReferralRow[],
    tx: EntityManager = this.db.manager,
    snapshots?: Map<string, StepResult['snapshot']>,
  ): Promise<ProcedureView[]> {
    if (rows.length === 0) return [];
    const basics = await instanceBasics(tx, principal, rows);
    return rows.map((r) => {
      const context = (snapshots?.get(r.id)?.context ?? (r.snapshot as { context?: object })?.context ?? {}) as ProcedureContext &
        Record<string, unknown>;
      const record = Object.fromEntries(Object.entries(context).filter(([k]) => !SHARED_CONTEXT.has(k)));
      return {
        id: r.id,
        workflow: r.workflow,
        referenceNo: r.referenceNo,
        state: r.state,
        stateDetail: r.stateDetail,
        outcome: r.outcome,
        version: r.version,
        domain: r.domain,
        title: r.title,
        summary: r.summary,
        parties: maskUnlessParty(principal.agency.id, r.suspects, r),
        sourceAgency: basics.agency(r.sourceAgencyId),
        targetAgency: basics.agency(r.targetAgencyId),
        regionCode: r.regionCode,
        flags: r.flags,
        deadlines: basics.deadlines(r.id),
        allowedEvents: this.engine.allowedEventsFor(principal, r, [], snapshots?.get(r.id)),
        adminCaseId: r.adminCaseId,
        links: basics.links(r.id),
        facts: maskUnlessParty(principal.agency.id, r.facts, r),
        record: maskUnlessParty(principal.agency.id, record, r),
        createdAt: r.createdAt.toISOString(),
        updatedAt: r.updatedAt.toISOString(),
      };
    });
  }
}
