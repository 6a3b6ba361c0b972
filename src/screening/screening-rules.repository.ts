// The screening_rules table's SQL: the only `FROM screening_rules` in the code. Rule
// versions are public to every authenticated caller, so reads take no visibility.
import type { ScreeningRule } from '../../workflows/screening/screening.types';
import type { Queryable } from '../common/sql-params';

export interface RuleVersionRow extends ScreeningRule {
  source: 'shipped' | 'admin';
  createdBy: string | null;
  createdAt: Date;
}

const toRule = (r: Record<string, any>): RuleVersionRow => ({
  code: r.code,
  version: r.version,
  offence: r.offence,
  legalBasis: r.legal_basis,
  domain: r.domain,
  effectiveFrom: r.effective_from_text,
  effectiveTo: r.effective_to_text,
  condition: r.condition,
  source: r.source,
  createdBy: r.created_by,
  createdAt: r.created_at,
});

// Dates as text: a `date` read as a JS Date is local midnight, which a time zone can shift.
const COLUMNS = `r.*, r.effective_from::text AS effective_from_text, r.effective_to::text AS effective_to_text`;

/** Every version, by code then version; with `code`, that rule's only. */
export async function ruleVersions(q: Queryable, code?: string): Promise<RuleVersionRow[]> {
  const rows = code
    ? await q.query(`SELECT ${COLUMNS} FROM screening_rules r WHERE r.code = $1 ORDER BY r.version`, [code])
    : await q.query(`SELECT ${COLUMNS} FROM screening_rules r ORDER BY r.code, r.version`);
  return rows.map(toRule);
}

/** Inserts a version unless (code, version) exists; true when inserted. */
export async function insertRuleVersion(
  q: Queryable,
  rule: ScreeningRule,
  source: 'shipped' | 'admin',
  createdBy: string | null,
): Promise<boolean> {
  const rows = await q.query(
    `INSERT INTO screening_rules (code, version, offence, legal_basis, domain, effective_from, effective_to, condition, source, created_by)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)
     ON CONFLICT (code, version) DO NOTHING RETURNING code`,
    [
      rule.code,
      rule.version,
      rule.offence,
      rule.legalBasis,
      rule.domain,
      rule.effectiveFrom,
      rule.effectiveTo,
      JSON.stringify(rule.condition),
      source,
      createdBy,
    ],
  );
  return rows.length > 0;
}
