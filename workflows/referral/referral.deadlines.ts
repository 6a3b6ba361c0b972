// Deadline kinds of the referral procedure: how long each runs, in which unit,
// on what legal basis, and which side answers for it. Pure data; the
// arithmetic that turns a start and a period into a due time is
// workflows/period-counting.ts.
import type { Period } from '../period-counting';

export const DEADLINE_KINDS = [
  'acknowledge',
  'review',
  'supplement',
  'evidence-handover',
  'reconsideration-window',
  'reconsideration-decision',
  'police-reasons',
  'filing-order',
  'investigation-progress',
  'rectification',
  'supervision-report',
] as const;
export type DeadlineKind = (typeof DEADLINE_KINDS)[number];

/** Who must act before the deadline: the police unit the referral sits with, the referring agency, or a rectification task's agency. */
export type ResponsibleSide = 'target' | 'source' | 'task-agency';

export interface DeadlineRule {
  kind: DeadlineKind;
  /** null for rectification (the due time comes with the plan or the task) and supervision-report (the listing sets it). */
  period: Period | null;
  responsible: ResponsibleSide;
  legalBasis: string;
}

const TRANSFER_PROVISIONS =
  'State Council Provisions on Transfer of Suspected Criminal Cases by Administrative Enforcement Organs';
const MPS_PROVISIONS = 'MPS Provisions on Criminal Case Procedure (2020)';
const PROCURATORATE_RULES = 'Procuratorate criminal-procedure rules';

export const DEADLINE_RULES: Record<DeadlineKind, DeadlineRule> = {
  acknowledge: {
    kind: 'acknowledge',
    period: { unit: 'hours', length: 24 },
    responsible: 'target',
    legalBasis: `${TRANSFER_PROVISIONS} art. 8; ${MPS_PROVISIONS} art. 180: receipt, forwarding or notice of missing materials within 24 hours`,
  },
  review: {
    kind: 'review',
    period: { unit: 'calendar-days', length: 3 },
    responsible: 'target',
    legalBasis: `${TRANSFER_PROVISIONS} art. 8; ${MPS_PROVISIONS} art. 180-182: decide on filing within 3 days of receipt`,
  },
  supplement: {
    kind: 'supplement',
    period: { unit: 'calendar-days', length: 3 },
    responsible: 'source',
    legalBasis: `${MPS_PROVISIONS} art. 180: the agency supplements the materials within 3 days`,
  },
  'evidence-handover': {
    kind: 'evidence-handover',
    period: { unit: 'calendar-days', length: 3 },
    responsible: 'source',
    legalBasis: `${TRANSFER_PROVISIONS} art. 12: hand over seized items and materials within 3 days of the filing notice`,
  },
  'reconsideration-window': {
    kind: 'reconsideration-window',
    period: { unit: 'calendar-days', length: 3 },
    responsible: 'source',
    legalBasis: `${TRANSFER_PROVISIONS} art. 9: reconsideration may be requested within 3 days of the notice of not filing`,
  },
  'reconsideration-decision': {
    kind: 'reconsideration-decision',
    period: { unit: 'calendar-days', length: 3 },
    responsible: 'target',
    legalBasis: `${TRANSFER_PROVISIONS} art. 9: the police decide a reconsideration within 3 days`,
  },
  'police-reasons': {
    kind: 'police-reasons',
    period: { unit: 'calendar-days', length: 7 },
    responsible: 'target',
    legalBasis: `${PROCURATORATE_RULES} art. 559: the police state their reasons for not filing within 7 days`,
  },
  'filing-order': {
    kind: 'filing-order',
    period: { unit: 'calendar-days', length: 15 },
    responsible: 'target',
    legalBasis: `${PROCURATORATE_RULES} art. 561; Criminal Procedure Law art. 113: file within 15 days of the order to file`,
  },
  'investigation-progress': {
    kind: 'investigation-progress',
    period: { unit: 'months', length: 3 },
    responsible: 'target',
    legalBasis: `${PROCURATORATE_RULES} art. 564: a filed case with no result after 3 months may be chased`,
  },
  rectification: {
    kind: 'rectification',
    period: null,
    responsible: 'task-agency',
    legalBasis: 'Joint rectification plan agreed by the participating agencies',
  },
  'supervision-report': {
    kind: 'supervision-report',
    // the listing body sets the reporting period (context.listing.reportEveryDays); see supervisionReportPeriod
    period: null,
    responsible: 'target',
    legalBasis:
      "Listed supervision (挂牌督办) of a major case under the MPS and SPP rules on listed supervision: the police unit reports its progress to the listing bodies at the interval they set; the interval is the listing bodies' own, not a statutory period",
  },
};

/** Levels of the bodies that list a case for supervision, lowest first. */
export const LISTING_LEVELS = ['city', 'province', 'national'] as const;
export type ListingLevel = (typeof LISTING_LEVELS)[number];

/** A reporting period the listing bodies may set, in days. */
export const REPORT_EVERY_DAYS = { min: 1, max: 90 } as const;

/** The supervision-report period of a listing: calendar days counted like the others (CPL art. 105); null without one. */
export function supervisionReportPeriod(reportEveryDays: number | null | undefined): Period | null {
  return reportEveryDays ? { unit: 'calendar-days', length: reportEveryDays } : null;
}

/** Review extensions of the police rules; each tier replaces the review period counted from receipt. */
export const REVIEW_TIERS = ['standard', 'verification', 'complex', 'special'] as const;
export type ReviewTier = (typeof REVIEW_TIERS)[number];
export type ReviewExtensionTier = Exclude<ReviewTier, 'standard'>;

const REVIEW_LENGTH_DAYS: Record<ReviewTier, number> = {
  standard: 3,
  verification: 7, // the lead needs verification
  complex: 30, // major, complex or cross-region, approved by a county-level head
  special: 60, // economic-crime rules: a further 30 days with the next level's approval
};

export function reviewPeriod(tier: ReviewTier): Period {
  return { unit: 'calendar-days', length: REVIEW_LENGTH_DAYS[tier] };
}

/** An extension must move to a longer tier; "special" stacks on "complex" only. */
export function isValidExtension(current: ReviewTier, requested: ReviewTier): boolean {
  if (requested === 'special') return current === 'complex';
  return REVIEW_TIERS.indexOf(requested) > REVIEW_TIERS.indexOf(current);
}
