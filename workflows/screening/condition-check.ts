// A rule's condition arrives as JSON (PUT /screening-rules/:code); this checks its
// shape before it is stored, so screen() never meets a condition it cannot read.
import { AMOUNT_FACTS, CONDITION_KINDS, FINDINGS, type Condition } from './screening.types';

const DECIMAL = /^\d{1,14}(\.\d{1,3})?$/;
const MAX_DEPTH = 5;
const MAX_PARTS = 20;

const isObject = (v: unknown): v is Record<string, unknown> => v !== null && typeof v === 'object' && !Array.isArray(v);

const KEYS: Record<Condition['kind'], string[]> = {
  amount: ['kind', 'fact', 'atLeast'],
  sum: ['kind', 'terms', 'atLeast'],
  quantity: ['kind', 'item', 'unit', 'atLeast'],
  finding: ['kind', 'finding'],
  'prior-penalty': ['kind', 'withinYears'],
  all: ['kind', 'of'],
  any: ['kind', 'of'],
};

const positive = (v: unknown) => typeof v === 'string' && DECIMAL.test(v) && Number(v) > 0;

/** The problems of `c` as a condition, each as {field, message} under `field`; empty when it is one. */
export function conditionErrors(c: unknown, field = 'condition', depth = 0): { field: string; message: string }[] {
  const err = (f: string, message: string) => [{ field: f, message }];
  if (!isObject(c)) return err(field, 'a condition is an object');
  if (!(CONDITION_KINDS as readonly string[]).includes(c.kind as string)) {
    return err(`${field}.kind`, `kind must be one of ${CONDITION_KINDS.join(', ')}`);
  }
  const kind = c.kind as Condition['kind'];
  const unknown = Object.keys(c).filter((k) => !KEYS[kind].includes(k));
  if (unknown.length > 0) return err(`${field}.${unknown[0]}`, `a ${kind} condition has no ${unknown[0]}`);
  const amountFact = (v: unknown) => (AMOUNT_FACTS as readonly string[]).includes(v as string);
  switch (kind) {
    case 'amount':
      if (!amountFact(c.fact)) return err(`${field}.fact`, `fact must be one of ${AMOUNT_FACTS.join(', ')}`);
      return positive(c.atLeast) ? [] : err(`${field}.atLeast`, 'atLeast must be a positive decimal string');
    case 'sum': {
      if (!Array.isArray(c.terms) || c.terms.length < 1 || c.terms.length > AMOUNT_FACTS.length) {
        return err(`${field}.terms`, `terms must hold 1-${AMOUNT_FACTS.length} terms`);
      }
      const bad = c.terms.findIndex(
        (t) =>
          !isObject(t) ||
          !amountFact(t.fact) ||
          !Number.isInteger(t.times) ||
          (t.times as number) < 1 ||
          (t.times as number) > 100 ||
          Object.keys(t).some((k) => k !== 'fact' && k !== 'times'),
      );
      if (bad >= 0) return err(`${field}.terms.${bad}`, 'a term is {fact, times} with times a whole number 1-100');
      return positive(c.atLeast) ? [] : err(`${field}.atLeast`, 'atLeast must be a positive decimal string');
    }
    case 'quantity':
      for (const k of ['item', 'unit'] as const) {
        const v = c[k];
        if (typeof v !== 'string' || v.length < 1 || v.length > 50) return err(`${field}.${k}`, `${k} must be 1-50 characters`);
      }
      return positive(c.atLeast) ? [] : err(`${field}.atLeast`, 'atLeast must be a positive decimal string');
    case 'finding':
      return (FINDINGS as readonly string[]).includes(c.finding as string)
        ? []
        : err(`${field}.finding`, `finding must be one of ${FINDINGS.join(', ')}`);
    case 'prior-penalty':
      return Number.isInteger(c.withinYears) && (c.withinYears as number) >= 1 && (c.withinYears as number) <= 10
        ? []
        : err(`${field}.withinYears`, 'withinYears must be a whole number 1-10');
    case 'all':
    case 'any': {
      if (depth >= MAX_DEPTH) return err(field, `conditions nest at most ${MAX_DEPTH} levels`);
      if (!Array.isArray(c.of) || c.of.length < 1 || c.of.length > MAX_PARTS) {
        return err(`${field}.of`, `of must hold 1-${MAX_PARTS} conditions`);
      }
      return c.of.flatMap((part, i) => conditionErrors(part, `${field}.of.${i}`, depth + 1));
    }
  }
}
