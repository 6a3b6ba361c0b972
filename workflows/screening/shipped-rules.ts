// The screening rules CaseLink ships (version 1 of each code, and version 2 where a
// later interpretation changed the figures). Admins add versions through
// PUT /api/v1/screening-rules/:code; these are loaded at boot when missing.
//
// Figures: 立案追诉标准(一) is 《最高人民检察院 公安部关于公安机关管辖的刑事案件立案追诉
// 标准的规定（一）》 (2008, amended 2017); 立案追诉标准(二) the 2010 one (trademark
// offences, arts. 69 and 70). A `null` domain applies to every domain (art. 140
// covers any product).
import type { AmountFact, ScreeningRule } from './screening.types';

const amount = (fact: AmountFact, atLeast: string) => ({ kind: 'amount', fact, atLeast }) as const;

// The day before 法释〔2025〕5号 took effect (2025-04-26): the last day of the earlier IP versions.
const BEFORE_IP_2025 = '2025-04-25';
const IP_2025 = '2025-04-26';

// What the two versions of each trademark rule share.
const COUNTERFEIT_213 = {
  code: 'trademark-counterfeit-213',
  offence: 'Counterfeiting a registered trademark (假冒注册商标罪)',
  domain: 'intellectual-property',
} as const;
const GOODS_214 = {
  code: 'trademark-goods-214',
  offence: 'Selling goods bearing counterfeit registered trademarks (销售假冒注册商标的商品罪)',
  domain: 'intellectual-property',
} as const;

export const SHIPPED_RULES: ScreeningRule[] = [
  {
    code: 'product-quality-140',
    version: 1,
    offence: 'Producing or selling fake or substandard products (生产、销售伪劣产品罪)',
    legalBasis: 'Criminal Law art. 140; 立案追诉标准(一) art. 16',
    domain: null,
    effectiveFrom: '2008-06-25',
    effectiveTo: null,
    condition: {
      kind: 'any',
      of: [
        amount('salesAmount', '50000'),
        amount('goodsValue', '150000'),
        // sales below 50,000: three times the sales plus the unsold value
        {
          kind: 'sum',
          terms: [
            { fact: 'salesAmount', times: 3 },
            { fact: 'goodsValue', times: 1 },
          ],
          atLeast: '150000',
        },
      ],
    },
  },
  {
    code: 'food-sick-meat-143',
    version: 1,
    offence:
      'Producing or selling food not meeting safety standards (生产、销售不符合安全标准的食品罪): sick or dead animal meat',
    legalBasis: 'Criminal Law art. 143; 法释〔2021〕24号 art. 1',
    domain: 'food',
    effectiveFrom: '2021-12-31',
    effectiveTo: null,
    condition: { kind: 'finding', finding: 'sick-animal-meat' },
  },
  {
    code: 'food-toxic-144',
    version: 1,
    offence: 'Producing or selling toxic or harmful food (生产、销售有毒、有害食品罪)',
    legalBasis: 'Criminal Law art. 144; 法释〔2021〕24号 art. 9',
    domain: 'food',
    effectiveFrom: '2021-12-31',
    effectiveTo: null,
    condition: { kind: 'finding', finding: 'toxic-non-food-substance' },
  },
  {
    code: 'food-illegal-business-225',
    version: 1,
    offence: 'Illegal business operation in food (非法经营罪)',
    legalBasis: 'Criminal Law art. 225; 法释〔2021〕24号 art. 18',
    domain: 'food',
    effectiveFrom: '2021-12-31',
    effectiveTo: null,
    condition: { kind: 'any', of: [amount('illegalBusinessVolume', '100000'), amount('illegalGains', '50000')] },
  },
  {
    code: 'fake-drug-141',
    version: 1,
    offence: 'Producing or selling fake drugs (生产、销售、提供假药罪)',
    legalBasis: 'Criminal Law art. 141; 立案追诉标准(一) art. 17',
    domain: 'drug',
    effectiveFrom: '2021-03-01', // art. 141 as amended by Amendment XI
    effectiveTo: null,
    condition: { kind: 'finding', finding: 'fake-drug-confirmed' },
  },
  {
    code: 'hazardous-waste-338',
    version: 1,
    offence: 'Polluting the environment (污染环境罪): discharging, dumping or disposing of hazardous waste',
    legalBasis: 'Criminal Law art. 338; 法释〔2023〕7号 art. 1',
    domain: 'environment',
    effectiveFrom: '2023-08-15',
    effectiveTo: null,
    condition: { kind: 'quantity', item: 'hazardous-waste', unit: 't', atLeast: '3' },
  },
  {
    ...COUNTERFEIT_213,
    version: 1,
    legalBasis: 'Criminal Law art. 213; 立案追诉标准(二) art. 69',
    effectiveFrom: '2010-05-07',
    effectiveTo: BEFORE_IP_2025,
    condition: { kind: 'any', of: [amount('illegalBusinessVolume', '50000'), amount('illegalGains', '30000')] },
  },
  {
    // 法释〔2025〕5号 keeps 50,000 business / 30,000 gains for art. 213, and adds the lower
    // figures (30,000 / 20,000) for a repeat within two years of a criminal or administrative
    // penalty for a trademark offence. We read this from public summaries of the text, not
    // the gazette itself: have counsel check the figures and the article number before relying on them.
    ...COUNTERFEIT_213,
    version: 2,
    legalBasis: 'Criminal Law art. 213; 法释〔2025〕5号 art. 3',
    effectiveFrom: IP_2025,
    effectiveTo: null,
    condition: {
      kind: 'any',
      of: [
        amount('illegalBusinessVolume', '50000'),
        amount('illegalGains', '30000'),
        {
          kind: 'all',
          of: [
            { kind: 'prior-penalty', withinYears: 2 },
            { kind: 'any', of: [amount('illegalBusinessVolume', '30000'), amount('illegalGains', '20000')] },
          ],
        },
      ],
    },
  },
  {
    // Amendment XI (2021-03-01) reworded art. 214 around illegal gains; until 法释〔2025〕5号
    // the filing standard's sales figure stayed the working threshold, so v1 runs to 2025-04-25.
    ...GOODS_214,
    version: 1,
    legalBasis: 'Criminal Law art. 214; 立案追诉标准(二) art. 70',
    effectiveFrom: '2010-05-07',
    effectiveTo: BEFORE_IP_2025,
    condition: { kind: 'amount', fact: 'salesAmount', atLeast: '50000' },
  },
  {
    // Art. 214 since Amendment XI reads "illegal gains relatively large or other serious
    // circumstances"; 法释〔2025〕5号 sets gains at 30,000, keeps sales of 50,000 as a
    // serious circumstance (unchanged), and adds unsold goods worth 150,000 and a repeat
    // within two years with sales of 30,000. Read from public summaries: counsel to check.
    ...GOODS_214,
    version: 2,
    legalBasis: 'Criminal Law art. 214; 法释〔2025〕5号 art. 4',
    effectiveFrom: IP_2025,
    effectiveTo: null,
    condition: {
      kind: 'any',
      of: [
        amount('illegalGains', '30000'),
        amount('salesAmount', '50000'),
        amount('goodsValue', '150000'),
        { kind: 'all', of: [{ kind: 'prior-penalty', withinYears: 2 }, amount('salesAmount', '30000')] },
      ],
    },
  },
  {
    // 法释〔2022〕12号 (in force 2022-04-09) art. 6: harming nationally protected wildlife with
    // animals worth 20,000 or more is to be prosecuted (200,000 "serious", 2,000,000 "especially
    // serious"); below 20,000 art. 13 allows not treating it as a crime in some circumstances,
    // so 20,000 is the working filing figure here. Read from public summaries: counsel to check.
    code: 'wildlife-precious-341',
    version: 1,
    offence: 'Harming precious or endangered wildlife (危害珍贵、濒危野生动物罪)',
    legalBasis: 'Criminal Law art. 341; 法释〔2022〕12号 art. 6',
    domain: 'wildlife',
    effectiveFrom: '2022-04-09',
    effectiveTo: null,
    condition: { kind: 'all', of: [{ kind: 'finding', finding: 'protected-wildlife' }, amount('resourceValue', '20000')] },
  },
  {
    // Art. 341(2) illegal hunting: in a closed area or season or with banned tools or methods,
    // "serious" from animals worth 10,000 (法释〔2022〕12号 art. 7(1)); its other limbs (a
    // repeat within two years, hunting key-protected terrestrial species) are not modelled.
    code: 'wildlife-hunting-341',
    version: 1,
    offence: 'Illegal hunting (非法狩猎罪)',
    legalBasis: 'Criminal Law art. 341; 法释〔2022〕12号 art. 7',
    domain: 'wildlife',
    effectiveFrom: '2022-04-09',
    effectiveTo: null,
    condition: { kind: 'all', of: [{ kind: 'finding', finding: 'prohibited-hunting' }, amount('resourceValue', '10000')] },
  },
  {
    // 法释〔2016〕25号 (in force 2016-12-01) art. 3: mining without a licence is "serious" when the
    // mineral products (or the damage to the resource) are worth 100,000–300,000 or more, the exact
    // figure set by each province within that range (50,000–150,000 in planned mining areas, for
    // protected minerals, or in banned zones and seasons). The lowest national figure is shipped:
    // a province's figure is an admin's new version. Its third limb (two administrative penalties
    // for illegal mining in two years, then again) needs a count of prior penalties, not modelled.
    code: 'illegal-mining-343',
    version: 1,
    offence: 'Illegal mining (非法采矿罪)',
    legalBasis: 'Criminal Law art. 343; 法释〔2016〕25号 art. 3',
    domain: 'natural-resources',
    effectiveFrom: '2016-12-01',
    effectiveTo: null,
    condition: { kind: 'all', of: [{ kind: 'finding', finding: 'unlicensed-mining' }, amount('resourceValue', '100000')] },
  },
  {
    // Art. 344-1 (Amendment XI, in force 2021-03-01) punishes introducing, releasing or discarding
    // an invasive alien species "where the circumstances are serious"; no judicial interpretation
    // sets figures for it yet (as far as we know), so the finding alone flags the case for the
    // police to weigh. The basis cited beside it is the Biosecurity Law's ban (art. 60, as we read
    // it): counsel to check.
    code: 'invasive-species-344-1',
    version: 1,
    offence: 'Illegally introducing, releasing or discarding invasive alien species (非法引进、释放、丢弃外来入侵物种罪)',
    legalBasis: 'Criminal Law art. 344-1; 生物安全法 art. 60',
    domain: 'biosecurity',
    effectiveFrom: '2021-03-01',
    effectiveTo: null,
    condition: { kind: 'finding', finding: 'invasive-alien-species' },
  },
];
