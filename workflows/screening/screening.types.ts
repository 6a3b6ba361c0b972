// Screening rules as data: what an administrative case's facts must reach for the
// case to be suspected of a crime, with the law that says so and the dates the
// version is in force. Pure types, no Nest, no database.

/** The amounts a case records, CNY as decimal strings ("52000.00"). */
export const AMOUNT_FACTS = ['salesAmount', 'goodsValue', 'illegalGains', 'illegalBusinessVolume', 'resourceValue'] as const;
export type AmountFact = (typeof AMOUNT_FACTS)[number];

/** What inspection or testing established; a rule may need one present, whatever the amount. */
export const FINDINGS = [
  'sick-animal-meat',
  'toxic-non-food-substance',
  'fake-drug-confirmed',
  'hazardous-waste',
  // wildlife: a nationally protected (precious or endangered) species; hunting in a closed area or season or with banned tools
  'protected-wildlife',
  'prohibited-hunting',
  // natural resources: mining without a mining licence (or outside its area)
  'unlicensed-mining',
  // biosecurity: introducing, releasing or discarding an invasive alien species without approval
  'invasive-alien-species',
] as const;
export type Finding = (typeof FINDINGS)[number];

/** A counted or weighed quantity, e.g. 3.2 t of hazardous waste. `amount` is a decimal string. */
export interface Quantity {
  item: string;
  amount: string;
  unit: string;
}

export interface CaseFacts {
  salesAmount?: string;
  /** value of the goods not yet sold (货值金额) */
  goodsValue?: string;
  illegalGains?: string;
  illegalBusinessVolume?: string;
  /** value of the wild animals, mineral products or other resources involved (涉案动物价值、矿产品价值) */
  resourceValue?: string;
  quantities?: Quantity[];
  findings?: string[];
}

/** An earlier administrative or criminal penalty of the same parties. */
export interface PriorPenalty {
  decidedAt: string;
  /** the field it was in (a referral domain) */
  domain: string;
}

/** A case as screening reads it. */
export interface ScreenedCase {
  domain: string;
  facts: CaseFacts;
  priorPenalties: PriorPenalty[];
}

/** A threshold: `fact` ≥ `atLeast` (CNY). */
export interface AmountCondition {
  kind: 'amount';
  fact: AmountFact;
  atLeast: string;
}

/** A weighted sum of facts ≥ `atLeast`, e.g. sales × 3 + unsold value ≥ 150,000. */
export interface SumCondition {
  kind: 'sum';
  terms: { fact: AmountFact; times: number }[];
  atLeast: string;
}

/** A quantity of `item` ≥ `atLeast` `unit` (mass units are converted: t, kg, g). */
export interface QuantityCondition {
  kind: 'quantity';
  item: string;
  unit: string;
  atLeast: string;
}

/** A finding present: any amount. */
export interface FindingCondition {
  kind: 'finding';
  finding: Finding;
}

/** A prior penalty in the case's own domain decided within `withinYears` before the act date. */
export interface PriorPenaltyCondition {
  kind: 'prior-penalty';
  withinYears: number;
}

export interface AllCondition {
  kind: 'all';
  of: Condition[];
}

export interface AnyCondition {
  kind: 'any';
  of: Condition[];
}

export type Condition =
  AmountCondition | SumCondition | QuantityCondition | FindingCondition | PriorPenaltyCondition | AllCondition | AnyCondition;

export const CONDITION_KINDS = ['amount', 'sum', 'quantity', 'finding', 'prior-penalty', 'all', 'any'] as const;

/** One version of a rule. Dates are local calendar dates; `effectiveTo` is the last day in force (null: open). */
export interface ScreeningRule {
  code: string;
  version: number;
  offence: string;
  /** the Criminal Law article and the interpretation or filing standard with its article */
  legalBasis: string;
  /** the case domain it applies to; null: every domain */
  domain: string | null;
  effectiveFrom: string;
  effectiveTo: string | null;
  condition: Condition;
}

export type ScreeningFlag = 'flagged' | 'near';

export interface ScreeningReason {
  rule: string;
  version: number;
  outcome: ScreeningFlag;
  /** one sentence: the fact against its threshold, then the legal basis */
  text: string;
}

export interface ScreeningResult {
  flag: ScreeningFlag | null;
  /** the highest fact/threshold ratio among the rules met or near (≥ 1 flagged, below near); 0 when neither */
  severity: number;
  reasons: ScreeningReason[];
  /** the rule versions that were in force on the act date and were evaluated */
  evaluated: { rule: string; version: number }[];
}
