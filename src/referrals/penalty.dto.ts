// An administrative penalty decision (行政处罚决定), as an administrative case, a
// referral (penalties already imposed) and a reverse transfer's decision record it.
import { PENALTY_KINDS } from '../../workflows/procedure';
import { DateField, EnumArrayField, PatternField, TextField } from '../common/fields';

export { PENALTY_KINDS };

/** CNY as a decimal string, as referrals' amountInvolved. */
export const MONEY = {
  pattern: /^\d{1,14}(\.\d{1,2})?$/,
  message: 'must be a decimal string such as "182000.00"',
  description: 'CNY as a decimal string',
};

export const moneyField = (example: string, description: string) =>
  PatternField({
    optional: true,
    pattern: MONEY.pattern,
    message: '$property must be a decimal string such as "52000.00"',
    example,
    description: `CNY as a decimal string: ${description}`,
  });

export class PenaltyDto {
  @TextField({ max: 100, example: '杭市监处罚〔2026〕12号' }) decisionNo: string;
  @DateField({ example: '2026-03-01', description: 'the local date of the decision' }) decidedAt: string;
  @EnumArrayField(PENALTY_KINDS, { min: 1, example: ['fine', 'confiscation'] }) kinds: string[];
  @moneyField('20000.00', 'the fine, required when kinds holds fine') fineAmount?: string;
}
