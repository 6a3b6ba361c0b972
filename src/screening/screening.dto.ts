// A new version of a screening rule (PUT /screening-rules/:code), the list's query,
// and the version as the API answers it.
import { ApiProperty } from '@nestjs/swagger';
import { IsObject } from 'class-validator';
import type { Condition } from '../../workflows/screening/screening.types';
import { DateField, EnumField, TextField } from '../common/fields';
import { DOMAINS } from '../referrals/referral.dto';

export const RULE_CODE = /^[a-z0-9-]{1,64}$/;

const CONDITION_DOC = {
  type: 'object',
  additionalProperties: true,
  description:
    'kind amount {fact, atLeast}, sum {terms:[{fact, times}], atLeast}, quantity {item, unit, atLeast}, finding {finding}, prior-penalty {withinYears}, all/any {of:[condition]}; see docs/api.md',
  example: { kind: 'any', of: [{ kind: 'amount', fact: 'salesAmount', atLeast: '50000' }] },
} as const;

export class PutScreeningRuleDto {
  @TextField({ max: 500, example: 'Producing or selling fake or substandard products (生产、销售伪劣产品罪)' }) offence: string;
  @TextField({
    max: 1000,
    example: 'Criminal Law art. 140; 立案追诉标准(一) art. 16',
    description: 'the Criminal Law article and the interpretation or standard with its article; ends every reason sentence',
  })
  legalBasis: string;
  @EnumField(DOMAINS, { optional: true, example: 'food', description: 'the case domain it applies to; unset: every domain' })
  domain?: string;
  @DateField({ example: '2026-07-01', description: 'first day in force (local date of the act)' }) effectiveFrom: string;
  @DateField({ optional: true, example: '2030-12-31', description: 'last day in force; unset: open' }) effectiveTo?: string;
  @ApiProperty(CONDITION_DOC)
  @IsObject()
  condition: Condition;
}

export class ListScreeningRulesQuery {
  @DateField({ optional: true, example: '2025-04-26', description: 'only the versions in force on that date (one per code)' })
  asOf?: string;
}

export class ScreeningRuleView {
  @ApiProperty({ example: 'product-quality-140' }) code: string;
  @ApiProperty({ example: 1 }) version: number;
  @ApiProperty() offence: string;
  @ApiProperty({ example: 'Criminal Law art. 140; 立案追诉标准(一) art. 16' }) legalBasis: string;
  @ApiProperty({ type: String, nullable: true, enum: DOMAINS, description: 'null: every domain' }) domain: string | null;
  @ApiProperty({ format: 'date', example: '2008-06-25' }) effectiveFrom: string;
  @ApiProperty({ type: String, format: 'date', nullable: true, description: 'last day in force; null: open' })
  effectiveTo: string | null;
  @ApiProperty(CONDITION_DOC) condition: Condition;
  @ApiProperty({ enum: ['shipped', 'admin'], description: 'shipped with CaseLink or added by an admin' }) source: string;
  @ApiProperty({
    description: 'in force today: within its dates and not superseded by a later version of the same code that is in force today',
  })
  inForce: boolean;
  @ApiProperty({ format: 'date-time' }) createdAt: string;
}

export class ScreeningRulePage {
  @ApiProperty({ type: [ScreeningRuleView] }) items: ScreeningRuleView[];
}

export class ScreeningRuleChange {
  @ApiProperty({ type: ScreeningRuleView }) rule: ScreeningRuleView;
  @ApiProperty({ example: 3, description: 'administrative cases whose screening changed with this version' })
  rescreened: number;
}
