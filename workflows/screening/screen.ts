// Screening: which rules in force on the act date a case meets (flagged) or
// nearly meets (a threshold reached to `nearRatio`, near), each with a sentence
// saying why. Pure: the caller passes the rules and the date.
import type {
  AmountFact,
  Condition,
  ScreenedCase,
  ScreeningFlag,
  ScreeningReason,
  ScreeningResult,
  ScreeningRule,
} from './screening.types';

export interface ScreenOptions {
  /** the local date of the act, YYYY-MM-DD */
  actDate: string;
  /** a threshold reached to this fraction (0 < r < 1) is "near" */
  nearRatio: number;
}

const FACT_LABEL: Record<AmountFact, string> = {
  salesAmount: 'sales',
  goodsValue: 'unsold value',
  illegalGains: 'illegal gains',
  illegalBusinessVolume: 'illegal business volume',
  resourceValue: 'resource value',
};

// Mass units in tonnes; any other unit is compared only with itself.
const TONNES: Record<string, number> = { t: 1, kg: 0.001, g: 0.000001 };

/** 48000 → "48,000"; 1234.5 → "1,234.5". */
export function formatAmount(n: number): string {
  return n.toLocaleString('en-US', { maximumFractionDigits: 2 });
}

export const MAX_SEVERITY = 1_000_000;

const toNumber = (s: string | undefined) => (s === undefined || s === '' ? 0 : Number(s));

/** A condition's standing: met at ratio ≥ 1; `threshold` false for yes/no conditions (never near). */
interface Standing {
  ratio: number;
  threshold: boolean;
  /** what was measured against what, e.g. "sales 48,000" and "50,000" */
  says: (nearRatio: number | null) => string;
}

function sameUnit(amount: number, unit: string, wanted: string): number | null {
  if (unit === wanted) return amount;
  if (TONNES[unit] !== undefined && TONNES[wanted] !== undefined) return (amount * TONNES[unit]) / TONNES[wanted];
  return null;
}

/** Years before `date` (YYYY-MM-DD), same month and day. */
function yearsBefore(date: string, years: number): string {
  return `${String(Number(date.slice(0, 4)) - years).padStart(4, '0')}${date.slice(4)}`;
}

const measured = (what: string, value: number, atLeast: number) => (near: number | null) =>
  near === null
    ? `${what} ${formatAmount(value)} ≥ ${formatAmount(atLeast)}`
    : `${what} ${formatAmount(value)} ≥ ${Math.round(near * 100)} % of ${formatAmount(atLeast)}`;

function stand(c: Condition, kase: ScreenedCase, actDate: string): Standing {
  const facts = kase.facts;
  switch (c.kind) {
    case 'amount': {
      const value = toNumber(facts[c.fact]);
      const atLeast = Number(c.atLeast);
      return { ratio: value / atLeast, threshold: true, says: measured(FACT_LABEL[c.fact], value, atLeast) };
    }
    case 'sum': {
      const value = c.terms.reduce((sum, t) => sum + toNumber(facts[t.fact]) * t.times, 0);
      const what = c.terms.map((t) => (t.times === 1 ? FACT_LABEL[t.fact] : `${FACT_LABEL[t.fact]} × ${t.times}`)).join(' + ');
      const atLeast = Number(c.atLeast);
      return { ratio: value / atLeast, threshold: true, says: measured(what, value, atLeast) };
    }
    case 'quantity': {
      const value = (facts.quantities ?? [])
        .filter((q) => q.item === c.item)
        .reduce((sum, q) => sum + (sameUnit(Number(q.amount), q.unit, c.unit) ?? 0), 0);
      const atLeast = Number(c.atLeast);
      const says = measured(c.item, value, atLeast);
      return { ratio: value / atLeast, threshold: true, says: (near) => `${says(near)} ${c.unit}` };
    }
    case 'finding': {
      const present = (facts.findings ?? []).includes(c.finding);
      return { ratio: present ? 1 : 0, threshold: false, says: () => `finding ${c.finding} (any amount)` };
    }
    case 'prior-penalty': {
      const since = yearsBefore(actDate, c.withinYears);
      const prior = kase.priorPenalties
        .filter((p) => p.domain === kase.domain && p.decidedAt >= since && p.decidedAt <= actDate)
        .sort((a, b) => b.decidedAt.localeCompare(a.decidedAt))[0];
      return {
        ratio: prior ? 1 : 0,
        threshold: false,
        says: () => `a prior penalty in ${kase.domain} within ${c.withinYears} years${prior ? ` (${prior.decidedAt})` : ''}`,
      };
    }
    case 'all': {
      const parts = c.of.map((x) => stand(x, kase, actDate));
      // The weakest part decides; near only when every yes/no part is met.
      const ratio = Math.min(...parts.map((p) => p.ratio));
      return {
        ratio,
        threshold: parts.some((p) => p.threshold),
        says: (near) => parts.map((p) => p.says(p.threshold && p.ratio < 1 ? near : null)).join(' and '),
      };
    }
    case 'any': {
      const parts = c.of.map((x) => stand(x, kase, actDate));
      const best = parts.reduce((a, b) => (b.ratio > a.ratio ? b : a));
      return best;
    }
  }
}

/** The rule versions in force on `date`: effectiveFrom ≤ date ≤ effectiveTo; per code the highest version. */
export function rulesInForce(rules: ScreeningRule[], date: string): ScreeningRule[] {
  const byCode = new Map<string, ScreeningRule>();
  for (const r of rules) {
    if (r.effectiveFrom > date || (r.effectiveTo !== null && r.effectiveTo < date)) continue;
    const seen = byCode.get(r.code);
    if (!seen || seen.version < r.version) byCode.set(r.code, r);
  }
  return [...byCode.values()].sort((a, b) => a.code.localeCompare(b.code));
}

/** Evaluates the case on the rules in force on the act date (and for its domain). */
export function screen(kase: ScreenedCase, rules: ScreeningRule[], { actDate, nearRatio }: ScreenOptions): ScreeningResult {
  if (!(nearRatio > 0 && nearRatio < 1)) throw new RangeError(`nearRatio must lie between 0 and 1, got ${nearRatio}`);
  const applicable = rulesInForce(rules, actDate).filter((r) => r.domain === null || r.domain === kase.domain);
  const reasons: (ScreeningReason & { ratio: number })[] = [];
  for (const rule of applicable) {
    const s = stand(rule.condition, kase, actDate);
    let outcome: ScreeningFlag | null = null;
    if (s.ratio >= 1) outcome = 'flagged';
    else if (s.threshold && s.ratio >= nearRatio) outcome = 'near';
    if (!outcome) continue;
    const text = `${s.says(outcome === 'near' ? nearRatio : null)}, ${rule.legalBasis}`;
    reasons.push({ rule: rule.code, version: rule.version, outcome, text, ratio: s.ratio });
  }
  // Most serious first: flagged before near, then by how far the threshold is passed.
  reasons.sort((a, b) => b.ratio - a.ratio || a.rule.localeCompare(b.rule));
  // Capped so that a stored severity stays a small number, however far a threshold is passed.
  const severity = reasons.length > 0 ? Math.round(Math.min(reasons[0].ratio, MAX_SEVERITY) * 10000) / 10000 : 0;
  const flag = reasons.some((r) => r.outcome === 'flagged') ? 'flagged' : reasons.length > 0 ? 'near' : null;
  return {
    flag,
    severity,
    reasons: reasons.map(({ ratio: _ratio, ...r }) => r),
    evaluated: applicable.map((r) => ({ rule: r.code, version: r.version })),
  };
}
