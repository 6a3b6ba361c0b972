// An administrative case as an agency records it (issue 10): its own case number,
// the parties (validated as referral suspects), the facts screening reads, the
// penalty and earlier penalties. The import validates each row with the same class.
import { FINDINGS } from '../../workflows/screening/screening.types';
import {
  CursorField,
  DateField,
  EnumArrayField,
  EnumField,
  LimitField,
  ObjectArrayField,
  ObjectField,
  PatternField,
  TextField,
  UuidField,
} from '../common/fields';
import { DOMAINS, SuspectDto } from '../referrals/referral.dto';

import { moneyField as money, PENALTY_KINDS, PenaltyDto } from '../referrals/penalty.dto';

export { PENALTY_KINDS, PenaltyDto };

export class QuantityDto {
  @TextField({ max: 100, example: 'hazardous-waste', description: 'what was counted or weighed' }) item: string;
  @PatternField({
    pattern: /^(?!0+(\.0+)?$)\d{1,12}(\.\d{1,3})?$/,
    message: 'amount must be a positive decimal string such as "3.5"',
    example: '3.5',
  })
  amount: string;
  @TextField({
    max: 20,
    example: 't',
    description: 'mass in t, kg or g is converted for the rules; other units compared as written',
  })
  unit: string;
}

export class FactsDto {
  @money('48000.00', 'sales (销售金额)') salesAmount?: string;
  @money('60000.00', 'value of the goods not yet sold (货值金额)') goodsValue?: string;
  @money('12000.00', 'illegal gains (违法所得)') illegalGains?: string;
  @money('150000.00', 'illegal business volume (非法经营数额)') illegalBusinessVolume?: string;
  @money('25000.00', 'value of the wild animals, mineral products or other resources involved (涉案动物价值、矿产品价值)')
  resourceValue?: string;
  @ObjectArrayField(QuantityDto, { optional: true, max: 50, example: [{ item: 'hazardous-waste', amount: '3.5', unit: 't' }] })
  quantities?: QuantityDto[];
  @EnumArrayField(FINDINGS, { optional: true, example: ['sick-animal-meat'] }) findings?: string[];
}

export class PriorPenaltyDto {
  @TextField({ optional: true, max: 100, example: '杭市监处罚〔2025〕3号' }) decisionNo?: string;
  @DateField({ example: '2025-06-01' }) decidedAt: string;
  @EnumField(DOMAINS, { example: 'intellectual-property', description: 'the field it was in' }) domain: string;
  @EnumArrayField(PENALTY_KINDS, { optional: true, example: ['fine'] }) kinds?: string[];
  @TextField({ optional: true, max: 200, example: 'Hangzhou Market Regulation', description: 'who decided it' })
  decidedBy?: string;
}

export class CreateAdminCaseDto {
  @TextField({
    max: 100,
    example: '杭市监处罚〔2026〕12号',
    description: "the agency's own case number; unique within the agency",
  })
  caseNo: string;
  @EnumField(DOMAINS, { example: 'food' }) domain: string;
  @TextField({ max: 300, example: 'Sale of pork from sick pigs at a Xiaoshan market' }) title: string;
  @TextField({ max: 20000, example: 'Inspection found 300 kg of pork from pigs that died of disease.' }) summary: string;
  @ObjectArrayField(SuspectDto, {
    min: 1,
    max: 100,
    example: [{ kind: 'organization', name: 'Hangzhou Example Trading Co.', idNumber: '91330100MA2B3C4D12' }],
    description: 'the parties, as referral suspects; ID numbers masked for anyone but the recording agency',
  })
  parties: SuspectDto[];
  @ObjectField(FactsDto, { example: { salesAmount: '48000.00', findings: ['sick-animal-meat'] } }) facts: FactsDto;
  @ObjectField(PenaltyDto, {
    example: { decisionNo: '杭市监处罚〔2026〕12号', decidedAt: '2026-03-01', kinds: ['fine'], fineAmount: '20000.00' },
  })
  penalty: PenaltyDto;
  @ObjectArrayField(PriorPenaltyDto, {
    optional: true,
    max: 50,
    example: [{ decidedAt: '2025-06-01', domain: 'food', kinds: ['fine'] }],
    description: 'earlier penalties of the same parties',
  })
  priorPenalties?: PriorPenaltyDto[];
  @PatternField({
    optional: true,
    pattern: /^[a-z0-9-]{1,64}$/,
    message: 'campaign must be a lowercase slug such as kunlun-2026',
    example: 'kunlun-2026',
  })
  campaign?: string;
  @DateField({
    optional: true,
    example: '2026-01-15',
    description: 'when the act happened; unset: the penalty decision date. Screening uses the rules in force on it',
  })
  actDate?: string;
}

export const FLAGS = ['flagged', 'near'] as const;

export class ListAdminCasesQuery {
  @EnumField([...FLAGS, 'any'], {
    optional: true,
    example: 'flagged',
    description: 'the screening list: only cases with this flag (any: flagged or near), most serious first',
  })
  flag?: 'flagged' | 'near' | 'any';
  @EnumField(DOMAINS, { optional: true, example: 'food' }) domain?: string;
  @UuidField({ optional: true, example: '3f0c1d2e-4b5a-4c6d-8e7f-9a0b1c2d3e4f', description: 'the recording agency' })
  agencyId?: string;
  @TextField({ optional: true, max: 64, example: 'kunlun-2026' }) campaign?: string;
  @DateField({ optional: true, example: '2026-01-01', description: 'penalty decided on or after' }) decidedFrom?: string;
  @DateField({ optional: true, example: '2026-12-31', description: 'penalty decided on or before' }) decidedTo?: string;
  @TextField({ optional: true, max: 200, example: 'pork', description: 'words in the case number, title or summary' })
  q?: string;
  @LimitField() limit?: number;
  @CursorField() cursor?: string;
}
