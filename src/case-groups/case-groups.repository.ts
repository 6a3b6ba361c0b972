// The case_groups and case_group_members tables' SQL: the only FROM of either. A
// group is visible to a caller who may see one of its members (auth/scope.ts
// visibleCaseGroups), a condition carried in the SQL like every scoped read.
import type { CaseGroupVisibility } from '../auth/scope';
import { SqlParams, type Queryable } from '../common/sql-params';
import { joinReferral } from '../referrals/referrals.repository';

export interface CaseGroupRow {
  id: string;
  name: string;
  leadAgencyId: string;
  reason: string;
  createdBy: string | null;
  createdAgencyId: string;
  createdAt: Date;
  updatedAt: Date;
  version: number;
  dissolvedAt: Date | null;
  dissolvedBy: string | null;
  dissolvedAgencyId: string | null;
  dissolveReason: string | null;
}

export interface CaseGroupMemberRow {
  id: string;
  groupId: string;
  referralId: string;
  addedBy: string | null;
  addedAgencyId: string;
  addedAt: Date;
  addedReason: string;
  removedAt: Date | null;
  removedBy: string | null;
  removedAgencyId: string | null;
  removedReason: string | null;
  removal: 'removed' | 'dissolved' | null;
}

const toGroup = (r: Record<string, any>): CaseGroupRow => ({
  id: r.id,
  name: r.name,
  leadAgencyId: r.lead_agency_id,
  reason: r.reason,
  createdBy: r.created_by,
  createdAgencyId: r.created_agency_id,
  createdAt: r.created_at,
  updatedAt: r.updated_at,
  version: r.version,
  dissolvedAt: r.dissolved_at,
  dissolvedBy: r.dissolved_by,
  dissolvedAgencyId: r.dissolved_agency_id,
  dissolveReason: r.dissolve_reason,
});

const toMember = (r: Record<string, any>): CaseGroupMemberRow => ({
  id: r.id,
  groupId: r.group_id,
  referralId: r.referral_id,
  addedBy: r.added_by,
  addedAgencyId: r.added_agency_id,
  addedAt: r.added_at,
  addedReason: r.added_reason,
  removedAt: r.removed_at,
  removedBy: r.removed_by,
  removedAgencyId: r.removed_agency_id,
  removedReason: r.removed_reason,
  removal: r.removal,
});

/** SQL: a membership row (alias m) that counts as a member now: current, or one the group was dissolved with. */
const shownMember = (m: string) => `(${m}.removed_at IS NULL OR ${m}.removal = 'dissolved')`;

/** SQL: the caller may see group alias `g`: it may see one of its members. */
function groupVisible(v: CaseGroupVisibility, params: SqlParams): string {
  return `EXISTS (SELECT 1 FROM case_group_members vm ${joinReferral('vm.referral_id')}
                   WHERE vm.group_id = g.id AND ${shownMember('vm')} AND ${v.members.condition(params)})`;
}

export async function insertCaseGroup(
  q: Queryable,
  g: Pick<CaseGroupRow, 'id' | 'name' | 'leadAgencyId' | 'reason' | 'createdBy' | 'createdAgencyId' | 'createdAt'>,
): Promise<void> {
  await q.query(
    `INSERT INTO case_groups (id, name, lead_agency_id, reason, created_by, created_agency_id, created_at, updated_at, version)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $7, 1)`,
    [g.id, g.name, g.leadAgencyId, g.reason, g.createdBy, g.createdAgencyId, g.createdAt],
  );
}

/** The group if the caller may see it (locked FOR UPDATE OF g when `lock`), else null. */
export async function readCaseGroup(
  q: Queryable,
  visibility: CaseGroupVisibility,
  id: string,
  { lock = false } = {},
): Promise<CaseGroupRow | null> {
  const params = new SqlParams();
  const rows = await q.query(
    `SELECT g.* FROM case_groups g WHERE g.id = ${params.add(id)} AND ${groupVisible(visibility, params)}${lock ? ' FOR UPDATE OF g' : ''}`,
    params.values,
  );
  return rows.length > 0 ? toGroup(rows[0]) : null;
}

export interface CaseGroupFilter {
  /** true: open groups only; false: dissolved ones only. */
  open?: boolean;
  /** Keyset: strictly before this (created_at, id). */
  before?: { at: string; id: string };
}

/** The groups the caller may see, newest first, at most `limit`. */
export async function listCaseGroups(
  q: Queryable,
  visibility: CaseGroupVisibility,
  f: CaseGroupFilter,
  limit: number,
): Promise<CaseGroupRow[]> {
  const params = new SqlParams();
  const where = [groupVisible(visibility, params)];
  if (f.open !== undefined) where.push(f.open ? 'g.dissolved_at IS NULL' : 'g.dissolved_at IS NOT NULL');
  if (f.before) where.push(`(g.created_at, g.id) < (${params.add(f.before.at)}::timestamptz, ${params.add(f.before.id)}::uuid)`);
  const rows = await q.query(
    `SELECT g.* FROM case_groups g WHERE ${where.join(' AND ')} ORDER BY g.created_at DESC, g.id DESC LIMIT ${params.add(limit)}`,
    params.values,
  );
  return rows.map(toGroup);
}

/**
 * Every membership row of the groups (current, removed and dissolved): the members and
 * their history, in the order they joined (those that formed the group: oldest referral first).
 */
export async function membershipsOf(q: Queryable, groupIds: string[]): Promise<CaseGroupMemberRow[]> {
  if (groupIds.length === 0) return [];
  const rows = await q.query(
    `SELECT m.* FROM case_group_members m ${joinReferral('m.referral_id')}
      WHERE m.group_id = ANY($1::uuid[]) ORDER BY m.added_at, r.created_at, r.id, m.id`,
    [groupIds],
  );
  return rows.map(toMember);
}

/** The open group each of these referrals is in (at most one each). */
export async function openGroupsOf(q: Queryable, referralIds: string[]): Promise<{ referralId: string; group: CaseGroupRow }[]> {
  if (referralIds.length === 0) return [];
  const rows = await q.query(
    `SELECT m.referral_id AS member_referral_id, g.* FROM case_group_members m JOIN case_groups g ON g.id = m.group_id
      WHERE m.referral_id = ANY($1::uuid[]) AND m.removed_at IS NULL`,
    [referralIds],
  );
  return rows.map((r: Record<string, any>) => ({ referralId: r.member_referral_id, group: toGroup(r) }));
}

export async function insertMembers(
  q: Queryable,
  groupId: string,
  members: { id: string; referralId: string }[],
  by: { userId: string; agencyId: string; at: Date; reason: string },
): Promise<void> {
  await q.query(
    `INSERT INTO case_group_members (id, group_id, referral_id, added_by, added_agency_id, added_at, added_reason)
     SELECT unnest($1::uuid[]), $2, unnest($3::uuid[]), $4, $5, $6, $7`,
    [members.map((m) => m.id), groupId, members.map((m) => m.referralId), by.userId, by.agencyId, by.at, by.reason],
  );
}

/** Stamps the current memberships of `referralIds` (all of them when null) as ended; returns the referral ids ended. */
export async function endMemberships(
  q: Queryable,
  groupId: string,
  referralIds: string[] | null,
  removal: 'removed' | 'dissolved',
  by: { userId: string; agencyId: string; at: Date; reason: string },
): Promise<string[]> {
  const [rows] = await q.query(
    `UPDATE case_group_members SET removed_at = $3, removed_by = $4, removed_agency_id = $5, removed_reason = $6, removal = $7
      WHERE group_id = $1 AND removed_at IS NULL AND ($2::uuid[] IS NULL OR referral_id = ANY($2::uuid[]))
      RETURNING referral_id`,
    [groupId, referralIds, by.at, by.userId, by.agencyId, by.reason, removal],
  );
  return (rows as { referral_id: string }[]).map((r) => r.referral_id);
}

/** A change to the group: version + 1 (and, for a dissolution, who ended it and why). */
export async function touchCaseGroup(
  q: Queryable,
  id: string,
  at: Date,
  dissolved?: { userId: string; agencyId: string; reason: string },
): Promise<void> {
  await q.query(
    `UPDATE case_groups SET version = version + 1, updated_at = $2,
            dissolved_at = CASE WHEN $3::text IS NULL THEN dissolved_at ELSE $2 END,
            dissolved_by = COALESCE($4, dissolved_by), dissolved_agency_id = COALESCE($5, dissolved_agency_id),
            dissolve_reason = COALESCE($3, dissolve_reason)
      WHERE id = $1`,
    [id, at, dissolved?.reason ?? null, dissolved?.userId ?? null, dissolved?.agencyId ?? null],
  );
}
