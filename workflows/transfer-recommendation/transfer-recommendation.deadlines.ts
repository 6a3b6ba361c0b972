// Deadline kinds of the transfer recommendation. Pure data; the arithmetic is
// workflows/period-counting.ts.
import type { DeadlineRule } from '../procedure';

export const DEADLINE_KINDS = ['recommendation-response'] as const;
export type DeadlineKind = (typeof DEADLINE_KINDS)[number];

export const DEADLINE_RULES: Record<DeadlineKind, DeadlineRule<DeadlineKind>> = {
  // Unsure: the article number is as briefed (Provisions art. 14 puts transfers under procuratorial
  // supervision); the 3-day answer to a recommendation comes from the linkage opinions (e.g. the
  // 2006 SPP/MPS et al. opinions on timely transfer), whose item numbers are not cited here.
  // Counted from the issuing (the engine's start) and, after INSIST, from the insisting:
  // the recommendation the agency received last is the one it answers.
  'recommendation-response': {
    kind: 'recommendation-response',
    period: { unit: 'calendar-days', length: 3 },
    responsible: 'target',
    legalBasis:
      'State Council Provisions on Transfer of Suspected Criminal Cases by Administrative Enforcement Organs (rev. 2020) art. 14, ' +
      'with the SPP/MPS opinions on linking administrative enforcement and criminal justice: an agency that receives a ' +
      "procuratorate's recommendation to transfer a case transfers it, or explains in writing why it does not, within 3 days of receipt",
  },
};
