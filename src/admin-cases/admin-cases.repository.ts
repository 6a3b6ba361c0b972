// The admin_cases table's SQL: the only `FROM admin_cases` in the code. Every read
// on behalf of a caller takes an AdminCaseVisibility (auth/scope.ts
// visibleAdminCases) and carries it in its SQL; the system reads (re-screening
// after a rule change) say so in their names.
import type { CaseFacts, PriorPenalty, ScreeningReason, ScreeningResult } from '../../workflows/screening/screening.types';
import type { AdminCaseVisibility } from '../auth/scope';
import type { DashboardGroupBy } from '../campaigns/campaign.dto';
import { notFound } from '../common/problem';
import { SqlParams, type Queryable } from '../common/sql-params';
import type { Suspect } from '../referrals/suspect';

export interface Penalty {
  decisionNo: string;
  decidedAt: string;
  kinds: string[];
  fineAmount?: string;
}

/** What a case records: written on create, replaced by an import of a changed row. */
export interface AdminCaseContent {
  caseNo: string;
  domain: string;
  title: string;
  summary: string;
  parties: Suspect[];
  facts: CaseFacts;
  penalty: Penalty;
  priorPenalties: (PriorPenalty & { decisionNo?: string; kinds?: string[]; decidedBy?: string })[];
  campaign: string | null;
  /** the act date screening used: the case's actDate, else the decision date */
  actDate: string;
  /** sha256 of the content as recorded: an identical re-import changes nothing */
  contentHash: string;
}

export interface AdminCaseRow extends AdminCaseContent {
  id: string;
  agencyId: string;
  regionCode: string;
  /** the outcome of the last screening */
  screening: { flag: ScreeningResult['flag']; severity: number; reasons: ScreeningReason[]; screenedAt: Date | null };
  /** recorded without a campaign: the one campaign of the register matching its act date, domain and region */
  suggestedCampaign: string | null;
  createdBy: string | null;
  createdAt: Date;
  updatedAt: Date;
  version: number;
}

const toAdminCase = (r: Record<string, any>): AdminCaseRow => ({
  id: r.id,
  agencyId: r.agency_id,
  regionCode: r.region_code,
  caseNo: r.case_no,
  domain: r.domain,
  title: r.title,
  summary: r.summary,
  parties: r.parties,
  facts: r.facts,
  penalty: r.penalty,
  priorPenalties: r.prior_penalties,
  campaign: r.campaign,
  actDate: r.act_date_text,
  contentHash: r.content_hash,
  screening: {
    flag: r.screening_flag,
    severity: Number(r.screening_severity),
    reasons: r.screening_reasons,
    screenedAt: r.screened_at,
  },
  suggestedCampaign: r.suggested_campaign ?? null,
  createdBy: r.created_by,
  createdAt: r.created_at,
  updatedAt: r.updated_at,
  version: r.version,
});

// The act date as text: pg would read a `date` as a local-midnight Date, which a time zone can shift.
const COLUMNS = `c.*, c.act_date::text AS act_date_text`;

export interface Screening {
  flag: ScreeningResult['flag'];
  severity: number;
  reasons: ScreeningReason[];
}

const contentValues = (c: AdminCaseContent) => [
  c.caseNo,
  c.domain,
  c.title,
  c.summary,
  JSON.stringify(c.parties),
  JSON.stringify(c.facts),
  JSON.stringify(c.penalty),
  c.penalty.decidedAt,
  JSON.stringify(c.priorPenalties),
  c.campaign,
  c.actDate,
  c.contentHash,
];

/** Inserts a case; null when the agency already has one with this case number. */
export async function insertAdminCase(
  q: Queryable,
  row: { id: string; agencyId: string; regionCode: string; createdBy: string; at: Date; suggestedCampaign: string | null },
  content: AdminCaseContent,
  s: Screening,
): Promise<AdminCaseRow | null> {
  const rows = await q.query(
    `INSERT INTO admin_cases AS c (id, agency_id, region_code, case_no, domain, title, summary, parties, facts, penalty,
                             decided_at, prior_penalties, campaign, act_date, content_hash,
                             screening_flag, screening_severity, screening_reasons, screened_at,
                             created_by, created_at, updated_at, version, suggested_campaign)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $19, $20, $19, $19, 1, $21)
     ON CONFLICT (agency_id, case_no) DO NOTHING
     RETURNING ${COLUMNS}`,
    [
      row.id,
      row.agencyId,
      row.regionCode,
      ...contentValues(content),
      s.flag,
      s.severity,
      JSON.stringify(s.reasons),
      row.at,
      row.createdBy,
      row.suggestedCampaign,
    ],
  );
  return rows.length > 0 ? toAdminCase(rows[0]) : null;
}

/** Replaces a case's content, screening and suggested campaign (an import of a changed row): version + 1. */
export async function replaceAdminCase(
  q: Queryable,
  id: string,
  content: AdminCaseContent,
  s: Screening,
  at: Date,
  suggestedCampaign: string | null,
) {
  const [[row]] = await q.query(
    `UPDATE admin_cases c SET case_no = $2, domain = $3, title = $4, summary = $5, parties = $6, facts = $7, penalty = $8,
                              decided_at = $9, prior_penalties = $10, campaign = $11, act_date = $12, content_hash = $13,
                              screening_flag = $14, screening_severity = $15, screening_reasons = $16, screened_at = $17,
                              updated_at = $17, version = version + 1, suggested_campaign = $18
      WHERE id = $1 RETURNING ${COLUMNS}`,
    [id, ...contentValues(content), s.flag, s.severity, JSON.stringify(s.reasons), at, suggestedCampaign],
  );
  return toAdminCase(row);
}

/** The case of this number in the caller's own agency (locked, for the import's upsert), if the caller may see it. */
export async function lockOwnCaseByNumber(
  q: Queryable,
  visibility: AdminCaseVisibility,
  caseNo: string,
): Promise<AdminCaseRow | null> {
  const params = new SqlParams();
  const where = [
    `c.agency_id = ${params.add(visibility.principal.agency.id)}`,
    `c.case_no = ${params.add(caseNo)}`,
    visibility.condition(params),
  ];
  const rows = await q.query(`SELECT ${COLUMNS} FROM admin_cases c WHERE ${where.join(' AND ')} FOR UPDATE`, params.values);
  return rows.length > 0 ? toAdminCase(rows[0]) : null;
}

/** The case if `visibility` lets the caller see it, else 404. */
export async function readAdminCase(q: Queryable, visibility: AdminCaseVisibility, id: string): Promise<AdminCaseRow> {
  const params = new SqlParams();
  const where = `c.id = ${params.add(id)} AND ${visibility.condition(params)}`;
  const rows = await q.query(`SELECT ${COLUMNS} FROM admin_cases c WHERE ${where}`, params.values);
  if (rows.length === 0) throw notFound('Administrative case');
  return toAdminCase(rows[0]);
}

/** The case locked (FOR UPDATE) if `visibility` lets the caller see it, else 404: a recommendation is issued on it. */
export async function lockAdminCase(q: Queryable, visibility: AdminCaseVisibility, id: string): Promise<AdminCaseRow> {
  const params = new SqlParams();
  const where = `c.id = ${params.add(id)} AND ${visibility.condition(params)}`;
  const rows = await q.query(`SELECT ${COLUMNS} FROM admin_cases c WHERE ${where} FOR UPDATE OF c`, params.values);
  if (rows.length === 0) throw notFound('Administrative case');
  return toAdminCase(rows[0]);
}

export interface AdminCaseFilter {
  /** any: flagged or near (flagged sort first: their severity is ≥ 1) */
  flag?: 'flagged' | 'near' | 'any';
  domain?: string;
  agencyId?: string;
  campaign?: string;
  decidedFrom?: string;
  decidedTo?: string;
  /** in the case number, title or summary (case-insensitive, taken literally) */
  text?: string;
}

/** Keyset positions: newest first (createdAt, id), or with a flag most serious first (severity, id). */
export type AdminCaseAfter = { kind: 'created'; at: string; id: string } | { kind: 'severity'; severity: number; id: string };

/** One page: with `flag`, most serious first (severity desc, id); otherwise newest first. */
export async function listAdminCases(
  q: Queryable,
  visibility: AdminCaseVisibility,
  f: AdminCaseFilter,
  after: AdminCaseAfter | null,
  limit: number,
): Promise<AdminCaseRow[]> {
  const params = new SqlParams();
  const where = [visibility.condition(params)];
  if (f.flag === 'any') where.push(`c.screening_flag IS NOT NULL`);
  else if (f.flag) where.push(`c.screening_flag = ${params.add(f.flag)}`);
  if (f.domain) where.push(`c.domain = ${params.add(f.domain)}`);
  if (f.agencyId) where.push(`c.agency_id = ${params.add(f.agencyId)}`);
  if (f.campaign) where.push(`c.campaign = ${params.add(f.campaign)}`);
  if (f.decidedFrom) where.push(`c.decided_at >= ${params.add(f.decidedFrom)}::date`);
  if (f.decidedTo) where.push(`c.decided_at <= ${params.add(f.decidedTo)}::date`);
  if (f.text) {
    const like = params.add(`%${f.text.replace(/[\\%_]/g, (ch) => `\\${ch}`)}%`);
    where.push(`(c.case_no ILIKE ${like} OR c.title ILIKE ${like} OR c.summary ILIKE ${like})`);
  }
  let order = 'c.created_at DESC, c.id DESC';
  if (f.flag) {
    order = 'c.screening_severity DESC, c.id';
    if (after?.kind === 'severity') {
      const sev = params.add(after.severity);
      const id = params.add(after.id);
      where.push(`(c.screening_severity < ${sev} OR (c.screening_severity = ${sev} AND c.id > ${id}::uuid))`);
    }
  } else if (after?.kind === 'created') {
    where.push(`(c.created_at, c.id) < (${params.add(after.at)}::timestamptz, ${params.add(after.id)}::uuid)`);
  }
  const rows = await q.query(
    `SELECT ${COLUMNS} FROM admin_cases c WHERE ${where.join(' AND ')} ORDER BY ${order} LIMIT ${params.add(limit)}`,
    params.values,
  );
  return rows.map(toAdminCase);
}

/**
 * System read for re-screening after a rule change: the cases of `domain` (null: every
 * domain) whose act date lies in [from, to], in id order after `afterId`, locked.
 */
export async function lockCasesActedBetween(
  q: Queryable,
  window: { domain: string | null; from: string; to: string | null },
  afterId: string | null,
  limit: number,
): Promise<AdminCaseRow[]> {
  const params = new SqlParams();
  const where = [`c.act_date >= ${params.add(window.from)}::date`];
  if (window.to) where.push(`c.act_date <= ${params.add(window.to)}::date`);
  if (window.domain) where.push(`c.domain = ${params.add(window.domain)}`);
  if (afterId) where.push(`c.id > ${params.add(afterId)}::uuid`);
  const rows = await q.query(
    `SELECT ${COLUMNS} FROM admin_cases c WHERE ${where.join(' AND ')} ORDER BY c.id LIMIT ${params.add(limit)} FOR UPDATE`,
    params.values,
  );
  return rows.map(toAdminCase);
}

/** Writes new screenings (no content change: the version stays); returns how many changed. */
export async function writeScreenings(q: Queryable, screenings: (Screening & { id: string })[], at: Date): Promise<number> {
  if (screenings.length === 0) return 0;
  const [rows] = await q.query(
    `UPDATE admin_cases c SET screening_flag = s.flag, screening_severity = s.severity, screening_reasons = s.reasons,
                              screened_at = $2
       FROM jsonb_to_recordset($1::jsonb) AS s(id uuid, flag text, severity numeric, reasons jsonb)
      WHERE c.id = s.id
        AND (c.screening_flag IS DISTINCT FROM s.flag OR c.screening_severity <> s.severity OR c.screening_reasons <> s.reasons)
      RETURNING c.id`,
    [JSON.stringify(screenings), at],
  );
  return rows.length;
}

/** Screening flags of the cases decided in [from, to) (local dates), by field or by recording agency (supervision). */
export async function screeningFlagCounts(
  q: Queryable,
  visibility: AdminCaseVisibility,
  by: 'domain' | 'agency',
  range: { from: string; to: string },
): Promise<{ key: string; flagged: number; near: number; cases: number }[]> {
  const params = new SqlParams();
  const key = by === 'domain' ? 'c.domain' : 'c.agency_id::text';
  return q.query(
    `SELECT ${key} AS key, count(*)::int AS cases,
            count(*) FILTER (WHERE c.screening_flag = 'flagged')::int AS flagged,
            count(*) FILTER (WHERE c.screening_flag = 'near')::int AS near
       FROM admin_cases c
      WHERE c.decided_at >= ${params.add(range.from)}::date AND c.decided_at < ${params.add(range.to)}::date
        AND ${visibility.condition(params)}
      GROUP BY 1 ORDER BY ${key} COLLATE "C"`,
    params.values,
  );
}

/** An administrative case as a chain of cases shows it, with whether the caller may see it (parties' links). */
export interface AdminCaseSummaryRow {
  id: string;
  caseNo: string;
  title: string;
  agencyId: string;
  regionCode: string;
  visible: boolean;
}

export async function adminCaseSummaries(
  q: Queryable,
  visibility: AdminCaseVisibility,
  ids: string[],
): Promise<AdminCaseSummaryRow[]> {
  if (ids.length === 0) return [];
  const params = new SqlParams();
  const rows = await q.query(
    `SELECT c.id, c.case_no, c.title, c.agency_id, c.region_code, ${visibility.condition(params)} AS visible
       FROM admin_cases c WHERE c.id = ANY(${params.add(ids)}::uuid[])`,
    params.values,
  );
  return rows.map((r: Record<string, any>) => ({
    id: r.id,
    caseNo: r.case_no,
    title: r.title,
    agencyId: r.agency_id,
    regionCode: r.region_code,
    visible: r.visible === true,
  }));
}

const CAMPAIGN_KEY: Record<DashboardGroupBy, string> = {
  region: 'c.region_code',
  domain: 'c.domain',
  month: `to_char(c.act_date, 'YYYY-MM')`,
};

/**
 * The screening flags of the cases of campaign `code` in the caller's scope, per group
 * of the campaign dashboard (a case's month is its act date's), with the cases' ids:
 * the recommendations issued on them are counted in the same groups.
 */
export async function campaignCaseFigures(
  q: Queryable,
  visibility: AdminCaseVisibility,
  code: string,
  groupBy: DashboardGroupBy,
): Promise<{ key: string; flagged: number; near: number; ids: string[] }[]> {
  const params = new SqlParams();
  return q.query(
    `SELECT ${CAMPAIGN_KEY[groupBy]} AS key,
            count(*) FILTER (WHERE c.screening_flag = 'flagged')::int AS flagged,
            count(*) FILTER (WHERE c.screening_flag = 'near')::int AS near,
            array_agg(c.id) AS ids
       FROM admin_cases c
      WHERE c.campaign = ${params.add(code)} AND ${visibility.condition(params)}
      GROUP BY 1`,
    params.values,
  );
}
