// Who may see a referral (API.md "Roles and scope"): its source agency, its
// current target, agencies with a rectification task on it, and procuratorates /
// supervisors whose region contains it. Enforced inside the SQL of every read.
import type { Relation } from '../../workflows/referral/referral.types';
import type { EntityManager } from 'typeorm';
import { notFound } from '../common/problem';
import { SqlParams } from '../common/sql-params';
import type { Principal } from './principal';

const OVERSIGHT_KINDS = ['procuratorate', 'supervisor'];

/** 000000 covers the nation, xx0000 a province, xxxx00 a prefecture, anything else only itself. */
export function regionPrefix(code: string): string {
  if (code === '000000') return '';
  if (code.endsWith('0000')) return code.slice(0, 2);
  if (code.endsWith('00')) return code.slice(0, 4);
  return code;
}

export function regionCovers(scopeCode: string, code: string): boolean {
  return code.startsWith(regionPrefix(scopeCode));
}

export const isOverseer = (p: Principal) => OVERSIGHT_KINDS.includes(p.agency.kind);

/** A boolean SQL condition on referral alias `r` that is true for the rows the principal may see. */
export function scopeCondition(p: Principal, params: SqlParams, r = 'r'): string {
  if (p.roles.includes('admin')) return 'TRUE';
  const agency = params.add(p.agency.id);
  const parts = [
    `${r}.source_agency_id = ${agency}`,
    `${r}.target_agency_id = ${agency}`,
    `EXISTS (SELECT 1 FROM rectification_tasks st WHERE st.referral_id = ${r}.id AND st.agency_id = ${agency})`,
  ];
  if (isOverseer(p)) parts.push(`${r}.region_code LIKE ${params.add(regionPrefix(p.agency.regionCode) + '%')}`);
  return `(${parts.join(' OR ')})`;
}

export interface ScopedReferral {
  sourceAgencyId: string;
  targetAgencyId: string;
  regionCode: string;
}

/** The actor's relations to a referral, which the statechart's guards read. */
export function relationsOf(p: Principal, referral: ScopedReferral, taskAgencyIds: string[]): Relation[] {
  const relations: Relation[] = [];
  if (p.agency.id === referral.sourceAgencyId) relations.push('source');
  if (p.agency.id === referral.targetAgencyId) relations.push('target');
  if (taskAgencyIds.includes(p.agency.id)) relations.push('task');
  if (isOverseer(p) && regionCovers(p.agency.regionCode, referral.regionCode)) relations.push('oversight');
  return relations;
}

/** Suspect ID numbers are shown in full only to the two parties of the transfer. */
export const seesSuspectIds = (p: Principal, referral: ScopedReferral) =>
  p.agency.id === referral.sourceAgencyId || p.agency.id === referral.targetAgencyId;

/**
 * The referral if the caller may see it, read with the scope in the SQL; otherwise
 * 404. `principal` null is the system actor (no scope). `columns` adds to the
 * scoped fields; `lock` takes the row lock every writer to a referral takes first.
 */
export async function findScopedReferral<T extends ScopedReferral & { id: string }>(
  tx: EntityManager,
  principal: Principal | null,
  referralId: string,
  { lock = false, columns = '' }: { lock?: boolean; columns?: string } = {},
): Promise<T> {
  const params = new SqlParams();
  const id = params.add(referralId);
  const scope = principal ? scopeCondition(principal, params) : 'TRUE';
  const [row] = await tx.query(
    `SELECT r.id, r.source_agency_id AS "sourceAgencyId", r.target_agency_id AS "targetAgencyId",
            r.region_code AS "regionCode"${columns ? `, ${columns}` : ''}
       FROM referrals r WHERE r.id = ${id} AND ${scope} ${lock ? 'FOR UPDATE OF r' : ''}`,
    params.values,
  );
  if (!row) throw notFound('Referral');
  return row as T;
}
