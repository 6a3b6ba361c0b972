// The campaign register (issue 11 §4) and each campaign's dashboard. The register is
// reference data: any authenticated caller reads it; admins write any campaign,
// supervisors only campaigns inside their own region. The dashboard's figures are
// read within the caller's scope (visibleReferrals, visibleAdminCases), like the
// supervision views, and from the same connection (the read replica when set).
//
// Definitions of the dashboard, per group and in total:
// - transfers: referrals (workflow referral) whose campaign is the code;
// - acceptances: those with an ACCEPT in their timeline (accepted or later);
//   acceptanceRate = acceptances / transfers, null without transfers;
// - medianHoursToDecision: percentile_cont(0.5) of (first ACCEPT or DECLINE − submission)
//   in hours over those decided, null when none;
// - breaches: the deadlines of those referrals ever breached (breached_at set, met late included);
// - screeningFlagged / screeningNear: administrative cases whose campaign is the code,
//   by their last screening's flag;
// - recommendations: transfer recommendations issued on those cases (in the caller's
//   scope), counted in the group of their case;
// - keys: region = the referral's or case's region code, domain, month = YYYY-MM of the
//   submission (APP_TIMEZONE) or of the case's act date. Groups sorted in byte order.
// - linkedParties: parties (one row of the register) stated by two or more of the
//   campaign's cases (its referrals and administrative cases) in the caller's scope;
//   chains: connected groups of two or more such cases joined by those parties. Both
//   count in every group where they have a case (campaign-chains.ts says why), so the
//   groups do not add up to the total, which counts each once.
import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { randomUUID } from 'node:crypto';
import { DataSource } from 'typeorm';
import { campaignCaseFigures } from '../admin-cases/admin-cases.repository';
import type { Principal } from '../auth/principal';
import { regionCovers } from '../auth/regions';
import { visibleAdminCases, visibleReferrals } from '../auth/scope';
import { Clock } from '../common/clock';
import { decodeCursor, encodeCursor } from '../common/cursor';
import { DomainException, forbidden, notFound, validationFailed, type FieldError } from '../common/problem';
import type { Queryable } from '../common/sql-params';
import { AppConfig } from '../config/app-config';
import { ReadDatabase } from '../database/read-database';
import { partiesOfCases } from '../parties/parties.repository';
import {
  campaignRecommendationCounts,
  campaignReferralFiguresQuery,
  campaignReferralKeys,
} from '../referrals/referrals.repository';
import { uncovered } from './campaign-chains';
import {
  CampaignDashboard,
  CampaignDashboardGroup,
  CampaignFigures,
  CampaignPage,
  CampaignView,
  CreateCampaignDto,
  DashboardGroupBy,
  ListCampaignsQuery,
  UpdateCampaignDto,
} from './campaign.dto';
import {
  insertCampaign,
  listCampaigns,
  readCampaign,
  updateCampaign,
  type CampaignContent,
  type CampaignRow,
} from './campaigns.repository';

const view = (c: CampaignRow): CampaignView => ({
  id: c.id,
  code: c.code,
  name: c.name,
  startsOn: c.startsOn,
  endsOn: c.endsOn,
  domains: c.domains,
  regionCodes: c.regionCodes,
  leadingAgencyIds: c.leadingAgencyIds,
  version: c.version,
  createdAt: c.createdAt.toISOString(),
  updatedAt: c.updatedAt.toISOString(),
});

const periodErrors = (c: CampaignContent): FieldError[] =>
  c.endsOn < c.startsOn ? [{ field: 'endsOn', message: 'endsOn must not be before startsOn' }] : [];

const ZERO: Omit<CampaignFigures, 'acceptanceRate' | 'medianHoursToDecision'> = {
  transfers: 0,
  acceptances: 0,
  breaches: 0,
  screeningFlagged: 0,
  screeningNear: 0,
  recommendations: 0,
  linkedParties: 0,
  chains: 0,
};

@Injectable()
export class CampaignsService {
  constructor(
    @InjectDataSource() private readonly db: DataSource,
    /** The read replica when DATABASE_READ_URL is set: the dashboard may lag a moment behind the primary. */
    private readonly read: ReadDatabase,
    private readonly clock: Clock,
    private readonly config: AppConfig,
  ) {}

  async create(principal: Principal, dto: CreateCampaignDto): Promise<CampaignView> {
    const content: CampaignContent = {
      name: dto.name,
      startsOn: dto.startsOn,
      endsOn: dto.endsOn,
      domains: dto.domains,
      regionCodes: dto.regionCodes,
      leadingAgencyIds: dto.leadingAgencyIds ?? [],
    };
    const errors = periodErrors(content);
    if (errors.length > 0) throw validationFailed(errors);
    this.mustCoverRegions(principal, content.regionCodes);
    return this.db.transaction(async (tx) => {
      await this.checkAgencies(tx, content.leadingAgencyIds);
      const row = await insertCampaign(
        tx,
        { id: randomUUID(), code: dto.code, createdBy: principal.userId, at: this.clock.now() },
        content,
      );
      if (!row) throw new DomainException('ALREADY_EXISTS', `Campaign ${dto.code} is already in the register`);
      return view(row);
    });
  }

  async get(code: string): Promise<CampaignView> {
    return view(await this.campaign(this.db, code));
  }

  async list(query: ListCampaignsQuery): Promise<CampaignPage> {
    const limit = query.limit ?? 20;
    const rows = await listCampaigns(
      this.db,
      { activeOn: query.activeOn, domain: query.domain, region: query.region, before: decodeCursor(query.cursor) ?? undefined },
      limit + 1,
    );
    const page = rows.slice(0, limit);
    const last = page[page.length - 1];
    return { items: page.map(view), nextCursor: rows.length > limit ? encodeCursor(last.createdAt, last.id) : null };
  }

  /** A change: the campaign locked, If-Match (when sent) against its version, then the merged content checked. */
  async update(principal: Principal, code: string, dto: UpdateCampaignDto, ifMatch?: number): Promise<CampaignView> {
    return this.db.transaction(async (tx) => {
      const current = await this.campaign(tx, code, true);
      // A supervisor changes only a campaign wholly inside its region, and keeps it there.
      this.mustCoverRegions(principal, current.regionCodes);
      if (ifMatch !== undefined && ifMatch !== current.version) {
        throw new DomainException('VERSION_CONFLICT', `Campaign ${code} is at version ${current.version}, not ${ifMatch}`, {
          currentVersion: current.version,
        });
      }
      const content: CampaignContent = {
        name: dto.name ?? current.name,
        startsOn: dto.startsOn ?? current.startsOn,
        endsOn: dto.endsOn ?? current.endsOn,
        domains: dto.domains ?? current.domains,
        regionCodes: dto.regionCodes ?? current.regionCodes,
        leadingAgencyIds: dto.leadingAgencyIds ?? current.leadingAgencyIds,
      };
      const errors = periodErrors(content);
      if (errors.length > 0) throw validationFailed(errors);
      this.mustCoverRegions(principal, content.regionCodes);
      await this.checkAgencies(tx, content.leadingAgencyIds);
      return view(await updateCampaign(tx, current.id, content, this.clock.now()));
    });
  }

  // ---- the dashboard ------------------------------------------------------------

  async dashboard(principal: Principal, code: string, groupBy: DashboardGroupBy = 'region'): Promise<CampaignDashboard> {
    await this.campaign(this.db, code);
    const tz = this.config.APP_TIMEZONE;
    const { text, values } = campaignReferralFiguresQuery(visibleReferrals(principal), code, groupBy, tz);
    const referralRows: Record<string, any>[] = await this.read.query(text, values);
    const cases = await campaignCaseFigures(this.read, visibleAdminCases(principal), code, groupBy);
    const recommendations = await campaignRecommendationCounts(
      this.read,
      visibleReferrals(principal),
      cases.map((c) => ({ key: c.key, ids: c.ids })),
    );
    const groups = new Map<string, CampaignDashboardGroup>();
    const group = (key: string) => {
      let g = groups.get(key);
      if (!g) groups.set(key, (g = { key, ...ZERO, acceptanceRate: null, medianHoursToDecision: null }));
      return g;
    };
    const total: CampaignFigures = { ...ZERO, acceptanceRate: null, medianHoursToDecision: null };
    for (const row of referralRows) {
      const target = row.is_total ? total : group(row.key);
      target.transfers = row.transfers;
      target.acceptances = row.acceptances;
      target.acceptanceRate = row.transfers > 0 ? row.acceptances / row.transfers : null;
      target.medianHoursToDecision = row.median_hours;
      target.breaches = row.breaches;
    }
    for (const c of cases) {
      Object.assign(group(c.key), { screeningFlagged: c.flagged, screeningNear: c.near });
      total.screeningFlagged += c.flagged;
      total.screeningNear += c.near;
    }
    for (const r of recommendations) {
      group(r.key).recommendations = r.recommendations;
      total.recommendations += r.recommendations;
    }
    const network = await this.uncovered(principal, code, groupBy, cases);
    for (const [key, figures] of network.byKey) Object.assign(group(key), figures);
    Object.assign(total, network.total);
    const sorted = [...groups.values()].sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
    return { campaign: code, groupBy, groups: sorted, total };
  }

  /** Linked parties and chains among the campaign's cases in scope (case_parties read through its repository). */
  private async uncovered(
    principal: Principal,
    code: string,
    groupBy: DashboardGroupBy,
    cases: { key: string; ids: string[] }[],
  ) {
    const referrals = await campaignReferralKeys(this.read, visibleReferrals(principal), code, groupBy, this.config.APP_TIMEZONE);
    const adminCases = cases.flatMap((c) => c.ids.map((id) => ({ id, key: c.key })));
    const statements = await partiesOfCases(
      this.read,
      referrals.map((r) => r.id),
      adminCases.map((c) => c.id),
    );
    return uncovered(
      [
        ...referrals.map((r) => ({ node: `referral:${r.id}`, key: r.key })),
        ...adminCases.map((c) => ({ node: `admin-case:${c.id}`, key: c.key })),
      ],
      statements.map((st) => ({ partyId: st.partyId, node: `${st.case.type}:${st.case.id}` })),
    );
  }

  // ---- checks -------------------------------------------------------------------

  private async campaign(q: Queryable, code: string, lock = false): Promise<CampaignRow> {
    const row = await readCampaign(q, code, { lock });
    if (!row) throw notFound('Campaign');
    return row;
  }

  /** Admins write any campaign; a supervisor only one whose every region lies inside its own. */
  private mustCoverRegions(principal: Principal, regionCodes: string[]): void {
    if (principal.roles.includes('admin')) return;
    const outside = regionCodes.filter((code) => !regionCovers(principal.agency.regionCode, code));
    if (outside.length > 0) {
      throw forbidden(
        `A supervisor manages campaigns inside its own region (${principal.agency.regionCode}) only: not ${outside.join(', ')}`,
      );
    }
  }

  private async checkAgencies(q: Queryable, ids: string[]): Promise<void> {
    if (ids.length === 0) return;
    const found: { id: string }[] = await q.query(`SELECT id FROM agencies WHERE id = ANY($1)`, [ids]);
    const errors = ids.flatMap((id, i) =>
      found.some((a) => a.id === id) ? [] : [{ field: `leadingAgencyIds.${i}`, message: 'agency does not exist' }],
    );
    if (errors.length > 0) throw validationFailed(errors);
  }
}
