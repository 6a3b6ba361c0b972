// Region arithmetic on 6-digit administrative-division codes, in one place
// (API.md "Roles and scope"): 000000 covers the nation, xx0000 a province,
// xxxx00 a prefecture, anything else only itself. The SQL function
// region_prefix (CoreSchema migration) is the same rule for SQL; regions.spec.ts
// checks the two agree.
import type { SqlParams } from '../common/sql-params';

/** The prefix every code inside the region starts with. */
export function regionPrefix(code: string): string {
  if (code === '000000') return '';
  if (code.endsWith('0000')) return code.slice(0, 2);
  if (code.endsWith('00')) return code.slice(0, 4);
  return code;
}

/** The region one administrative level above: district → prefecture → province → nation. */
export function parentRegion(code: string): string {
  const prefix = regionPrefix(code);
  if (prefix.length === 6) return code.slice(0, 4) + '00';
  if (prefix.length === 4) return code.slice(0, 2) + '0000';
  return '000000';
}

export function regionCovers(scopeCode: string, code: string): boolean {
  return code.startsWith(regionPrefix(scopeCode));
}

/** `scopeCode` lies above `code`: it covers it and is not the same region (a city over its districts). */
export function regionAbove(scopeCode: string, code: string): boolean {
  return scopeCode !== code && regionCovers(scopeCode, code);
}

/** A region with regions under it (a province, a prefecture, the nation); a district has none. */
export const hasSubregions = (code: string) => regionPrefix(code).length < 6;

/**
 * SQL: the code column `code` lies within the region `scopeCode`, known here. A
 * constant LIKE prefix, so the text_pattern_ops index on referrals.region_code serves it.
 */
export function regionCoversSql(scopeCode: string, code: string, params: SqlParams): string {
  return `${code} LIKE ${params.add(regionPrefix(scopeCode) + '%')}`;
}

/** SQL: the region in column `scope` (e.g. an agency's) covers the code expression `code`; both SQL expressions. */
export const regionColumnCoversSql = (scope: string, code: string) => `${code} LIKE region_prefix(${scope}) || '%'`;

/** SQL: the length of the region prefix of column `scope`, to pick the nearest of several covering regions. */
export const regionDepthSql = (scope: string) => `length(region_prefix(${scope}))`;
