// The access policy, in one place (API.md "Roles and scope"). Who may see a
// referral: its source agency, its current target, agencies with a rectification
// task on it, procuratorates / supervisors whose region contains it, police units
// above the police unit it sits with (they may elevate or designate: issue 11 §2),
// and the police units it was elevated or designated away from. Reads
// carry it inside their SQL (the repositories compose visibleReferrals); fan-out
// asks visibleAtEvent; masking asks seesSuspectIds.
import type { EntityManager } from 'typeorm';
import type { Relation } from '../../workflows/referral/referral.types';
import { maskIdNumbers } from '../common/mask';
import type { SqlParams } from '../common/sql-params';
import type { Principal } from './principal';
import { hasSubregions, regionAbove, regionColumnCoversSql, regionCovers, regionCoversSql, regionDepthSql } from './regions';

const OVERSIGHT_KINDS = ['procuratorate', 'supervisor'] as const;

export const isOverseer = (p: Principal) => (OVERSIGHT_KINDS as readonly string[]).includes(p.agency.kind);

/**
 * Which referrals a read may return: a condition on referral alias `r`. Only this
 * module makes one, and the referrals repository's reads take one, so a read on
 * behalf of a caller cannot leave the scope out.
 */
export interface ReferralVisibility {
  readonly principal: Principal | null;
  condition(params: SqlParams, r?: string): string;
}

export function visibleReferrals(p: Principal): ReferralVisibility {
  return {
    principal: p,
    condition(params, r = 'r') {
      if (p.roles.includes('admin')) return 'TRUE';
      const agency = params.add(p.agency.id);
      const parts = [
        `${r}.source_agency_id = ${agency}`,
        `${r}.target_agency_id = ${agency}`,
        `EXISTS (SELECT 1 FROM rectification_tasks st WHERE st.referral_id = ${r}.id AND st.agency_id = ${agency})`,
        `${agency}::uuid = ANY(${r}.former_target_ids)`,
      ];
      if (isOverseer(p)) parts.push(regionCoversSql(p.agency.regionCode, `${r}.region_code`, params));
      if (p.agency.kind === 'police' && hasSubregions(p.agency.regionCode)) {
        // a police unit above the one the case sits with: by the target unit's region, not the case's
        parts.push(`EXISTS (SELECT 1 FROM agencies ta WHERE ta.id = ${r}.target_agency_id AND ta.kind = 'police'
                       AND ta.region_code <> ${params.add(p.agency.regionCode)}
                       AND ${regionCoversSql(p.agency.regionCode, 'ta.region_code', params)})`);
      }
      return `(${parts.join(' OR ')})`;
    },
  };
}

/** @deprecated the engine's lock should be referrals.repository lockReferral; this keeps it compiling meanwhile. */
export const scopeCondition = (p: Principal, params: SqlParams, r = 'r') => visibleReferrals(p).condition(params, r);

/** The system actor (deadline jobs, fan-out, workers) reads every referral. */
export const EVERY_REFERRAL: ReferralVisibility = { principal: null, condition: () => 'TRUE' };

/** `principal` null is the system actor. */
export const visibilityOf = (principal: Principal | null) => (principal ? visibleReferrals(principal) : EVERY_REFERRAL);

/** The two parties of a transfer, as they stand (or stood around an event). */
export interface TransferParties {
  sourceAgencyId: string;
  targetAgencyId: string;
}

export interface ScopedReferral extends TransferParties {
  regionCode: string;
  /** The target's region when the target is a police unit and may have units above it that ask (see targetPoliceRegion). */
  targetPoliceRegion?: string;
}

/** The actor's relations to a referral, which the statechart's guards read. */
export function relationsOf(p: Principal, referral: ScopedReferral, taskAgencyIds: string[]): Relation[] {
  const relations: Relation[] = [];
  if (p.agency.id === referral.sourceAgencyId) relations.push('source');
  if (p.agency.id === referral.targetAgencyId) relations.push('target');
  if (taskAgencyIds.includes(p.agency.id)) relations.push('task');
  if (isOverseer(p) && regionCovers(p.agency.regionCode, referral.regionCode)) relations.push('oversight');
  if (
    p.agency.kind === 'police' &&
    referral.targetPoliceRegion !== undefined &&
    regionAbove(p.agency.regionCode, referral.targetPoliceRegion)
  ) {
    relations.push('superior');
  }
  return relations;
}

/**
 * The region of the police unit a case sits with, read only when `p` is a police unit
 * that could stand above it (the 'superior' relation needs it): otherwise undefined.
 */
export async function targetPoliceRegion(
  tx: EntityManager,
  p: Principal | null,
  targetAgencyId: string,
): Promise<string | undefined> {
  if (!p || p.agency.kind !== 'police' || p.agency.id === targetAgencyId || !hasSubregions(p.agency.regionCode)) {
    return undefined;
  }
  const [row]: { region_code: string }[] = await tx.query(`SELECT region_code FROM agencies WHERE id = $1 AND kind = 'police'`, [
    targetAgencyId,
  ]);
  return row?.region_code;
}

/** Suspect ID numbers are shown in full only to the two parties of the transfer (any of the given standings). */
export const seesSuspectIds = (agencyId: string, ...parties: TransferParties[]) =>
  parties.some((p) => p.sourceAgencyId === agencyId || p.targetAgencyId === agencyId);

/** `value` as agency `agencyId` may see it: every ID number masked unless it is a party. */
export const maskUnlessParty = <T>(agencyId: string, value: T, ...parties: TransferParties[]): T =>
  seesSuspectIds(agencyId, ...parties) ? value : maskIdNumbers(value);

/**
 * Which administrative cases a read may return: a condition on admin-case alias `c`.
 * The recording agency; procuratorates and supervisors whose region covers the case's
 * region (the recording agency's); admin all. The admin-cases repository's reads take one.
 */
export interface AdminCaseVisibility {
  readonly principal: Principal;
  condition(params: SqlParams, c?: string): string;
}

export function visibleAdminCases(p: Principal): AdminCaseVisibility {
  return {
    principal: p,
    condition(params, c = 'c') {
      if (p.roles.includes('admin')) return 'TRUE';
      const own = `${c}.agency_id = ${params.add(p.agency.id)}`;
      if (!isOverseer(p)) return own;
      return `(${own} OR ${regionCoversSql(p.agency.regionCode, `${c}.region_code`, params)})`;
    },
  };
}

/** The system (fan-out of linked-case notices) reads every administrative case; it has no agency of its own. */
export const EVERY_ADMIN_CASE: AdminCaseVisibility = {
  get principal(): Principal {
    throw new Error('the system reads administrative cases without a principal');
  },
  condition: () => 'TRUE',
};

/** A case's party ID numbers as agency `agencyId` may see them: in full only for the recording agency. */
export const maskUnlessRecorder = <T>(agencyId: string, value: T, recordingAgencyId: string): T =>
  agencyId === recordingAgencyId ? value : maskIdNumbers(value);

/** A timeline event as fan-out judges it: the parties as they stood just before and after it. */
export interface EventAudience {
  referralId: string;
  sourceAgencyId: string;
  targetBefore: string;
  targetAfter: string;
  regionCode: string;
  occurredAt: Date;
  /** The units the case was elevated or designated away from: they read on. */
  formerTargetIds: string[];
}

/**
 * SQL: agency alias `a` had the referral in scope when the event happened: the
 * source, the target before and after it (a FORWARD, ELEVATE or DESIGNATE), a unit it
 * was taken from, an agency whose rectification task existed by then, an overseer whose
 * region covers the referral, or a police unit above the target after the event.
 */
export function visibleAtEvent(e: EventAudience, params: SqlParams, a = 'a'): string {
  const parties = [e.sourceAgencyId, e.targetBefore, e.targetAfter, ...e.formerTargetIds].map((id) => `${params.add(id)}::uuid`);
  return `(${a}.id IN (${parties.join(', ')})
      OR EXISTS (SELECT 1 FROM rectification_tasks t
                  WHERE t.referral_id = ${params.add(e.referralId)}::uuid AND t.agency_id = ${a}.id
                    AND t.created_at <= ${params.add(e.occurredAt)}::timestamptz)
      OR (${a}.kind IN (${OVERSIGHT_KINDS.map((k) => `'${k}'`).join(', ')})
          AND ${regionColumnCoversSql(`${a}.region_code`, `${params.add(e.regionCode)}::text`)})
      OR (${a}.kind = 'police'
          AND EXISTS (SELECT 1 FROM agencies ta WHERE ta.id = ${params.add(e.targetAfter)}::uuid AND ta.kind = 'police'
                         AND ta.region_code <> ${a}.region_code
                         AND ${regionColumnCoversSql(`${a}.region_code`, 'ta.region_code')})))`;
}

/** The overseers (procuratorates and supervisors) whose region covers `regionCode`. */
export async function overseersOf(tx: EntityManager, regionCode: string): Promise<string[]> {
  const rows: { id: string }[] = await tx.query(
    `SELECT id FROM agencies WHERE kind IN ('procuratorate', 'supervisor') AND ${regionColumnCoversSql('region_code', '$1')}`,
    [regionCode],
  );
  return rows.map((x) => x.id);
}

/** The overseers whose region covers at least `atLeast` of the given regions (linked cases across regions). */
export async function overseersCoveringMany(
  tx: EntityManager,
  regionCodes: string[],
  atLeast: number,
): Promise<{ id: string; regionCode: string }[]> {
  const rows: { id: string; region_code: string }[] = await tx.query(
    `SELECT id, region_code FROM agencies WHERE kind IN ('procuratorate', 'supervisor') AND active`,
  );
  return rows
    .filter((a) => regionCodes.filter((c) => regionCovers(a.region_code, c)).length >= atLeast)
    .map((a) => ({ id: a.id, regionCode: a.region_code }));
}

/** The procuratorate at the referral's own level; failing that, the nearest one above it. */
export async function nearestProcuratorates(tx: EntityManager, regionCode: string): Promise<string[]> {
  const covers = `kind = 'procuratorate' AND ${regionColumnCoversSql('region_code', '$1')}`;
  const rows: { id: string }[] = await tx.query(
    `SELECT id FROM agencies
      WHERE ${covers} AND ${regionDepthSql('region_code')} = (SELECT max(${regionDepthSql('region_code')}) FROM agencies WHERE ${covers})`,
    [regionCode],
  );
  return rows.map((x) => x.id);
}

/**
 * Who sees a case group (并案, src/case-groups): whoever may see one of its members
 * (its current members; a dissolved group's, those it ended with). Each member is then
 * shown by visibleReferrals: in full when the caller may see it, else as its existence.
 */
export interface CaseGroupVisibility {
  /** null: the system (the answer to a change that took the caller's last member away). */
  readonly principal: Principal | null;
  /** The condition on a member referral (alias `r`) that makes the group visible. */
  readonly members: ReferralVisibility;
}

export const visibleCaseGroups = (p: Principal): CaseGroupVisibility => ({ principal: p, members: visibleReferrals(p) });

export const EVERY_CASE_GROUP: CaseGroupVisibility = { principal: null, members: EVERY_REFERRAL };

/** Who may form and change case groups: a police lead (of the lead unit or the forming one, for changes). */
export const formsCaseGroups = (p: Principal) => p.roles.includes('police-lead') && p.agency.kind === 'police';
