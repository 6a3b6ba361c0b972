// The referrals table's SQL (read side and the engine's row lock): the only
// `FROM referrals` in the code, one mapped row type, and the fragments other
// tables' queries join it with. The table holds the instances of every workflow
// (`workflow` says which; docs/architecture.md): a referral is the first of them.
// Every read on behalf of a caller takes a ReferralVisibility (auth/scope.ts
// visibleReferrals) and carries it in its SQL, so a row outside the caller's scope
// is never loaded.
import type { EntityManager } from 'typeorm';
import type { Principal } from '../auth/principal';
import { visibilityOf, type ReferralVisibility } from '../auth/scope';
import { regionCoversSql } from '../auth/regions';
import { insertEventSql } from '../audit/referral-events.repository';
import { notFound } from '../common/problem';
import { SqlParams, type Queryable } from '../common/sql-params';
import {
  countEverBreached,
  countOverdueDeadlines,
  everBreached,
  hasOverdueDeadline,
  openBreach,
  openDeadlineDue,
  overdueStream,
  pendingPastDue,
  referralsWithLiveDeadlines,
  reviewDeadlineDue,
} from '../deadlines/deadlines.repository';
import type { DateRange } from '../supervision/supervision-range';
import type { DashboardGroupBy } from '../campaigns/campaign.dto';
import type { GroupBy } from '../supervision/supervision.dto';
import type { Suspect } from './suspect';
import { currentDefinitions } from '../workflow-engine/workflow-registry';

export interface ReferralRow {
  id: string;
  /** The procedure this instance runs: 'referral', 'transfer-recommendation', 'reverse-transfer'. */
  workflow: string;
  referenceNo: string;
  sourceAgencyId: string;
  targetAgencyId: string;
  regionCode: string;
  domain: string;
  title: string;
  summary: string;
  suspects: Suspect[];
  /** numeric(16,2) as a decimal string */
  amountInvolved: string | null;
  offence: string | null;
  legalBasis: string | null;
  campaign: string | null;
  externalRef: string | null;
  state: string;
  stateDetail: string;
  outcome: string | null;
  flags: string[];
  version: number;
  machineVersion: string;
  snapshot: unknown;
  createdBy: string | null;
  createdAt: Date;
  updatedAt: Date;
  /** The head of the hash chain (last seq and hash); null on rows written before it rode here. */
  timelineSeq: number | null;
  timelineHash: string | null;
  /** What the procedure records beyond the shared columns (typed by its DTO). */
  facts: Record<string, unknown>;
  /** The instance this one came from (a referral submitted on a recommendation…). */
  originId: string | null;
  adminCaseId: string | null;
  /** Police units the case was elevated or designated away from. */
  formerTargetIds: string[];
}

export const toReferral = (r: Record<string, any>): ReferralRow => ({
  id: r.id,
  workflow: r.workflow,
  referenceNo: r.reference_no,
  sourceAgencyId: r.source_agency_id,
  targetAgencyId: r.target_agency_id,
  regionCode: r.region_code,
  domain: r.domain,
  title: r.title,
  summary: r.summary,
  suspects: r.suspects,
  amountInvolved: r.amount_involved,
  offence: r.offence,
  legalBasis: r.legal_basis,
  campaign: r.campaign,
  externalRef: r.external_ref,
  state: r.state,
  stateDetail: r.state_detail,
  outcome: r.outcome,
  flags: r.flags,
  version: r.version,
  machineVersion: r.machine_version,
  snapshot: r.snapshot,
  createdBy: r.created_by,
  createdAt: r.created_at,
  updatedAt: r.updated_at,
  timelineSeq: r.timeline_seq ?? null,
  timelineHash: r.timeline_hash ?? null,
  facts: r.facts ?? {},
  originId: r.origin_id ?? null,
  formerTargetIds: r.former_target_ids ?? [],
  adminCaseId: r.admin_case_id ?? null,
});

export interface SqlQuery {
  text: string;
  values: unknown[];
}

/** SQL: joins the referral of the row whose referral id is `on`, as alias r. */
export const joinReferral = (on: string) => `JOIN referrals r ON r.id = ${on}`;

// ---- one referral ---------------------------------------------------------------

/** Names an instance in a 404: 'Referral', 'Transfer recommendation'. */
const notFoundOf = (workflow = 'referral') => notFound(workflow[0].toUpperCase() + workflow.slice(1).replace(/-/g, ' '));

/** SQL: the instance runs `workflow` (any, when none is named). */
const ofWorkflow = (params: SqlParams, workflow?: string) => (workflow ? ` AND r.workflow = ${params.add(workflow)}` : '');

/** The instance (of `workflow`, when named) if `visibility` lets the caller see it, else 404. */
export async function readReferral(
  q: Queryable,
  visibility: ReferralVisibility,
  referralId: string,
  workflow?: string,
): Promise<ReferralRow> {
  const params = new SqlParams();
  const id = params.add(referralId);
  const rows = await q.query(
    `SELECT r.* FROM referrals r WHERE r.id = ${id}${ofWorkflow(params, workflow)} AND ${visibility.condition(params)}`,
    params.values,
  );
  if (rows.length === 0) throw notFoundOf(workflow);
  return toReferral(rows[0]);
}

/**
 * The lock every writer to a referral takes first (FOR UPDATE OF r), with the
 * caller's scope in the same statement: outside it, 404. `principal` null is the system actor.
 */
export async function lockReferral(
  tx: EntityManager,
  principal: Principal | null,
  referralId: string,
  workflow?: string,
): Promise<ReferralRow> {
  const params = new SqlParams();
  const id = params.add(referralId);
  const rows = await tx.query(
    `SELECT r.* FROM referrals r WHERE r.id = ${id}${ofWorkflow(params, workflow)} AND ${visibilityOf(principal).condition(params)} FOR UPDATE OF r`,
    params.values,
  );
  if (rows.length === 0) throw notFoundOf(workflow);
  return toReferral(rows[0]);
}

// ---- the engine's writes: the referral row and its timeline row in one statement ----

/** The columns a step changes, from the machine's new snapshot and context. */
export interface SteppedReferral {
  snapshot: unknown;
  state: string;
  stateDetail: string;
  outcome: string | null;
  flags: string[];
  targetAgencyId: string;
  formerTargetIds: string[];
  updatedAt: Date;
}

export interface NewReferralRow extends Omit<SteppedReferral, 'outcome' | 'flags' | 'formerTargetIds'> {
  id: string;
  workflow: string;
  facts: Record<string, unknown>;
  originId: string | null;
  adminCaseId: string | null;
  referenceNo: string;
  sourceAgencyId: string;
  regionCode: string;
  domain: string;
  title: string;
  summary: string;
  suspects: unknown[];
  amountInvolved: string | null;
  offence: string | null;
  legalBasis: string | null;
  campaign: string | null;
  externalRef: string | null;
  machineVersion: string;
  createdBy: string;
}

/** Inserts a submitted referral with its first timeline row (seq 1), whose twelve values are `event`. */
export async function insertReferral(tx: EntityManager, r: NewReferralRow, event: unknown[]): Promise<ReferralRow> {
  const [row] = await tx.query(
    `WITH event AS (${insertEventSql(21)})
     INSERT INTO referrals (id, reference_no, source_agency_id, target_agency_id, region_code, domain, title, summary,
                            suspects, amount_involved, offence, legal_basis, campaign, external_ref, state, state_detail,
                            outcome, flags, version, machine_version, snapshot, created_by, created_at, updated_at,
                            timeline_seq, timeline_hash, workflow, facts, origin_id, admin_case_id)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, NULL, '{}', 1, $17, $18, $19, $20, $20,
             1, $32, $33, $34, $35, $36)
     RETURNING *`,
    [
      r.id,
      r.referenceNo,
      r.sourceAgencyId,
      r.targetAgencyId,
      r.regionCode,
      r.domain,
      r.title,
      r.summary,
      JSON.stringify(r.suspects),
      r.amountInvolved,
      r.offence,
      r.legalBasis,
      r.campaign,
      r.externalRef,
      r.state,
      r.stateDetail,
      r.machineVersion,
      r.snapshot,
      r.createdBy,
      r.updatedAt,
      ...event,
      r.workflow,
      r.facts,
      r.originId,
      r.adminCaseId,
    ],
  );
  return toReferral(row);
}

/** Writes a step: the new snapshot and state, version + 1, and the timeline row `event` (its seq and hash become the head). */
export async function updateReferralStepped(
  tx: EntityManager,
  id: string,
  r: SteppedReferral,
  event: unknown[],
): Promise<ReferralRow> {
  // TypeORM answers UPDATE … RETURNING on PostgreSQL with [rows, affectedCount].
  const [[row]] = await tx.query(
    `WITH event AS (${insertEventSql(9)})
     UPDATE referrals SET snapshot = $2, state = $3, state_detail = $4, outcome = $5, flags = $6,
                          target_agency_id = $7, version = version + 1, updated_at = $8,
                          timeline_seq = $10, timeline_hash = $20, former_target_ids = $21
      WHERE id = $1 RETURNING *`,
    [id, r.snapshot, r.state, r.stateDetail, r.outcome, r.flags, r.targetAgencyId, r.updatedAt, ...event, r.formerTargetIds],
  );
  return toReferral(row);
}

/** Appends a fact (no step: the version stays) and moves the chain's head. */
export async function appendFact(tx: EntityManager, event: unknown[]): Promise<void> {
  await tx.query(
    `WITH event AS (${insertEventSql(1)}) UPDATE referrals SET timeline_seq = $2, timeline_hash = $12 WHERE id = $1`,
    event,
  );
}

/** An instance linked to another: where it came from, or what was started from it. */
export interface LinkedInstanceRow {
  id: string;
  workflow: string;
  referenceNo: string;
  state: string;
  outcome: string | null;
  originId: string | null;
  /** The caller may see the linked instance itself. */
  visible: boolean;
}

const toLinked = (r: Record<string, any>): Omit<LinkedInstanceRow, 'visible'> => ({
  id: r.id,
  workflow: r.workflow,
  referenceNo: r.reference_no,
  state: r.state,
  outcome: r.outcome,
  originId: r.origin_id,
});

/**
 * The instances linked to `ids` by origin (either way), each with whether
 * `visibility` lets the caller see it: one it may not see is shown only as a link.
 */
export async function linkedInstances(
  q: Queryable,
  visibility: ReferralVisibility,
  ids: string[],
  originIds: string[],
): Promise<LinkedInstanceRow[]> {
  const params = new SqlParams();
  const rows = await q.query(
    `SELECT r.id, r.workflow, r.reference_no, r.state, r.outcome, r.origin_id, ${visibility.condition(params)} AS visible
       FROM referrals r
      WHERE r.origin_id = ANY(${params.add(ids)}::uuid[]) OR r.id = ANY(${params.add(originIds)}::uuid[])
      ORDER BY r.created_at, r.id`,
    params.values,
  );
  return rows.map((r: Record<string, any>) => ({ ...toLinked(r), visible: r.visible === true }));
}

/** The instances (recommendations, referrals) about the given administrative cases that `visibility` lets the caller see. */
export async function instancesOfAdminCases(
  q: Queryable,
  visibility: ReferralVisibility,
  adminCaseIds: string[],
): Promise<(Omit<LinkedInstanceRow, 'visible'> & { adminCaseId: string })[]> {
  const params = new SqlParams();
  const rows = await q.query(
    `SELECT r.id, r.workflow, r.reference_no, r.state, r.outcome, r.origin_id, r.admin_case_id FROM referrals r
      WHERE r.admin_case_id = ANY(${params.add(adminCaseIds)}::uuid[]) AND ${visibility.condition(params)}
      ORDER BY r.created_at, r.id`,
    params.values,
  );
  return rows.map((r: Record<string, any>) => ({ ...toLinked(r), adminCaseId: r.admin_case_id }));
}

/** A referral as a chain of cases shows it, with whether the caller may see it (parties' links). */
export interface ReferralSummaryRow {
  id: string;
  referenceNo: string;
  title: string;
  state: string;
  open: boolean;
  sourceAgencyId: string;
  targetAgencyId: string;
  regionCode: string;
  visible: boolean;
}

export async function referralSummaries(
  q: Queryable,
  visibility: ReferralVisibility,
  ids: string[],
): Promise<ReferralSummaryRow[]> {
  if (ids.length === 0) return [];
  const params = new SqlParams();
  const rows = await q.query(
    `SELECT r.id, r.reference_no, r.title, r.state, NOT ${finalStateSql('r')} AS open, r.source_agency_id, r.target_agency_id,
            r.region_code, ${visibility.condition(params)} AS visible
       FROM referrals r WHERE r.id = ANY(${params.add(ids)}::uuid[])`,
    params.values,
  );
  return rows.map((r: Record<string, any>) => ({
    id: r.id,
    referenceNo: r.reference_no,
    title: r.title,
    state: r.state,
    open: r.open,
    sourceAgencyId: r.source_agency_id,
    targetAgencyId: r.target_agency_id,
    regionCode: r.region_code,
    visible: r.visible === true,
  }));
}

/** The agencies with a rectification task on the referral (the 'task' relation). */
export async function taskAgenciesOf(q: Queryable, referralId: string): Promise<string[]> {
  const rows: { agency_id: string }[] = await q.query(
    `SELECT DISTINCT agency_id FROM rectification_tasks WHERE referral_id = $1`,
    [referralId],
  );
  return rows.map((r) => r.agency_id);
}

/** Workflow, reference number and title, for texts (workers: no scope). */
export async function referralHeading(
  q: Queryable,
  referralId: string,
): Promise<{ workflow: string; referenceNo: string; title: string } | null> {
  const [row] = await q.query(`SELECT workflow, reference_no, title FROM referrals WHERE id = $1`, [referralId]);
  return row ? { workflow: row.workflow, referenceNo: row.reference_no, title: row.title } : null;
}

/** Locks, in id order, every referral with a live deadline: the engine's order (referral, then its deadlines). */
export async function lockReferralsWithLiveDeadlines(tx: EntityManager): Promise<void> {
  await tx.query(`SELECT r.id FROM referrals r WHERE r.id IN (${referralsWithLiveDeadlines()}) ORDER BY r.id FOR UPDATE`);
}

// ---- lists ----------------------------------------------------------------------

export interface ReferralFilter {
  /** Lists show one procedure's instances. */
  workflow: string;
  originId?: string;
  adminCaseId?: string;
  state?: string;
  domain?: string;
  campaign?: string;
  /** The current target is this agency. */
  targetAgencyId?: string;
  sourceAgencyId?: string;
  /** With a deadline overdue at this moment. */
  overdueAt?: Date;
  /** In the title, reference number or summary (case-insensitive, taken literally). */
  text?: string;
  /** Keyset: strictly before this (created_at, id). */
  before?: { at: string; id: string };
}

/** Newest first, at most `limit` rows. */
export async function listReferrals(
  q: Queryable,
  visibility: ReferralVisibility,
  f: ReferralFilter,
  limit: number,
): Promise<ReferralRow[]> {
  const params = new SqlParams();
  const where = [`r.workflow = ${params.add(f.workflow)}`, visibility.condition(params)];
  if (f.originId) where.push(`r.origin_id = ${params.add(f.originId)}`);
  if (f.adminCaseId) where.push(`r.admin_case_id = ${params.add(f.adminCaseId)}`);
  if (f.state) where.push(`r.state = ${params.add(f.state)}`);
  if (f.domain) where.push(`r.domain = ${params.add(f.domain)}`);
  if (f.campaign) where.push(`r.campaign = ${params.add(f.campaign)}`);
  if (f.targetAgencyId) where.push(`r.target_agency_id = ${params.add(f.targetAgencyId)}`);
  if (f.sourceAgencyId) where.push(`r.source_agency_id = ${params.add(f.sourceAgencyId)}`);
  if (f.overdueAt) where.push(hasOverdueDeadline('r', params.add(f.overdueAt)));
  if (f.text) {
    const like = params.add(`%${f.text.replace(/[\\%_]/g, (c) => `\\${c}`)}%`);
    where.push(`(r.title ILIKE ${like} OR r.reference_no ILIKE ${like} OR r.summary ILIKE ${like})`);
  }
  if (f.before) where.push(`(r.created_at, r.id) < (${params.add(f.before.at)}::timestamptz, ${params.add(f.before.id)}::uuid)`);
  const rows = await q.query(
    `SELECT r.* FROM referrals r WHERE ${where.join(' AND ')} ORDER BY r.created_at DESC, r.id DESC LIMIT ${params.add(limit)}`,
    params.values,
  );
  return rows.map(toReferral);
}

// ---- supervision (SQL built here, run by the supervision service on its connection) ----

/** SQL: the instance is in a final state of its own workflow (every workflow's, from the registry). */
function finalStateSql(r: string): string {
  const cases = currentDefinitions()
    .map((d) => `WHEN '${d.name}' THEN ${r}.state IN (${d.finalStates.map((f) => `'${f}'`).join(', ')})`)
    .join(' ');
  return `(CASE ${r}.workflow ${cases} ELSE FALSE END)`;
}

/**
 * The linkage figures of the instances created in [from, to): recommendations by
 * outcome, reverse transfers answered and on time, each with the open ones overdue.
 * "On time": replied with none of its deadlines ever breached.
 */
export function linkageFiguresQuery(visibility: ReferralVisibility, range: DateRange, now: Date): SqlQuery {
  const params = new SqlParams();
  const at = params.add(now);
  const text = `
      WITH i AS (
        SELECT r.workflow, r.state, r.outcome,
               ${hasOverdueDeadline('r', at)} AS overdue,
               ${everBreached('r')} AS ever_breached
          FROM referrals r
         WHERE r.workflow IN ('transfer-recommendation', 'reverse-transfer')
           AND r.created_at >= ${params.add(range.from)} AND r.created_at < ${params.add(range.to)}
           AND ${visibility.condition(params, 'r')}
      )
      SELECT
        count(*) FILTER (WHERE workflow = 'transfer-recommendation')::int AS rec_issued,
        count(*) FILTER (WHERE workflow = 'transfer-recommendation' AND outcome = 'transferred')::int AS rec_transferred,
        count(*) FILTER (WHERE workflow = 'transfer-recommendation' AND outcome = 'explained')::int AS rec_explained,
        count(*) FILTER (WHERE workflow = 'transfer-recommendation' AND outcome = 'withdrawn')::int AS rec_withdrawn,
        count(*) FILTER (WHERE workflow = 'transfer-recommendation' AND outcome IS NULL)::int AS rec_open,
        count(*) FILTER (WHERE workflow = 'transfer-recommendation' AND overdue)::int AS rec_overdue,
        count(*) FILTER (WHERE workflow = 'reverse-transfer')::int AS rt_transferred,
        count(*) FILTER (WHERE workflow = 'reverse-transfer' AND state = 'replied')::int AS rt_answered,
        count(*) FILTER (WHERE workflow = 'reverse-transfer' AND state = 'replied' AND NOT ever_breached)::int AS rt_on_time,
        count(*) FILTER (WHERE workflow = 'reverse-transfer' AND outcome = 'penalty-imposed')::int AS rt_penalty,
        count(*) FILTER (WHERE workflow = 'reverse-transfer' AND outcome = 'no-penalty')::int AS rt_no_penalty,
        count(*) FILTER (WHERE workflow = 'reverse-transfer' AND overdue)::int AS rt_overdue
        FROM i`;
  return { text, values: params.values };
}

/** A timestamptz as ISO-8601 UTC to the microsecond: a keyset position that loses nothing (JS dates stop at ms). */
const isoMicros = (column: string) => `to_char(${column} AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"')`;

/** SQL: the flag of a referral listed for supervision. */
const LISTED_FLAG = `'listed-supervision'`;

export interface OverdueFilter {
  workflow?: string;
  kind?: string;
  agencyId?: string;
  regionCode?: string;
  domain?: string;
  /** Listed for supervision (true) or not (false). */
  listed?: boolean;
  /** Keyset: strictly after this (due_at, id). */
  after?: { at: string; id: string };
}

/**
 * Top-N per stream, then merged: unresolved breaches, and pending deadlines due
 * before now, each read in (due_at, id) order from its partial index (see the
 * SupervisionIndexes migration) with the referral joined and the scope and filters
 * applied, stopping at the page size; the outer query merges the two short lists.
 * A page costs about `limit` index entries per stream, not the whole overdue set.
 */
export function overdueViewQuery(visibility: ReferralVisibility, f: OverdueFilter, now: Date, limit: number): SqlQuery {
  const params = new SqlParams();
  const at = params.add(now);
  const pageSize = params.add(limit);
  const where: string[] = [];
  if (f.kind) where.push(`d.kind = ${params.add(f.kind)}`);
  if (f.agencyId) where.push(`d.responsible_agency_id = ${params.add(f.agencyId)}`);
  if (f.after) where.push(`(d.due_at, d.id) > (${params.add(f.after.at)}::timestamptz, ${params.add(f.after.id)}::uuid)`);
  where.push(visibility.condition(params, 'r'));
  if (f.regionCode) where.push(regionCoversSql(f.regionCode, 'r.region_code', params));
  if (f.domain) where.push(`r.domain = ${params.add(f.domain)}`);
  if (f.workflow) where.push(`r.workflow = ${params.add(f.workflow)}`);
  if (f.listed !== undefined) where.push(`${f.listed ? '' : 'NOT '}(${LISTED_FLAG} = ANY(r.flags))`);
  const join = joinReferral('d.referral_id');
  const text = `
      SELECT o.*, ${isoMicros('o.due_at')} AS due_key, to_jsonb(sa) AS source_agency, to_jsonb(ta) AS target_agency
        FROM (${overdueStream(openBreach(), join, where, pageSize)}
              UNION ALL
              ${overdueStream(pendingPastDue(at), join, where, pageSize)}) o
        JOIN agencies sa ON sa.id = o.source_agency_id
        JOIN agencies ta ON ta.id = o.target_agency_id
       ORDER BY o.due_at, o.deadline_id
       LIMIT ${pageSize}`;
  return { text, values: params.values };
}

export interface ListedFilter {
  level?: string;
  /** Keyset: strictly before this (created_at, id). */
  before?: { at: string; id: string };
}

/**
 * Referrals listed for supervision in scope, newest first: the listing (from the
 * snapshot's context), the last progress report since the last DELIST, and the due time
 * of the open supervision-report deadline (past when it is breached).
 */
export function listedViewQuery(visibility: ReferralVisibility, f: ListedFilter, limit: number): SqlQuery {
  const params = new SqlParams();
  const where = [`r.workflow = 'referral'`, `${LISTED_FLAG} = ANY(r.flags)`, visibility.condition(params, 'r')];
  if (f.level) where.push(`r.snapshot #>> '{context,listing,level}' = ${params.add(f.level)}`);
  if (f.before) where.push(`(r.created_at, r.id) < (${params.add(f.before.at)}::timestamptz, ${params.add(f.before.id)}::uuid)`);
  const text = `
      SELECT r.id AS referral_id, r.workflow, r.reference_no, r.title, r.state, r.domain, r.region_code,
             r.snapshot #> '{context,listing}' AS listing, ${isoMicros('r.created_at')} AS created_key,
             to_jsonb(sa) AS source_agency, to_jsonb(ta) AS target_agency,
             (SELECT max(e.occurred_at) FROM referral_events e
               WHERE e.referral_id = r.id AND e.type = 'REPORT_SUPERVISION_PROGRESS'
                 AND e.seq > coalesce((SELECT max(x.seq) FROM referral_events x
                                        WHERE x.referral_id = r.id AND x.type = 'DELIST'), 0)) AS last_report_at,
             ${openDeadlineDue('r', params.add('supervision-report'))} AS next_report_due_at
        FROM referrals r
        JOIN agencies sa ON sa.id = r.source_agency_id
        JOIN agencies ta ON ta.id = r.target_agency_id
       WHERE ${where.join(' AND ')}
       ORDER BY r.created_at DESC, r.id DESC
       LIMIT ${params.add(limit)}`;
  return { text, values: params.values };
}

const GROUP_KEY: Record<GroupBy, string> = {
  workflow: 'r.workflow',
  state: 'r.state',
  domain: 'r.domain',
  targetAgency: 'r.target_agency_id::text',
  sourceAgency: 'r.source_agency_id::text',
};

/** Stats of the referrals created in [from, to) (definitions in supervision.service.ts). */
export function statsQuery(
  visibility: ReferralVisibility,
  groupBy: GroupBy,
  range: DateRange,
  now: Date,
  workflow?: string,
): SqlQuery {
  const params = new SqlParams();
  const at = params.add(now);
  const ofWorkflow = workflow ? `AND r.workflow = ${params.add(workflow)}` : '';
  const text = `
      WITH facts AS (
        SELECT ${GROUP_KEY[groupBy]} AS key, r.state, r.created_at, ${finalStateSql('r')} AS final,
               ${hasOverdueDeadline('r', at)} AS overdue,
               decision.occurred_at AS decided_at,
               review.due_at AS review_due_at
          FROM referrals r
          LEFT JOIN LATERAL (
                SELECT e.occurred_at FROM referral_events e
                 WHERE e.referral_id = r.id AND e.type IN ('ACCEPT', 'DECLINE')
                 ORDER BY e.seq LIMIT 1) decision ON TRUE
          LEFT JOIN LATERAL ${reviewDeadlineDue('r')} review ON TRUE
         WHERE r.created_at >= ${params.add(range.from)} AND r.created_at < ${params.add(range.to)} ${ofWorkflow}
           AND ${visibility.condition(params, 'r')}
      )
      SELECT key,
             count(*)::int AS total,
             count(*) FILTER (WHERE NOT final)::int AS open,
             count(*) FILTER (WHERE overdue)::int AS overdue,
             count(*) FILTER (WHERE decided_at <= review_due_at)::float8 / nullif(count(decided_at), 0) AS on_time_rate,
             percentile_cont(0.5) WITHIN GROUP (ORDER BY (extract(epoch FROM decided_at - created_at) / 3600)::float8) AS median_hours
        FROM facts
       GROUP BY key
       ORDER BY key COLLATE "C"`;
  return { text, values: params.values };
}

/** Where the previous export batch ended (created_at exact to the microsecond). */
export interface ExportKey {
  created_key: string;
  id: string;
}

/** One keyset batch of the export: the instances (of `workflow`, when named) created in [from, to), oldest first. */
export function exportQuery(
  visibility: ReferralVisibility,
  range: DateRange,
  now: Date,
  after: ExportKey | null,
  limit: number,
  workflow?: string,
): SqlQuery {
  const params = new SqlParams();
  const at = params.add(now);
  const where = [
    `r.created_at >= ${params.add(range.from)}`,
    `r.created_at < ${params.add(range.to)}`,
    visibility.condition(params, 'r'),
  ];
  if (workflow) where.push(`r.workflow = ${params.add(workflow)}`);
  if (after) where.push(`(r.created_at, r.id) > (${params.add(after.created_key)}::timestamptz, ${params.add(after.id)}::uuid)`);
  const text = `
      SELECT r.id, ${isoMicros('r.created_at')} AS created_key,
             r.reference_no, r.title, r.state, r.outcome, r.domain,
             sa.name AS source_agency_name, ta.name AS target_agency_name,
             r.region_code, r.amount_involved, r.campaign, r.created_at,
             ${countOverdueDeadlines('r', at)} AS overdue_deadlines, r.workflow
        FROM referrals r
        JOIN agencies sa ON sa.id = r.source_agency_id
        JOIN agencies ta ON ta.id = r.target_agency_id
       WHERE ${where.join(' AND ')}
       ORDER BY r.created_at, r.id
       LIMIT ${params.add(limit)}`;
  return { text, values: params.values };
}

// ---- campaign dashboards (definitions in campaigns.service.ts) -------------------

/** SQL: the dashboard's group key of referral alias `r` (a month is the submission's, in `timeZone`). */
function campaignKey(groupBy: DashboardGroupBy, timeZone: string, params: SqlParams): string {
  if (groupBy === 'month') return `to_char(r.created_at AT TIME ZONE ${params.add(timeZone)}, 'YYYY-MM')`;
  return groupBy === 'region' ? 'r.region_code' : 'r.domain';
}

/**
 * The referral figures of campaign `code` in the caller's scope, one row per group and
 * one for the whole campaign (`is_total`, from GROUPING SETS: a median does not add up).
 */
export function campaignReferralFiguresQuery(
  visibility: ReferralVisibility,
  code: string,
  groupBy: DashboardGroupBy,
  timeZone: string,
): SqlQuery {
  const params = new SqlParams();
  const text = `
      WITH facts AS (
        SELECT ${campaignKey(groupBy, timeZone, params)} AS key, r.created_at,
               EXISTS (SELECT 1 FROM referral_events a WHERE a.referral_id = r.id AND a.type = 'ACCEPT') AS accepted,
               decision.occurred_at AS decided_at,
               ${countEverBreached('r')} AS breaches
          FROM referrals r
          LEFT JOIN LATERAL (
                SELECT e.occurred_at FROM referral_events e
                 WHERE e.referral_id = r.id AND e.type IN ('ACCEPT', 'DECLINE')
                 ORDER BY e.seq LIMIT 1) decision ON TRUE
         WHERE r.workflow = 'referral' AND r.campaign = ${params.add(code)}
           AND ${visibility.condition(params, 'r')}
      )
      SELECT key, GROUPING(key) = 1 AS is_total,
             count(*)::int AS transfers,
             count(*) FILTER (WHERE accepted)::int AS acceptances,
             percentile_cont(0.5) WITHIN GROUP (ORDER BY (extract(epoch FROM decided_at - created_at) / 3600)::float8) AS median_hours,
             coalesce(sum(breaches), 0)::int AS breaches
        FROM facts
       GROUP BY GROUPING SETS ((key), ())`;
  return { text, values: params.values };
}

/** The referrals of campaign `code` in the caller's scope with their dashboard group: the cases its party figures join. */
export async function campaignReferralKeys(
  q: Queryable,
  visibility: ReferralVisibility,
  code: string,
  groupBy: DashboardGroupBy,
  timeZone: string,
): Promise<{ id: string; key: string }[]> {
  const params = new SqlParams();
  return q.query(
    `SELECT r.id, ${campaignKey(groupBy, timeZone, params)} AS key
       FROM referrals r
      WHERE r.workflow = 'referral' AND r.campaign = ${params.add(code)} AND ${visibility.condition(params, 'r')}`,
    params.values,
  );
}

/** Transfer recommendations in the caller's scope issued on the given administrative cases, counted per group of cases. */
export async function campaignRecommendationCounts(
  q: Queryable,
  visibility: ReferralVisibility,
  groups: { key: string; ids: string[] }[],
): Promise<{ key: string; recommendations: number }[]> {
  if (groups.length === 0) return [];
  const params = new SqlParams();
  return q.query(
    `SELECT g.key, count(*)::int AS recommendations
       FROM jsonb_to_recordset(${params.add(JSON.stringify(groups))}::jsonb) AS g(key text, ids uuid[])
       JOIN referrals r ON r.admin_case_id = ANY(g.ids) AND r.workflow = 'transfer-recommendation'
      WHERE ${visibility.condition(params, 'r')}
      GROUP BY g.key`,
    params.values,
  );
}
