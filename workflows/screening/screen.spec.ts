import { conditionErrors } from './condition-check';
import { rulesInForce, screen } from './screen';
import type { CaseFacts, PriorPenalty, ScreeningRule } from './screening.types';
import { SHIPPED_RULES } from './shipped-rules';

const NEAR = 0.8;
const on = (actDate: string) => ({ actDate, nearRatio: NEAR });

function run(domain: string, facts: CaseFacts, actDate = '2026-03-01', priorPenalties: PriorPenalty[] = []) {
  return screen({ domain, facts, priorPenalties }, SHIPPED_RULES, on(actDate));
}

/** The outcome of one rule code in the result (undefined: neither met nor near). */
function outcomeOf(result: ReturnType<typeof run>, code: string) {
  return result.reasons.find((r) => r.rule === code)?.outcome;
}

// One row per threshold of every shipped rule: the facts at the threshold, just below it
// (one cent or one kilogram: near), and far below it (a tenth: nothing).
// prettier-ignore
const THRESHOLDS: { code: string; domain: string; date: string; at: CaseFacts; justBelow: CaseFacts; farBelow: CaseFacts }[] = [
  { code: 'product-quality-140', domain: 'other', date: '2026-03-01',
    at: { salesAmount: '50000.00' }, justBelow: { salesAmount: '49999.99' }, farBelow: { salesAmount: '5000' } },
  { code: 'product-quality-140', domain: 'cosmetics', date: '2026-03-01',
    at: { goodsValue: '150000' }, justBelow: { goodsValue: '149999.99' }, farBelow: { goodsValue: '15000' } },
  // sales × 3 + unsold: 30,000 × 3 + 60,000 = 150,000
  { code: 'product-quality-140', domain: 'agriculture', date: '2026-03-01',
    at: { salesAmount: '30000', goodsValue: '60000' }, justBelow: { salesAmount: '30000', goodsValue: '59999.99' },
    farBelow: { salesAmount: '3000', goodsValue: '6000' } },
  { code: 'food-illegal-business-225', domain: 'food', date: '2026-03-01',
    at: { illegalBusinessVolume: '100000' }, justBelow: { illegalBusinessVolume: '99999.99' }, farBelow: { illegalBusinessVolume: '10000' } },
  { code: 'food-illegal-business-225', domain: 'food', date: '2026-03-01',
    at: { illegalGains: '50000' }, justBelow: { illegalGains: '49999.99' }, farBelow: { illegalGains: '5000' } },
  { code: 'hazardous-waste-338', domain: 'environment', date: '2026-03-01',
    at: { quantities: [{ item: 'hazardous-waste', amount: '3', unit: 't' }] },
    justBelow: { quantities: [{ item: 'hazardous-waste', amount: '2999', unit: 'kg' }] },
    farBelow: { quantities: [{ item: 'hazardous-waste', amount: '0.3', unit: 't' }] } },
  // trademark, before 法释〔2025〕5号 (version 1) and after it (version 2)
  ...['2025-04-25', '2025-04-26'].flatMap((date) => [
    { code: 'trademark-counterfeit-213', domain: 'intellectual-property', date,
      at: { illegalBusinessVolume: '50000' }, justBelow: { illegalBusinessVolume: '49999.99' }, farBelow: { illegalBusinessVolume: '5000' } },
    { code: 'trademark-counterfeit-213', domain: 'intellectual-property', date,
      at: { illegalGains: '30000' }, justBelow: { illegalGains: '29999.99' }, farBelow: { illegalGains: '3000' } },
    { code: 'trademark-goods-214', domain: 'intellectual-property', date,
      at: { salesAmount: '50000' }, justBelow: { salesAmount: '49999.99' }, farBelow: { salesAmount: '5000' } },
  ]),
  { code: 'trademark-goods-214', domain: 'intellectual-property', date: '2025-04-26',
    at: { goodsValue: '150000' }, justBelow: { goodsValue: '149999.99' }, farBelow: { goodsValue: '15000' } },
  // wildlife, natural resources: the finding that makes the act unlawful, and the value
  { code: 'wildlife-precious-341', domain: 'wildlife', date: '2026-03-01',
    at: { findings: ['protected-wildlife'], resourceValue: '20000' },
    justBelow: { findings: ['protected-wildlife'], resourceValue: '19999.99' },
    farBelow: { findings: ['protected-wildlife'], resourceValue: '2000' } },
  { code: 'wildlife-hunting-341', domain: 'wildlife', date: '2026-03-01',
    at: { findings: ['prohibited-hunting'], resourceValue: '10000' },
    justBelow: { findings: ['prohibited-hunting'], resourceValue: '9999.99' },
    farBelow: { findings: ['prohibited-hunting'], resourceValue: '1000' } },
  { code: 'illegal-mining-343', domain: 'natural-resources', date: '2026-03-01',
    at: { findings: ['unlicensed-mining'], resourceValue: '100000' },
    justBelow: { findings: ['unlicensed-mining'], resourceValue: '99999.99' },
    farBelow: { findings: ['unlicensed-mining'], resourceValue: '10000' } },
];

describe('every shipped threshold', () => {
  test.each(THRESHOLDS)('$code ($domain, $date) at $at', ({ code, domain, date, at, justBelow, farBelow }) => {
    expect(outcomeOf(run(domain, at, date), code)).toBe('flagged');
    expect(run(domain, at, date).flag).toBe('flagged');
    expect(outcomeOf(run(domain, justBelow, date), code)).toBe('near');
    expect(outcomeOf(run(domain, farBelow, date), code)).toBeUndefined();
  });
});

// prettier-ignore
const FINDING_RULES: [string, string, string][] = [
  ['food-sick-meat-143', 'food', 'sick-animal-meat'],
  ['food-toxic-144', 'food', 'toxic-non-food-substance'],
  ['fake-drug-141', 'drug', 'fake-drug-confirmed'],
  ['invasive-species-344-1', 'biosecurity', 'invasive-alien-species'],
];

describe('rules met by a finding, whatever the amount', () => {
  test.each(FINDING_RULES)('%s: %s with %s', (code, domain, finding) => {
    const met = run(domain, { findings: [finding], salesAmount: '1' });
    expect(outcomeOf(met, code)).toBe('flagged');
    expect(met.flag).toBe('flagged');
    // without the finding nothing of that rule, and a finding is never "near"
    expect(outcomeOf(run(domain, { salesAmount: '1' }), code)).toBeUndefined();
    expect(outcomeOf(run(domain, { findings: ['hazardous-waste'] }), code)).toBeUndefined();
  });

  it('only in the domain of the rule', () => {
    expect(outcomeOf(run('drug', { findings: ['sick-animal-meat'] }), 'food-sick-meat-143')).toBeUndefined();
  });

  it('a wildlife or mining value without the finding that makes the act unlawful flags nothing', () => {
    expect(outcomeOf(run('wildlife', { resourceValue: '500000' }), 'wildlife-precious-341')).toBeUndefined();
    expect(outcomeOf(run('wildlife', { resourceValue: '500000' }), 'wildlife-hunting-341')).toBeUndefined();
    const mined = { findings: ['unlicensed-mining'], resourceValue: '500000' };
    expect(outcomeOf(run('natural-resources', { resourceValue: '500000' }), 'illegal-mining-343')).toBeUndefined();
    // only in its own domain, and only from the interpretation's date
    expect(outcomeOf(run('environment', mined), 'illegal-mining-343')).toBeUndefined();
    expect(outcomeOf(run('natural-resources', mined, '2016-11-30'), 'illegal-mining-343')).toBeUndefined();
    expect(outcomeOf(run('natural-resources', mined, '2016-12-01'), 'illegal-mining-343')).toBe('flagged');
    const hunted = { findings: ['prohibited-hunting'], resourceValue: '50000' };
    expect(outcomeOf(run('wildlife', hunted, '2022-04-08'), 'wildlife-hunting-341')).toBeUndefined();
    expect(outcomeOf(run('wildlife', hunted, '2022-04-09'), 'wildlife-hunting-341')).toBe('flagged');
  });

  it('hazardous waste needs its weight, not only the finding', () => {
    expect(outcomeOf(run('environment', { findings: ['hazardous-waste'] }), 'hazardous-waste-338')).toBeUndefined();
  });
});

describe('reasons', () => {
  it('say the fact, the share of the threshold and the law, as the issue has it', () => {
    const near = run('other', { salesAmount: '48000' });
    expect(near.flag).toBe('near');
    expect(near.reasons).toEqual([
      {
        rule: 'product-quality-140',
        version: 1,
        outcome: 'near',
        text: 'sales 48,000 ≥ 80 % of 50,000, Criminal Law art. 140; 立案追诉标准(一) art. 16',
      },
    ]);
    expect(run('other', { salesAmount: '52000' }).reasons[0].text).toBe(
      'sales 52,000 ≥ 50,000, Criminal Law art. 140; 立案追诉标准(一) art. 16',
    );
    expect(run('other', { salesAmount: '30000', goodsValue: '70000' }).reasons[0].text).toBe(
      'sales × 3 + unsold value 160,000 ≥ 150,000, Criminal Law art. 140; 立案追诉标准(一) art. 16',
    );
    expect(run('food', { findings: ['sick-animal-meat'] }).reasons[0].text).toBe(
      'finding sick-animal-meat (any amount), Criminal Law art. 143; 法释〔2021〕24号 art. 1',
    );
  });

  it('the near ratio is the caller’s', () => {
    const r = screen({ domain: 'other', facts: { salesAmount: '46000' }, priorPenalties: [] }, SHIPPED_RULES, {
      actDate: '2026-03-01',
      nearRatio: 0.9,
    });
    expect(r.reasons[0].text).toMatch(/^sales 46,000 ≥ 90 % of 50,000/);
    expect(run('other', { salesAmount: '39000' }).flag).toBeNull();
  });

  it('put the most serious first and carry it as the severity', () => {
    const r = run('food', { salesAmount: '45000', illegalBusinessVolume: '300000' });
    expect(r.flag).toBe('flagged');
    expect(r.reasons.map((x) => [x.rule, x.outcome])).toEqual([
      ['food-illegal-business-225', 'flagged'],
      ['product-quality-140', 'near'],
    ]);
    expect(r.severity).toBe(3);
    expect(run('other', { salesAmount: '45000' }).severity).toBe(0.9);
    expect(run('other', {}).severity).toBe(0);
  });
});

describe('effective dates', () => {
  it('a rule applies only from its effectiveFrom', () => {
    const facts = { quantities: [{ item: 'hazardous-waste', amount: '5', unit: 't' }] };
    expect(run('environment', facts, '2023-08-14').flag).toBeNull();
    expect(run('environment', facts, '2023-08-15').flag).toBe('flagged');
  });

  it('法释〔2025〕5号 takes over the trademark rules on 2025-04-26', () => {
    const before = run('intellectual-property', { salesAmount: '60000' }, '2025-04-25');
    const after = run('intellectual-property', { salesAmount: '60000' }, '2025-04-26');
    expect(before.reasons.find((r) => r.rule === 'trademark-goods-214')).toMatchObject({ version: 1, outcome: 'flagged' });
    expect(before.reasons.find((r) => r.rule === 'trademark-goods-214')!.text).toMatch(/立案追诉标准\(二\) art\. 70$/);
    expect(after.reasons.find((r) => r.rule === 'trademark-goods-214')).toMatchObject({ version: 2, outcome: 'flagged' });
    expect(after.reasons.find((r) => r.rule === 'trademark-goods-214')!.text).toMatch(/法释〔2025〕5号/);
  });

  it('a repeat within two years reaches art. 213 at 30,000 only under the 2025 version', () => {
    const prior = [{ decidedAt: '2024-06-01', domain: 'intellectual-property' }];
    const facts = { illegalBusinessVolume: '35000' };
    expect(outcomeOf(run('intellectual-property', facts, '2025-04-25', prior), 'trademark-counterfeit-213')).toBeUndefined();
    const after = run('intellectual-property', facts, '2025-04-26', prior);
    expect(outcomeOf(after, 'trademark-counterfeit-213')).toBe('flagged');
    expect(after.reasons.find((r) => r.rule === 'trademark-counterfeit-213')!.text).toMatch(
      /^a prior penalty in intellectual-property within 2 years \(2024-06-01\) and illegal business volume 35,000 ≥ 30,000/,
    );
    // a penalty more than two years before the act, or in another field, does not count
    const old = [{ decidedAt: '2023-04-25', domain: 'intellectual-property' }];
    expect(outcomeOf(run('intellectual-property', facts, '2025-04-26', old), 'trademark-counterfeit-213')).toBeUndefined();
    const elsewhere = [{ decidedAt: '2024-06-01', domain: 'food' }];
    expect(outcomeOf(run('intellectual-property', facts, '2025-04-26', elsewhere), 'trademark-counterfeit-213')).toBeUndefined();
  });

  it('rulesInForce picks one version per code, effectiveTo inclusive', () => {
    const codes = (date: string) =>
      rulesInForce(SHIPPED_RULES, date)
        .filter((r) => r.code.startsWith('trademark'))
        .map((r) => `${r.code}@${r.version}`);
    expect(codes('2025-04-25')).toEqual(['trademark-counterfeit-213@1', 'trademark-goods-214@1']);
    expect(codes('2025-04-26')).toEqual(['trademark-counterfeit-213@2', 'trademark-goods-214@2']);
    const newer: ScreeningRule = { ...SHIPPED_RULES[0], version: 9, effectiveFrom: '2026-01-01' };
    expect(rulesInForce([...SHIPPED_RULES, newer], '2026-01-01').find((r) => r.code === newer.code)?.version).toBe(9);
  });
});

describe('shipped rules', () => {
  it('are valid conditions with the law named', () => {
    for (const rule of SHIPPED_RULES) {
      expect({ code: rule.code, errors: conditionErrors(rule.condition) }).toEqual({ code: rule.code, errors: [] });
      expect(rule.legalBasis).toMatch(/^Criminal Law art\. \d+(-\d+)?; \S+ art\. \d+$/);
    }
  });

  it('condition checks name the bad field', () => {
    expect(conditionErrors({ kind: 'amount', fact: 'salesAmount', atLeast: '-1' })).toEqual([
      { field: 'condition.atLeast', message: 'atLeast must be a positive decimal string' },
    ]);
    expect(conditionErrors({ kind: 'any', of: [{ kind: 'finding', finding: 'x' }] })[0].field).toBe('condition.of.0.finding');
    expect(conditionErrors({ kind: 'amount', fact: 'salesAmount', atLeast: '1', extra: 1 })[0].field).toBe('condition.extra');
    expect(conditionErrors([])[0].field).toBe('condition');
  });
});
