// An administrative case as docs/api.md shows it: the recording agency expanded,
// the last screening, party ID numbers masked for anyone but the recording agency.
// `links`: the recommendations issued on it and the referrals transferred from it.
import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { ApiProperty } from '@nestjs/swagger';
import { DataSource, EntityManager, In } from 'typeorm';
import type { Principal } from '../auth/principal';
import { maskUnlessRecorder, visibleReferrals } from '../auth/scope';
import { FieldErrorDto } from '../common/openapi';
import { Agency } from '../directory/agency.entity';
import { AgencyDto, agencyView } from '../directory/directory.views';
import { DOMAINS } from '../referrals/referral.dto';
import { SuspectView } from '../referrals/referral.views';
import { instancesOfAdminCases } from '../referrals/referrals.repository';
import { FactsDto, FLAGS, PenaltyDto, PriorPenaltyDto } from './admin-case.dto';
import type { AdminCaseRow } from './admin-cases.repository';

export class ScreeningReasonView {
  @ApiProperty({ example: 'product-quality-140' }) rule: string;
  @ApiProperty({ example: 1 }) version: number;
  @ApiProperty({ enum: FLAGS, example: 'near' }) outcome: string;
  @ApiProperty({ example: 'sales 48,000 ≥ 80 % of 50,000, Criminal Law art. 140; 立案追诉标准(一) art. 16' }) text: string;
}

export class ScreeningView {
  @ApiProperty({ type: String, enum: FLAGS, nullable: true, example: 'near', description: 'null: no rule met or near' })
  flag: string | null;
  @ApiProperty({
    example: 0.96,
    description: 'the highest fact/threshold ratio: ≥ 1 flagged, below near; sorts the screening list',
  })
  severity: number;
  @ApiProperty({ type: [ScreeningReasonView], description: 'most serious first' }) reasons: ScreeningReasonView[];
  @ApiProperty({ type: String, format: 'date-time', nullable: true }) screenedAt: string | null;
}

export class AdminCaseLinkView {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ enum: ['transfer-recommendation', 'referral'] }) workflow: string;
  @ApiProperty({ example: 'JY-330100-2026-000007' }) referenceNo: string;
  @ApiProperty({ example: 'issued' }) state: string;
  @ApiProperty({ type: String, nullable: true }) outcome: string | null;
}

export class AdminCaseView {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ example: '杭市监处罚〔2026〕12号' }) caseNo: string;
  @ApiProperty({ type: AgencyDto, description: 'the recording agency' }) agency: AgencyDto;
  @ApiProperty({ example: '330100', description: "the recording agency's region" }) regionCode: string;
  @ApiProperty({ enum: DOMAINS, example: 'food' }) domain: string;
  @ApiProperty() title: string;
  @ApiProperty() summary: string;
  @ApiProperty({ type: [SuspectView], description: 'ID numbers masked for anyone but the recording agency' })
  parties: SuspectView[];
  @ApiProperty({ type: FactsDto }) facts: FactsDto;
  @ApiProperty({ type: PenaltyDto }) penalty: PenaltyDto;
  @ApiProperty({ type: [PriorPenaltyDto] }) priorPenalties: PriorPenaltyDto[];
  @ApiProperty({ type: String, nullable: true, example: 'kunlun-2026' }) campaign: string | null;
  @ApiProperty({
    type: String,
    nullable: true,
    example: null,
    description:
      'recorded without a campaign: the one campaign of the register running on its act date whose fields and regions include the case (never set as its campaign)',
  })
  suggestedCampaign: string | null;
  @ApiProperty({ format: 'date', example: '2026-03-01', description: 'the actDate given, else the penalty decision date' })
  actDate: string;
  @ApiProperty({ type: ScreeningView }) screening: ScreeningView;
  @ApiProperty({
    type: [AdminCaseLinkView],
    description: 'the recommendations issued on it and the referrals transferred from it, those the caller may see',
  })
  links: AdminCaseLinkView[];
  @ApiProperty({ example: 1, description: 'increases when an import changes the case; sent as ETag' }) version: number;
  @ApiProperty({ format: 'date-time' }) createdAt: string;
  @ApiProperty({ format: 'date-time' }) updatedAt: string;
}

export class AdminCasePage {
  @ApiProperty({ type: [AdminCaseView] }) items: AdminCaseView[];
  @ApiProperty({ type: String, nullable: true, description: 'null on the last page' }) nextCursor: string | null;
}

export class RejectedLine {
  @ApiProperty({ example: 3, description: 'the line of the file the row starts on (the CSV header is line 1)' }) line: number;
  @ApiProperty({ type: [FieldErrorDto] }) errors: FieldErrorDto[];
}

export class ImportReport {
  @ApiProperty({ example: 2, description: 'rows recorded: created + updated + unchanged' }) accepted: number;
  @ApiProperty({ example: 1 }) created: number;
  @ApiProperty({ example: 0, description: 'an existing case number with changed content: replaced and re-screened' })
  updated: number;
  @ApiProperty({ example: 1, description: 'identical to what is recorded: nothing written' }) unchanged: number;
  @ApiProperty({ type: [RejectedLine] }) rejected: RejectedLine[];
}

@Injectable()
export class AdminCaseViews {
  constructor(@InjectDataSource() private readonly db: DataSource) {}

  /** Renders rows already read within the caller's scope; one query for their agencies. */
  async render(principal: Principal, rows: AdminCaseRow[], tx: EntityManager = this.db.manager): Promise<AdminCaseView[]> {
    if (rows.length === 0) return [];
    const agencies = await tx.getRepository(Agency).findBy({ id: In([...new Set(rows.map((r) => r.agencyId))]) });
    const agencyById = new Map(agencies.map((a) => [a.id, agencyView(a)]));
    const linked = await instancesOfAdminCases(
      tx,
      visibleReferrals(principal),
      rows.map((r) => r.id),
    );
    return rows.map((r) => ({
      id: r.id,
      caseNo: r.caseNo,
      agency: agencyById.get(r.agencyId)!,
      regionCode: r.regionCode,
      domain: r.domain,
      title: r.title,
      summary: r.summary,
      parties: maskUnlessRecorder(principal.agency.id, r.parties, r.agencyId),
      facts: r.facts,
      penalty: r.penalty,
      priorPenalties: maskUnlessRecorder(principal.agency.id, r.priorPenalties, r.agencyId),
      campaign: r.campaign,
      suggestedCampaign: r.suggestedCampaign,
      actDate: r.actDate,
      screening: {
        flag: r.screening.flag,
        severity: r.screening.severity,
        reasons: r.screening.reasons,
        screenedAt: r.screening.screenedAt?.toISOString() ?? null,
      },
      links: linked
        .filter((l) => l.adminCaseId === r.id)
        .map((l) => ({ id: l.id, workflow: l.workflow, referenceNo: l.referenceNo, state: l.state, outcome: l.outcome })),
      version: r.version,
      createdAt: r.createdAt.toISOString(),
      updatedAt: r.updatedAt.toISOString(),
    }));
  }
}
