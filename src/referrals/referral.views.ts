// The referral as docs/api.md shows it: agencies expanded, deadlines and tasks
// attached, allowedEvents for this caller, suspect IDs masked for non-parties.
import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { LISTING_LEVELS } from '../../workflows/referral/referral.deadlines';
import type { Listing } from '../../workflows/referral/referral.types';
import { TransferPackage, transferPackageOf } from '../attachments/attachment-kinds';
import { ReferralCaseGroup } from '../case-groups/case-group.dto';
import { CaseGroupsService } from '../case-groups/case-groups.service';
import type { Principal } from '../auth/principal';
import { maskUnlessParty } from '../auth/scope';
import { DeadlineView } from '../deadlines/deadline.views';
import { WorkflowEngine, type StepResult } from '../workflow-engine/workflow-engine.service';
import { AgencyDto, type AgencyView } from '../directory/directory.views';
import { instanceBasics } from '../procedures/instance-basics';
import { InstanceLinkView } from '../procedures/instance-links';
import { DOMAINS } from './referral.dto';
import { PenaltyDto } from './penalty.dto';
import type { ReferralRow } from './referrals.repository';
import type { Suspect } from './suspect';

/** The target's region when it is a police unit: units above it may elevate or designate. */
const policeRegion = (a: AgencyView) => (a.kind === 'police' ? a.regionCode : undefined);

export class SuspectView implements Suspect {
  @ApiProperty({ enum: ['person', 'organization'] }) kind: 'person' | 'organization';
  @ApiProperty({ example: 'Hangzhou Example Trading Co.' }) name: string;
  @ApiPropertyOptional({ example: '9133**********12', description: 'masked for callers outside the source and target agencies' })
  idNumber?: string;
}

export class TaskView {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ format: 'uuid' }) agencyId: string;
  @ApiProperty() description: string;
  @ApiProperty({ format: 'date-time' }) dueAt: string;
  @ApiProperty({ enum: ['open', 'done'], example: 'open' }) status: string;
}

/** A listing for supervision (联合挂牌督办); the reports themselves are the timeline's REPORT_SUPERVISION_PROGRESS events. */
export class ListingView implements Listing {
  @ApiProperty({ enum: LISTING_LEVELS, example: 'province', description: 'the highest level among the listing bodies' })
  level: Listing['level'];
  @ApiProperty({ type: [String], format: 'uuid', description: 'agency ids of the listing bodies, the first lister first' })
  bodies: string[];
  @ApiProperty({ type: Number, nullable: true, example: 15, description: 'the police report progress every this many days' })
  reportEveryDays: number | null;
  @ApiProperty({ example: 2, description: 'progress reports made so far' }) reports: number;
}

/** The listing of a referral's snapshot (null: not listed, another workflow, or listed before listings had a record). */
export function listingOf(row: Pick<ReferralRow, 'snapshot'>): ListingView | null {
  return (row.snapshot as { context?: { listing?: Listing | null } } | null)?.context?.listing ?? null;
}

export class ReferralView {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ example: '330100-2026-000123' }) referenceNo: string;
  @ApiProperty({ example: 'submitted', description: 'the top-level state of the workflow' }) state: string;
  @ApiProperty({ example: 'submitted', description: 'the full (possibly nested) state path' }) stateDetail: string;
  @ApiProperty({ type: String, nullable: true, example: null, description: 'set when closed' }) outcome: string | null;
  @ApiProperty({ example: 1, description: 'increases with every accepted event; sent as ETag' }) version: number;
  @ApiProperty({ enum: DOMAINS, example: 'food' }) domain: string;
  @ApiProperty() title: string;
  @ApiProperty() summary: string;
  @ApiProperty({ type: [SuspectView] }) suspects: SuspectView[];
  @ApiProperty({ type: String, nullable: true, example: '182000.00', description: 'CNY as a decimal string' })
  amountInvolved: string | null;
  @ApiProperty({ type: String, nullable: true }) offence: string | null;
  @ApiProperty({ type: String, nullable: true }) legalBasis: string | null;
  @ApiProperty({ type: String, nullable: true, example: 'kunlun-2026' }) campaign: string | null;
  @ApiProperty({
    type: String,
    nullable: true,
    example: null,
    description:
      'submitted without a campaign: the one campaign of the register running on the day of submission whose fields and regions include the referral (never set as its campaign)',
  })
  suggestedCampaign: string | null;
  @ApiProperty({ type: String, nullable: true }) externalRef: string | null;
  @ApiProperty({ type: AgencyDto }) sourceAgency: AgencyDto;
  @ApiProperty({ type: AgencyDto }) targetAgency: AgencyDto;
  @ApiProperty({
    type: [AgencyDto],
    description:
      'police units the referral was elevated or designated away from (ELEVATE, DESIGNATE), first first; they keep reading it',
  })
  formerTargetAgencies: AgencyDto[];
  @ApiProperty({ example: '330100' }) regionCode: string;
  @ApiProperty({ type: [String], example: ['listed-supervision'] }) flags: string[];
  @ApiProperty({ type: ListingView, nullable: true, description: 'set while listed for supervision' })
  listing: ListingView | null;
  @ApiProperty({ type: [DeadlineView] }) deadlines: DeadlineView[];
  @ApiProperty({ type: [TaskView] }) rectificationTasks: TaskView[];
  @ApiProperty({ type: TransferPackage, description: "which documents of the agency's transfer package are attached" })
  transferPackage: TransferPackage;
  @ApiProperty({ type: [String], example: ['ACKNOWLEDGE', 'REQUEST_SUPPLEMENT', 'FORWARD'], description: 'for this caller' })
  allowedEvents: string[];
  @ApiProperty({
    type: [PenaltyDto],
    description: 'penalties the agency imposed before transferring (Transfer Provisions art. 11: offset against a criminal fine)',
  })
  administrativePenalties: PenaltyDto[];
  @ApiProperty({
    type: String,
    format: 'uuid',
    nullable: true,
    description: 'the administrative case the referral was transferred from (on a recommendation)',
  })
  adminCaseId: string | null;
  @ApiProperty({
    type: [InstanceLinkView],
    description: 'the recommendation it was transferred on, reverse transfers started from it (those the caller may see)',
  })
  links: InstanceLinkView[];
  @ApiProperty({
    type: ReferralCaseGroup,
    nullable: true,
    description: 'the open case group (并案) it is in (whoever sees the referral sees the group), else null',
  })
  caseGroup: ReferralCaseGroup | null;
  @ApiProperty({ format: 'date-time' }) createdAt: string;
  @ApiProperty({ format: 'date-time' }) updatedAt: string;
}

export class ReferralPage {
  @ApiProperty({ type: [ReferralView] }) items: ReferralView[];
  @ApiProperty({ type: String, nullable: true, description: 'null on the last page' }) nextCursor: string | null;
}

@Injectable()
export class ReferralViews {
  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly engine: WorkflowEngine,
    private readonly caseGroups: CaseGroupsService,
  ) {}

  /** The answer to an event: the step's own row and snapshot, not read again. */
  async renderStep(principal: Principal, step: StepResult, tx: EntityManager): Promise<ReferralView> {
    const [view] = await this.render(principal, [step.row], tx, new Map([[step.row.id, step.snapshot]]));
    return view;
  }

  /** Renders referral rows (already read within the caller's scope) with one query per related table, not per row. */
  async render(
    principal: Principal,
    rows: ReferralRow[],
    tx: EntityManager = this.db.manager,
    snapshots?: Map<string, StepResult['snapshot']>,
  ): Promise<ReferralView[]> {
    if (rows.length === 0) return [];
    const ids = rows.map((r) => r.id);
    // One after the other: inside a transaction they share one connection.
    const basics = await instanceBasics(tx, principal, rows);
    const tasks = await tx.query(`SELECT * FROM rectification_tasks WHERE referral_id = ANY($1) ORDER BY created_at, id`, [ids]);
    const documents: { referral_id: string; kind: string }[] = await tx.query(
      `SELECT DISTINCT referral_id, kind FROM attachments WHERE referral_id = ANY($1)`,
      [ids],
    );
    const groups = await this.caseGroups.groupsOfReferrals(tx, ids);
    return rows.map((r) => {
      const myTasks = tasks.filter((t: any) => t.referral_id === r.id);
      return {
        id: r.id,
        referenceNo: r.referenceNo,
        state: r.state,
        stateDetail: r.stateDetail,
        outcome: r.outcome,
        version: r.version,
        domain: r.domain,
        title: r.title,
        summary: r.summary,
        suspects: maskUnlessParty(principal.agency.id, r.suspects, r),
        amountInvolved: r.amountInvolved,
        offence: r.offence,
        legalBasis: r.legalBasis,
        campaign: r.campaign,
        suggestedCampaign: (r.facts.suggestedCampaign as string | undefined) ?? null,
        externalRef: r.externalRef,
        sourceAgency: basics.agency(r.sourceAgencyId),
        targetAgency: basics.agency(r.targetAgencyId),
        formerTargetAgencies: r.formerTargetIds.map((id) => basics.agency(id)),
        regionCode: r.regionCode,
        flags: r.flags,
        listing: listingOf(r),
        deadlines: basics.deadlines(r.id),
        rectificationTasks: myTasks.map((t: any) => ({
          id: t.id,
          agencyId: t.agency_id,
          description: t.description,
          dueAt: t.due_at.toISOString(),
          status: t.status,
        })),
        transferPackage: transferPackageOf(documents.filter((d) => d.referral_id === r.id).map((d) => d.kind)),
        allowedEvents: this.engine.allowedEventsFor(
          principal,
          r,
          [...new Set<string>(myTasks.map((t: any) => t.agency_id))],
          snapshots?.get(r.id),
          policeRegion(basics.agency(r.targetAgencyId)),
        ),
        administrativePenalties: (r.facts.administrativePenalties as PenaltyDto[] | undefined) ?? [],
        adminCaseId: r.adminCaseId,
        links: basics.links(r.id),
        caseGroup: groups.get(r.id) ?? null,
        createdAt: r.createdAt.toISOString(),
        updatedAt: r.updatedAt.toISOString(),
      };
    });
  }
}
