// Supervision views for procurators, supervisors and admins (API.md "Supervision").
// Each endpoint is one SQL statement built in one method; the caller's scope is a
// condition inside it (scopeCondition on alias r), so nothing outside it is read.
//
// Definitions:
// - now: the Clock provider (the test clock moves it), taken once per request.
// - Overdue deadline: status 'breached' with resolved_at IS NULL, or status
//   'pending' with due_at < now (a pending deadline is overdue before its expiry
//   job has marked it breached); see deadlines/overdue.ts. overdueBy = floor((now - due_at) / 1000) seconds.
//   Most overdue first: due_at ASC, id ASC; the cursor is that (due_at, id) pair,
//   due_at to the microsecond.
// - Scope: scopeCondition(principal) — procurators and supervisors see referrals
//   whose region_code their agency's region contains (plus any they are party to),
//   admins see all. Other roles never get here (403 at the controller).
// - Filters of the overdue view: regionCode narrows by region containment
//   (regionPrefix, LIKE), agencyId is the deadline's responsible agency, domain the
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
import { regionPrefix, scopeCondition } from '../auth/scope';
import { Clock } from '../common/clock';
import { decodeCursor, encodeCursor } from '../common/cursor';
import { SqlParams } from '../common/sql-params';
import { AppConfig } from '../config/app-config';
import type { Agency } from '../directory/agency.entity';
import { agencyView, type AgencyView } from '../directory/directory.views';
import { csvRecord, csvStringifier, type ExportRow } from './supervision-csv';
import { DEADLINE_KINDS } from '../../workflows/referral/referral.deadlines';
import { AgencyDto } from '../directory/directory.views';
import { DOMAINS } from '../referrals/referral.dto';
import { GROUP_BY, type ExportQuery, type GroupBy, type OverdueQuery, type StatsQuery } from './supervision.dto';
import { resolveRange, type DateRange } from './supervision-range';
import { overdueDeadline } from '../deadlines/overdue';

export const EXPORT_BATCH = 500;
const DEFAULT_LIMIT = 20;

export class OverdueReferral {
  @ApiProperty({ format: 'uuid' }) id: string;
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
  @ApiProperty({ enum: DEADLINE_KINDS }) kind: string;
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

export class StatsGroup {
  @ApiProperty({ example: 'under-review', description: 'a state, domain or agency id, per groupBy' }) key: string;
  @ApiProperty({ example: 12 }) total: number;
  @ApiProperty({ example: 7, description: 'not in a final state' }) open: number;
  @ApiProperty({ example: 2, description: 'with a breached deadline' }) overdue: number;
  @ApiProperty({ type: Number, nullable: true, example: 0.83, description: 'share of deadlines met on time (0–1)' })
  onTimeRate: number | null;
  @ApiProperty({ type: Number, nullable: true, example: 52.5 }) medianHoursToDecision: number | null;
}

export class Stats {
  @ApiProperty({ format: 'date-time' }) from: string;
  @ApiProperty({ format: 'date-time' }) to: string;
  @ApiProperty({ enum: GROUP_BY }) groupBy: GroupBy;
  @ApiProperty({ type: [StatsGroup] }) groups: StatsGroup[];
}

export interface SqlQuery {
  text: string;
  values: unknown[];
}

const GROUP_KEY: Record<GroupBy, string> = {
  state: 'r.state',
  domain: 'r.domain',
  targetAgency: 'r.target_agency_id::text',
  sourceAgency: 'r.source_agency_id::text',
};

/** A timestamptz as ISO-8601 UTC to the microsecond: a keyset position that loses nothing (JS dates stop at ms). */
const isoMicros = (column: string) => `to_char(${column} AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"')`;

/** An `agencies` row as to_jsonb gives it (snake_case) → the API's agency. */
const agencyFromJson = (a: Record<string, any>): AgencyView =>
  agencyView({ id: a.id, code: a.code, name: a.name, kind: a.kind, regionCode: a.region_code, parentId: a.parent_id } as Agency);

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
      referral: {
        id: row.referral_id,
        referenceNo: row.reference_no,
        title: row.title,
        state: row.state,
        domain: row.domain,
        sourceAgency: agencyFromJson(row.source_agency),
        targetAgency: agencyFromJson(row.target_agency),
        regionCode: row.region_code,
      },
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

  /**
   * Top-N per stream, then merged: unresolved breaches, and pending deadlines due
   * before now, each read in (due_at, id) order from its partial index (see the
   * SupervisionIndexes migration) with the referral joined and the scope and filters
   * applied, stopping at the page size; the outer query merges the two short lists.
   * A page costs about `limit` index entries per stream, not the whole overdue set.
   */
  overdueQuery(principal: Principal, query: OverdueQuery, now: Date, limit: number): SqlQuery {
    const params = new SqlParams();
    const at = params.add(now);
    const pageSize = params.add(limit);
    const where: string[] = [];
    if (query.kind) where.push(`d.kind = ${params.add(query.kind)}`);
    if (query.agencyId) where.push(`d.responsible_agency_id = ${params.add(query.agencyId)}`);
    const cursor = decodeCursor(query.cursor);
    if (cursor) where.push(`(d.due_at, d.id) > (${params.add(cursor.at)}::timestamptz, ${params.add(cursor.id)}::uuid)`);
    where.push(scopeCondition(principal, params, 'r'));
    if (query.regionCode) where.push(`r.region_code LIKE ${params.add(regionPrefix(query.regionCode) + '%')}`);
    if (query.domain) where.push(`r.domain = ${params.add(query.domain)}`);
    const stream = (overdue: string) => `(
        SELECT d.id AS deadline_id, d.kind, d.due_at, d.status, d.responsible_agency_id, d.escalation_level,
               r.id AS referral_id, r.reference_no, r.title, r.state, r.domain, r.region_code,
               r.source_agency_id, r.target_agency_id
          FROM deadlines d JOIN referrals r ON r.id = d.referral_id
         WHERE ${[overdue, ...where].join(' AND ')}
         ORDER BY d.due_at, d.id
         LIMIT ${pageSize})`;
    const text = `
      SELECT o.*, ${isoMicros('o.due_at')} AS due_key, to_jsonb(sa) AS source_agency, to_jsonb(ta) AS target_agency
        FROM (${stream(`d.status = 'breached' AND d.resolved_at IS NULL`)}
              UNION ALL
              ${stream(`d.status = 'pending' AND d.due_at < ${at}`)}) o
        JOIN agencies sa ON sa.id = o.source_agency_id
        JOIN agencies ta ON ta.id = o.target_agency_id
       ORDER BY o.due_at, o.deadline_id
       LIMIT ${pageSize}`;
    return { text, values: params.values };
  }

  // ---- statistics ---------------------------------------------------------------

  async stats(principal: Principal, query: StatsQuery): Promise<Stats> {
    const now = this.clock.now();
    const range = resolveRange(query.from, query.to, now, this.config.APP_TIMEZONE);
    const groupBy = query.groupBy ?? 'state';
    const { text, values } = this.statsQuery(principal, groupBy, range, now);
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

  statsQuery(principal: Principal, groupBy: GroupBy, range: DateRange, now: Date): SqlQuery {
    const params = new SqlParams();
    const at = params.add(now);
    const text = `
      WITH facts AS (
        SELECT ${GROUP_KEY[groupBy]} AS key, r.state, r.created_at,
               EXISTS (SELECT 1 FROM deadlines d WHERE d.referral_id = r.id AND ${overdueDeadline(at)}) AS overdue,
               decision.occurred_at AS decided_at,
               review.due_at AS review_due_at
          FROM referrals r
          LEFT JOIN LATERAL (
                SELECT e.occurred_at FROM referral_events e
                 WHERE e.referral_id = r.id AND e.type IN ('ACCEPT', 'DECLINE')
                 ORDER BY e.seq LIMIT 1) decision ON TRUE
          LEFT JOIN LATERAL (
                SELECT d.due_at FROM deadlines d
                 WHERE d.referral_id = r.id AND d.kind = 'review'
                 ORDER BY d.status = 'cancelled', d.created_at DESC, d.id DESC LIMIT 1) review ON TRUE
         WHERE r.created_at >= ${params.add(range.from)} AND r.created_at < ${params.add(range.to)}
           AND ${scopeCondition(principal, params, 'r')}
      )
      SELECT key,
             count(*)::int AS total,
             count(*) FILTER (WHERE state NOT IN ('closed', 'withdrawn'))::int AS open,
             count(*) FILTER (WHERE overdue)::int AS overdue,
             count(*) FILTER (WHERE decided_at <= review_due_at)::float8 / nullif(count(decided_at), 0) AS on_time_rate,
             percentile_cont(0.5) WITHIN GROUP (ORDER BY (extract(epoch FROM decided_at - created_at) / 3600)::float8) AS median_hours
        FROM facts
       GROUP BY key
       ORDER BY key COLLATE "C"`;
    return { text, values: params.values };
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
      const { text, values } = this.exportQuery(principal, range, now, after, EXPORT_BATCH);
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

  exportQuery(principal: Principal, range: DateRange, now: Date, after: ExportKey | null, limit: number): SqlQuery {
    const params = new SqlParams();
    const at = params.add(now);
    const where = [
      `r.created_at >= ${params.add(range.from)}`,
      `r.created_at < ${params.add(range.to)}`,
      scopeCondition(principal, params, 'r'),
    ];
    if (after)
      where.push(`(r.created_at, r.id) > (${params.add(after.created_key)}::timestamptz, ${params.add(after.id)}::uuid)`);
    const text = `
      SELECT r.id, ${isoMicros('r.created_at')} AS created_key,
             r.reference_no, r.title, r.state, r.outcome, r.domain,
             sa.name AS source_agency_name, ta.name AS target_agency_name,
             r.region_code, r.amount_involved, r.campaign, r.created_at,
             (SELECT count(*) FROM deadlines d WHERE d.referral_id = r.id AND ${overdueDeadline(at)})::int AS overdue_deadlines
        FROM referrals r
        JOIN agencies sa ON sa.id = r.source_agency_id
        JOIN agencies ta ON ta.id = r.target_agency_id
       WHERE ${where.join(' AND ')}
       ORDER BY r.created_at, r.id
       LIMIT ${params.add(limit)}`;
    return { text, values: params.values };
  }
}

/** Where the previous export batch ended (created_at exact to the microsecond). */
interface ExportKey {
  created_key: string;
  id: string;
}
