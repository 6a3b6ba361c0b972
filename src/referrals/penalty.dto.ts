// An administrative penalty decision (行政处罚决定), as a referral, an
// administrative case and a reverse transfer's decision record it.
import { ApiProperty } from '@nestjs/swagger';
import { ArrayMaxSize, ArrayMinSize, IsArray, IsIn } from 'class-validator';
import { PatternField, TextField } from '../common/fields';

import { PENALTY_KINDS, type PenaltyKind } from '../../workflows/procedure';

export { PENALTY_KINDS };

export const MONEY = {
  pattern: /^\d{1,14}(\.\d{1,2})?$/,
  message: 'must be a decimal string such as "182000.00"',
  description: 'CNY as a decimal string',
};

export class PenaltyDto {
  @TextField({ max: 100, example: '杭市监罚〔2026〕88号' }) decisionNo: string;
  @PatternField({ pattern: /^\d{4}-\d{2}-\d{2}$/, message: 'decidedAt must be a date such as 2026-03-02', example: '2026-03-02' })
  decidedAt: string;
  @ApiProperty({
    type: 'array',
    items: { type: 'string', enum: [...PENALTY_KINDS] },
    minItems: 1,
    maxItems: 6,
    example: ['fine'],
  })
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(6)
  @IsIn(PENALTY_KINDS, { each: true })
  kinds: PenaltyKind[];
  @PatternField({ optional: true, ...MONEY, message: `fineAmount ${MONEY.message}`, example: '50000.00' })
  fineAmount?: string;
}
