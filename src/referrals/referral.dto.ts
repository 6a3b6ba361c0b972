import { PenaltyDto } from './penalty.dto';
import { CursorField, EnumField, LimitField, ObjectArrayField, PatternField, TextField, UuidField } from '../common/fields';

export const DOMAINS = [
  'food',
  'drug',
  'medical-device',
  'cosmetics',
  'environment',
  'intellectual-property',
  'wildlife',
  'agriculture',
  'natural-resources', // illegal mining, land, forests
  'biosecurity',
  'other',
] as const;

export class SuspectDto {
  @EnumField(['person', 'organization'], { example: 'organization' }) kind: 'person' | 'organization';
  @TextField({ max: 200, example: 'Hangzhou Example Trading Co.' }) name: string;
  @PatternField({
    optional: true,
    pattern: /^[0-9A-Za-z]{6,30}$/,
    message: 'idNumber must be 6-30 letters or digits',
    example: '91330100MA2B3C4D12',
    description: 'resident ID or unified social credit code; masked for callers outside the two parties',
  })
  idNumber?: string;
}

export class CreateReferralDto {
  @UuidField({ example: '3f0c1d2e-4b5a-4c6d-8e7f-9a0b1c2d3e4f', description: 'a police agency' }) targetAgencyId: string;
  @EnumField(DOMAINS, { example: 'food' }) domain: string;
  @TextField({ max: 300, example: 'Counterfeit baijiu sold under a registered trademark' }) title: string;
  @TextField({ max: 20000, example: 'Inspection of a Xiaoshan warehouse found 1,200 bottles of counterfeit liquor.' })
  summary: string;
  @ObjectArrayField(SuspectDto, {
    min: 1,
    max: 100,
    example: [{ kind: 'organization', name: 'Hangzhou Example Trading Co.', idNumber: '91330100MA2B3C4D12' }],
  })
  suspects: SuspectDto[];
  @PatternField({
    optional: true,
    pattern: /^\d{1,14}(\.\d{1,2})?$/,
    message: 'amountInvolved must be a decimal string such as "182000.00"',
    example: '182000.00',
    description: 'CNY as a decimal string',
  })
  amountInvolved?: string;
  @TextField({ optional: true, max: 1000, example: 'Selling goods bearing counterfeit registered trademarks' }) offence?: string;
  @TextField({ optional: true, max: 2000, example: 'Criminal Law art. 214' }) legalBasis?: string;
  @PatternField({
    optional: true,
    pattern: /^[a-z0-9-]{1,64}$/,
    message: 'campaign must be a lowercase slug such as kunlun-2026',
    example: 'kunlun-2026',
  })
  campaign?: string;
  @TextField({ optional: true, max: 200, example: 'HZ-AMR-2026-0042', description: "the source agency's own reference" })
  externalRef?: string;
  @ObjectArrayField(PenaltyDto, {
    optional: true,
    max: 20,
    example: [{ decisionNo: '杭市监罚〔2026〕88号', decidedAt: '2026-03-02', kinds: ['fine'], fineAmount: '50000.00' }],
    description:
      'penalties the agency already imposed on the suspects; shown to the police and the procuratorate (Transfer Provisions art. 11: a fine is offset against a criminal fine)',
  })
  administrativePenalties?: PenaltyDto[];
}

export class ListReferralsQuery {
  @TextField({ optional: true, max: 64, example: 'under-review', description: 'a state of the referral workflow' })
  state?: string;
  @EnumField(DOMAINS, { optional: true, example: 'food' }) domain?: string;
  @EnumField(['incoming', 'outgoing'], {
    optional: true,
    example: 'incoming',
    description: "incoming: the caller's agency is the target; outgoing: the source",
  })
  direction?: 'incoming' | 'outgoing';
  @EnumField(['true', 'false'], { optional: true, example: 'true', description: 'true: only referrals with a breached deadline' })
  overdue?: 'true' | 'false';
  @TextField({ optional: true, max: 64, example: 'kunlun-2026' }) campaign?: string;
  @TextField({ optional: true, max: 200, example: 'baijiu', description: 'words in the title, summary or reference number' })
  q?: string;
  @LimitField() limit?: number;
  @CursorField() cursor?: string;
}
