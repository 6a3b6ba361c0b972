// Deadline kinds of the reverse transfer. Pure data; the arithmetic is
// workflows/period-counting.ts.
import type { DeadlineRule } from '../procedure';

export const DEADLINE_KINDS = ['reverse-receipt', 'reverse-reply'] as const;
export type DeadlineKind = (typeof DEADLINE_KINDS)[number];

const SPP_LINKAGE = 'SPP Provisions on Advancing the Linkage of Administrative Enforcement and Criminal Justice (2021)';

// Unsure: no article numbers are cited. The 3-working-day receipt is as briefed: the national
// texts read here require the agency to handle the case and answer the opinion, and the receipt
// period is found in local linkage rules rather than a national article; the 2-month reply is
// the SPP 2021 provisions' period for answering a procuratorial opinion. Check both before
// quoting them to users.
export const DEADLINE_RULES: Record<DeadlineKind, DeadlineRule<DeadlineKind>> = {
  'reverse-receipt': {
    kind: 'reverse-receipt',
    period: { unit: 'working-days', length: 3 },
    responsible: 'target',
    legalBasis: `${SPP_LINKAGE} and the administrative-criminal linkage opinions: the agency acknowledges receipt of a case sent back for an administrative penalty within 3 working days`,
  },
  // Counted from the receipt, and scheduled only when a procuratorial opinion applies.
  'reverse-reply': {
    kind: 'reverse-reply',
    period: { unit: 'months', length: 2 },
    responsible: 'target',
    legalBasis: `${SPP_LINKAGE}; Criminal Procedure Law art. 177(3): the agency replies in writing on the procuratorial opinion, with how it handled the case, within 2 months of receipt`,
  },
};
