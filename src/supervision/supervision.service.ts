// Supervision views for procurators, supervisors and admins (API.md "Supervision").
// Each endpoint is one SQL statement, built in the referrals repository; the caller's
// scope is a condition inside it (visibleReferrals), so nothing outside it is read.
//
// Definitions:
// - now: the Clock provider (the test clock moves it), taken once per request.
// - Overdue deadline: status 'breached' with resolved_at IS NULL, or status
//   'pending' with due_at < now (a pending deadline is overdue before its expiry
//   job has marked it breached); see overdueDeadline in deadlines/deadlines.repository.ts. overdueBy = floor((now - due_at) / 1000) seconds.
//   Most overdue first: due_at ASC, id ASC; the cursor is that (due_at, id) pair,
//   due_at to the microsecond.
// - Scope: visibleReferrals(principal) — procurators and supervisors see referrals
//   whose region_code their agency's region contains (plus any they are party to),
//   admins see all. Other roles never get here (403 at the controller).
// - Filters of the overdue view: regionCode narrows by region containment
//   (auth/regions.ts), agencyId is the deadline's responsible agency, domain the
//   referral's, kind the deadline's.
// - Range of stats and export: referrals created in [from, to), both given or
//   neither (the last 30 days up to now); a date is 00:00 in APP_TIMEZONE
//   (supervision-range.ts).
// - Stats, per group (key = state, domain, or the target/source agency id):
//   total; open = state not in (closed, withdrawn); overdue = referrals with at
//   least one overdue deadline as above; decision = the first ACCEPT or DECLINE in
//   the timeline (lowest seq), at its occurred_at; onTimeRate = among referrals with
//   a decision, the share decided at or before the due_at of their review deadline,
//   null when none decided. The review deadline is the referral's latest (created_at,
//   then id) non-cancelled `review` row, or the latest cancelled one if all are
//   cancelled; a decision on a referral with no review row counts as not on time.
//   medianHoursToDecision = percentile_cont(0.5) of (decision - created_at) in hours,
//   null when none decided. Groups are sorted by key in byte order.
// - Export: the referrals in scope created in the range, oldest first, read in
//   keyset batches of EXPORT_BATCH rows (no connection is held while the client
//   reads) and streamed through csv-stringify; overdueDeadlines counts the
//   referral's overdue deadlines at the moment the export began.
import { Injectable } from '@nestjs/common';
import { ApiProperty } from '@nestjs/swagger';
import { Readable } from 'node:stream';
import { ReadDatabase } from '../database/read-database';
import type { Principal } from '../auth/principal';
import { visibleAdminCases, visibleReferrals } from '../auth/scope';
import { Clock } from '../common/clock';
import { decodeCursor, encodeCursor } from '../common/cursor';
import { AppConfig } from '../config/app-config';
import type { Agency } from '../directory/agency.entity';
import { agencyView, type AgencyView } from '../directory/directory.views';
import { csvRecord, csvStringifier, type ExportRow } from './supervision-csv';
import { ALL_DEADLINE_KINDS } from '../workflow-engine/workflow-registry';
import { AgencyDto } from '../directory/directory.views';
import { ListingView } from '../referrals/referral.views';
import { DOMAINS } from '../referrals/referral.dto';
import {
  GROUP_BY,
  type ExportQuery,
  type GroupBy,
  type LinkageQuery,
  type ListedQuery,
  type OverdueQuery,
  type StatsQuery,
} from './supervision.dto';
import { resolveRange, type DateRange } from './supervision-range';
import {
  exportQuery,
  linkageFiguresQuery,
  listedViewQuery,
  overdueViewQuery,
  statsQuery,
  type ExportKey,
  type SqlQuery,
} from '../referrals/referrals.repository';
import { screeningFlagCounts } from '../admin-cases/admin-cases.repository';
import { addDays, localDate } from '../../workflows/calendars/local-date';

export const EXPORT_BATCH = 500;
const DEFAULT_LIMIT = 20;

export class OverdueReferral {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ example: 'referral', description: 'the workflow of the instance (a referral, a recommendation…)' })
  workflow: string;
  @ApiProperty({ example: '330100-2026-000123' }) referenceNo: string;
  @ApiProperty() title: string;
  @ApiProperty({ example: 'under-review' }) state: string;
  @ApiProperty({ enum: DOMAINS }) domain: string;
  @ApiProperty({ type: AgencyDto }) sourceAgency: AgencyDto;
  @ApiProperty({ type: AgencyDto }) targetAgency: AgencyDto;
  @ApiProperty({ example: '330100' }) regionCode: string;
}

export class OverdueDeadline {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ enum: ALL_DEADLINE_KINDS }) kind: string;
  @ApiProperty({ format: 'date-time' }) dueAt: string;
  @ApiProperty({ example: 'breached' }) status: string;
  @ApiProperty({ format: 'uuid' }) responsibleAgencyId: string;
}

export class OverdueItem {
  @ApiProperty({ type: OverdueReferral }) referral: OverdueReferral;
  @ApiProperty({ type: OverdueDeadline }) deadline: OverdueDeadline;
  @ApiProperty({ example: 86400, description: 'seconds past dueAt' }) overdueBy: number;
  @ApiProperty({ example: 1 }) escalationLevel: number;
}

export class OverduePage {
  @ApiProperty({ type: [OverdueItem], description: 'most overdue first' }) items: OverdueItem[];
  @ApiProperty({ type: String, nullable: true, description: 'null on the last page' }) nextCursor: string | null;
}

export class ListedItem {
  @ApiProperty({ type: OverdueReferral }) referral: OverdueReferral;
  @ApiProperty({ type: ListingView }) listing: ListingView;
  @ApiProperty({
    type: String,
    format: 'date-time',
    nullable: true,
    description: 'the last REPORT_SUPERVISION_PROGRESS of this listing',
  })
  lastReportAt: string | null;
  @ApiProperty({
    type: String,
    format: 'date-time',
    nullable: true,
    description: 'the open supervision-report deadline (in the past when breached); null without a reporting period',
  })
  nextReportDueAt: string | null;
}

export class ListedPage {
  @ApiProperty({ type: [ListedItem], description: 'newest referral first' }) items: ListedItem[];
  @ApiProperty({ type: String, nullable: true, description: 'null on the last page' }) nextCursor: string | null;
}

export class StatsGroup {
  @ApiProperty({ example: 'under-review', description: 'a state, domain or agency id, per groupBy' }) key: string;
  @ApiProperty({ example: 12 }) total: number;
  @ApiProperty({ example: 7, description: 'not in a final state' }) open: number;
  @ApiProperty({ example: 2, description: 'with a breached deadline' }) overdue: number;
  @ApiProperty({ type: Number, nullable: true, example: 0.83, description: 'share of deadlines met on time (0–1)' })
  onTimeRate: number | null;
  @ApiProperty({ type: Number, nullable: true, example: 52.5 }) medianHoursToDecision: number | null;
}

export class RecommendationFigures {
  @ApiProperty({ example: 12 }) issued: number;
  @ApiProperty({ example: 7, description: 'the agency transferred the case' }) transferred: number;
  @ApiProperty({ example: 3, description: 'the procuratorate accepted the explanation' }) explained: number;
  @ApiProperty({ example: 0 }) withdrawn: number;
  @ApiProperty({ example: 2, description: 'not yet in a final state' }) open: number;
  @ApiProperty({ example: 1, description: 'open with a breached or past-due response deadline' }) overdue: number;
}

export class ReverseTransferFigures {
  @ApiProperty({ example: 9, description: 'transferred back in the range' }) transferred: number;
  @ApiProperty({ example: 6, description: 'replied' }) answered: number;
  @ApiProperty({ example: 5, description: 'replied with none of their deadlines ever breached' }) answeredOnTime: number;
  @ApiProperty({ type: Number, nullable: true, example: 0.83, description: 'answeredOnTime / answered' }) onTimeRate:
    number | null;
  @ApiProperty({ example: 4 }) penaltyImposed: number;
  @ApiProperty({ example: 2 }) noPenalty: number;
  @ApiProperty({ example: 1 }) overdue: number;
}

export class ScreeningFlagGroup {
  @ApiProperty({ example: 'food', description: 'a domain, or an agency id' }) key: string;
  @ApiProperty({ example: 40, description: 'administrative cases decided in the range' }) cases: number;
  @ApiProperty({ example: 3 }) flagged: number;
  @ApiProperty({ example: 5 }) near: number;
}

export class LinkageFigures {
  @ApiProperty({ format: 'date-time' }) from: string;
  @ApiProperty({ format: 'date-time' }) to: string;
  @ApiProperty({ type: RecommendationFigures, description: 'recommendations issued in the range' })
  recommendations: RecommendationFigures;
  @ApiProperty({ type: ReverseTransferFigures, description: 'reverse transfers started in the range' })
  reverseTransfers: ReverseTransferFigures;
  @ApiProperty({ type: [ScreeningFlagGroup], description: 'by field (domain), penalties decided in the range' })
  screeningByDomain: ScreeningFlagGroup[];
  @ApiProperty({ type: [ScreeningFlagGroup], description: 'by recording agency (key: its id)' })
  screeningByAgency: ScreeningFlagGroup[];
}

export class Stats {
  @ApiProperty({ format: 'date-time' }) from: string;
  @ApiProperty({ format: 'date-time' }) to: string;
  @ApiProperty({ enum: GROUP_BY }) groupBy: GroupBy;
  @ApiProperty({ type: [StatsGroup] }) groups: StatsGroup[];
}

/** An `agencies` row as to_jsonb gives it (snake_case) → the API's agency. */
const agencyFromJson = (a: Record<string, any>): AgencyView =>
  agencyView({ id: a.id, code: a.code, name: a.name, kind: a.kind, regionCode: a.region_code, parentId: a.parent_id } as Agency);

/** The referral of a supervision view's row (its columns, the agencies as to_jsonb). */
const referralOf = (row: Record<string, any>): OverdueReferral => ({
  id: row.referral_id,
  workflow: row.workflow,
  referenceNo: row.reference_no,
  title: row.title,
  state: row.state,
  domain: row.domain,
  sourceAgency: agencyFromJson(row.source_agency),
  targetAgency: agencyFromJson(row.target_agency),
  regionCode: row.region_code,
});

@Injectable()
export class SupervisionService {
  constructor(
    /** The read replica when DATABASE_READ_URL is set: these reports may lag a moment behind the primary. */
    private readonly db: ReadDatabase,
    private readonly clock: Clock,
    private readonly config: AppConfig,
  ) {}

  // ---- overdue ------------------------------------------------------------------

  async overdue(principal: Principal, query: OverdueQuery): Promise<OverduePage> {
    const now = this.clock.now();
    const limit = query.limit ?? DEFAULT_LIMIT;
    const { text, values } = this.overdueQuery(principal, query, now, limit + 1);
    const rows = await this.db.query(text, values);
    const page = rows.slice(0, limit);
    const items = page.map((row: Record<string, any>): OverdueItem => ({
      referral: referralOf(row),
      deadline: {
        id: row.deadline_id,
        kind: row.kind,
        dueAt: row.due_at.toISOString(),
        status: row.status,
        responsibleAgencyId: row.responsible_agency_id,
      },
      overdueBy: Math.floor((now.getTime() - row.due_at.getTime()) / 1000),
      escalationLevel: row.escalation_level,
    }));
    const last = page[page.length - 1];
    return { items, nextCursor: rows.length > limit ? encodeCursor(last.due_key, last.deadline_id) : null };
  }

  /** The overdue view's SQL (also what a test EXPLAINs). */
  overdueQuery(principal: Principal, query: OverdueQuery, now: Date, limit: number): SqlQuery {
    const cursor = decodeCursor(query.cursor);
    return overdueViewQuery(
      visibleReferrals(principal),
      {
        workflow: query.workflow,
        kind: query.kind,
        agencyId: query.agencyId,
        regionCode: query.regionCode,
        domain: query.domain,
        listed: query.listed === undefined ? undefined : query.listed === 'true',
        after: cursor ?? undefined,
      },
      now,
      limit,
    );
  }

  // ---- listed for supervision ------------------------------------------------------

  async listed(principal: Principal, query: ListedQuery): Promise<ListedPage> {
    const limit = query.limit ?? DEFAULT_LIMIT;
    const before = decodeCursor(query.cursor) ?? undefined;
    const { text, values } = listedViewQuery(visibleReferrals(principal), { level: query.level, before }, limit + 1);
    const rows: Record<string, any>[] = await this.db.query(text, values);
    const page = rows.slice(0, limit);
    const items = page.map((row): ListedItem => ({
      referral: referralOf(row),
      // a referral listed before listings had a record has the flag only
      listing: row.listing ?? { level: 'city', bodies: [], reportEveryDays: null, reports: 0 },
      lastReportAt: row.last_report_at?.toISOString() ?? null,
      nextReportDueAt: row.next_report_due_at?.toISOString() ?? null,
    }));
    const last = page[page.length - 1];
    return { items, nextCursor: rows.length > limit ? encodeCursor(last.created_key, last.referral_id) : null };
  }

  // ---- statistics ---------------------------------------------------------------

  async stats(principal: Principal, query: StatsQuery): Promise<Stats> {
    const now = this.clock.now();
    const range = resolveRange(query.from, query.to, now, this.config.APP_TIMEZONE);
    const groupBy = query.groupBy ?? 'state';
    const { text, values } = this.statsQuery(principal, groupBy, range, now, query.workflow);
    const rows: Record<string, any>[] = await this.db.query(text, values);
    return {
      from: range.from.toISOString(),
      to: range.to.toISOString(),
      groupBy,
      groups: rows.map((row) => ({
        key: row.key,
        total: row.total,
        open: row.open,
        overdue: row.overdue,
        onTimeRate: row.on_time_rate,
        medianHoursToDecision: row.median_hours,
      })),
    };
  }

  statsQuery(principal: Principal, groupBy: GroupBy, range: DateRange, now: Date, workflow?: string): SqlQuery {
    return statsQuery(visibleReferrals(principal), groupBy, range, now, workflow);
  }

  // ---- the linkage in both directions --------------------------------------------

  async linkage(principal: Principal, query: LinkageQuery): Promise<LinkageFigures> {
    const now = this.clock.now();
    const range = resolveRange(query.from, query.to, now, this.config.APP_TIMEZONE);
    const { text, values } = linkageFiguresQuery(visibleReferrals(principal), range, now);
    const [f] = await this.db.query(text, values);
    // Administrative cases are dated by their decision: the range's local days.
    const dayRange = {
      from: localDate(range.from, this.config.APP_TIMEZONE),
      // [from, to) in local days: the day of the range's last instant is the last one counted
      to: addDays(localDate(new Date(range.to.getTime() - 1), this.config.APP_TIMEZONE), 1),
    };
    const visibility = visibleAdminCases(principal);
    return {
      from: range.from.toISOString(),
      to: range.to.toISOString(),
      recommendations: {
        issued: f.rec_issued,
        transferred: f.rec_transferred,
        explained: f.rec_explained,
        withdrawn: f.rec_withdrawn,
        open: f.rec_open,
        overdue: f.rec_overdue,
      },
      reverseTransfers: {
        transferred: f.rt_transferred,
        answered: f.rt_answered,
        answeredOnTime: f.rt_on_time,
        onTimeRate: f.rt_answered > 0 ? f.rt_on_time / f.rt_answered : null,
        penaltyImposed: f.rt_penalty,
        noPenalty: f.rt_no_penalty,
        overdue: f.rt_overdue,
      },
      screeningByDomain: await screeningFlagCounts(this.db, visibility, 'domain', dayRange),
      screeningByAgency: await screeningFlagCounts(this.db, visibility, 'agency', dayRange),
    };
  }

  // ---- export -------------------------------------------------------------------

  /**
   * The CSV as a stream. The first batch is read before anything is sent, so a bad
   * range or an unreachable database is still an ordinary problem+json answer.
   */
  async exportCsv(principal: Principal, query: ExportQuery): Promise<Readable> {
    const now = this.clock.now();
    const range = resolveRange(query.from, query.to, now, this.config.APP_TIMEZONE);
    const batch = (after: ExportKey | null) => {
      const { text, values } = this.exportQuery(principal, range, now, after, EXPORT_BATCH, query.workflow);
      return this.db.query(text, values) as Promise<(ExportRow & ExportKey)[]>;
    };
    const first = await batch(null);
    async function* records() {
      let rows = first;
      for (;;) {
        for (const row of rows) yield csvRecord(row);
        if (rows.length < EXPORT_BATCH) return;
        const last = rows[rows.length - 1];
        rows = await batch({ created_key: last.created_key, id: last.id });
      }
    }
    const source = Readable.from(records());
    const csv = csvStringifier();
    source.on('error', (e) => csv.destroy(e));
    return source.pipe(csv);
  }

  exportQuery(
    principal: Principal,
    range: DateRange,
    now: Date,
    after: ExportKey | null,
    limit: number,
    workflow?: string,
  ): SqlQuery {
    return exportQuery(visibleReferrals(principal), range, now, after, limit, workflow);
  }
}
