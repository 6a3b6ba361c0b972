// The campaign register (issue 11 §4): what POST and PATCH /campaigns take, the list's
// query and the dashboard's, and the campaign and its dashboard as the API answers them.
import { ApiProperty } from '@nestjs/swagger';
import {
  CursorField,
  DateField,
  EnumArrayField,
  EnumField,
  LimitField,
  PatternArrayField,
  PatternField,
  TextField,
  UuidArrayField,
} from '../common/fields';
import { DOMAINS } from '../referrals/referral.dto';

export const CAMPAIGN_CODE = /^[a-z0-9-]{1,64}$/;
const REGION_CODE = /^[0-9]{6}$/;

export class CreateCampaignDto {
  @PatternField({
    pattern: CAMPAIGN_CODE,
    message: 'code must be a lowercase slug such as kunlun-2023',
    example: 'kunlun-2023',
    description: 'unique; what referrals and administrative cases name in `campaign`',
  })
  code: string;
  @TextField({ max: 100, example: '昆仑2023' }) name: string;
  @DateField({ example: '2023-03-01', description: 'first day (local date)' }) startsOn: string;
  @DateField({ example: '2023-12-31', description: 'last day (local date); not before startsOn' }) endsOn: string;
  @EnumArrayField(DOMAINS, {
    min: 1,
    example: ['food', 'drug', 'intellectual-property', 'environment', 'wildlife', 'natural-resources', 'biosecurity'],
    description: 'the fields of the campaign, as case domains',
  })
  domains: string[];
  @PatternArrayField({
    pattern: REGION_CODE,
    message: 'each region code must be a 6-digit administrative-division code',
    min: 1,
    max: 50,
    example: ['330000'],
    description: 'the regions it runs in; a code covers the regions inside it (330000: Zhejiang)',
  })
  regionCodes: string[];
  @UuidArrayField({
    optional: true,
    max: 20,
    example: ['3f0c1d2e-4b5a-4c6d-8e7f-9a0b1c2d3e4f'],
    description: 'the leading agencies (existing agencies)',
  })
  leadingAgencyIds?: string[];
}

/** Every field but the code may change; If-Match names the version changed. */
export class UpdateCampaignDto {
  @TextField({ optional: true, max: 100, example: '昆仑2023' }) name?: string;
  @DateField({ optional: true, example: '2023-03-01' }) startsOn?: string;
  @DateField({ optional: true, example: '2023-12-31' }) endsOn?: string;
  @EnumArrayField(DOMAINS, { optional: true, min: 1, example: ['food', 'drug'] }) domains?: string[];
  @PatternArrayField({
    optional: true,
    pattern: REGION_CODE,
    message: 'each region code must be a 6-digit administrative-division code',
    min: 1,
    max: 50,
    example: ['330000'],
  })
  regionCodes?: string[];
  @UuidArrayField({ optional: true, max: 20, example: [] }) leadingAgencyIds?: string[];
}

export class ListCampaignsQuery {
  @DateField({ optional: true, example: '2023-06-01', description: 'only campaigns whose period contains this date' })
  activeOn?: string;
  @EnumField(DOMAINS, { optional: true, example: 'wildlife', description: 'only campaigns with this field' }) domain?: string;
  @PatternField({
    optional: true,
    pattern: REGION_CODE,
    message: 'region must be a 6-digit administrative-division code',
    example: '330100',
    description: 'only campaigns that cover this region (one of their region codes contains it)',
  })
  region?: string;
  @LimitField() limit?: number;
  @CursorField() cursor?: string;
}

export const DASHBOARD_GROUP_BY = ['region', 'domain', 'month'] as const;
export type DashboardGroupBy = (typeof DASHBOARD_GROUP_BY)[number];

export class DashboardQuery {
  @EnumField(DASHBOARD_GROUP_BY, {
    optional: true,
    example: 'region',
    description:
      "region: the case's region code; domain; month: YYYY-MM of the submission (referrals) or act date (cases). Default region",
  })
  groupBy?: DashboardGroupBy;
}

export class CampaignView {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ example: 'kunlun-2023' }) code: string;
  @ApiProperty({ example: '昆仑2023' }) name: string;
  @ApiProperty({ format: 'date', example: '2023-03-01' }) startsOn: string;
  @ApiProperty({ format: 'date', example: '2023-12-31' }) endsOn: string;
  @ApiProperty({ type: 'array', items: { type: 'string', enum: [...DOMAINS] }, example: ['food', 'wildlife'] }) domains: string[];
  @ApiProperty({ type: [String], example: ['330000'] }) regionCodes: string[];
  @ApiProperty({ type: [String], format: 'uuid' }) leadingAgencyIds: string[];
  @ApiProperty({ example: 1, description: 'increases with every change; sent as ETag' }) version: number;
  @ApiProperty({ format: 'date-time' }) createdAt: string;
  @ApiProperty({ format: 'date-time' }) updatedAt: string;
}

export class CampaignPage {
  @ApiProperty({ type: [CampaignView] }) items: CampaignView[];
  @ApiProperty({ type: String, nullable: true, description: 'null on the last page' }) nextCursor: string | null;
}

export class CampaignFigures {
  @ApiProperty({ example: 12, description: 'referrals naming the campaign' }) transfers: number;
  @ApiProperty({ example: 8, description: 'of those, referrals with an ACCEPT in their timeline' }) acceptances: number;
  @ApiProperty({ type: Number, nullable: true, example: 0.67, description: 'acceptances / transfers; null without transfers' })
  acceptanceRate: number | null;
  @ApiProperty({
    type: Number,
    nullable: true,
    example: 52.5,
    description: 'median of (first ACCEPT or DECLINE − submission) in hours; null when none decided',
  })
  medianHoursToDecision: number | null;
  @ApiProperty({ example: 3, description: 'deadlines of those referrals ever breached' }) breaches: number;
  @ApiProperty({ example: 4, description: 'administrative cases naming the campaign, screening flag flagged' })
  screeningFlagged: number;
  @ApiProperty({ example: 2, description: 'administrative cases naming the campaign, screening flag near' })
  screeningNear: number;
  @ApiProperty({ example: 3, description: 'transfer recommendations issued on those administrative cases' })
  recommendations: number;
  @ApiProperty({
    example: 2,
    description:
      "parties stated by two or more of the campaign's referrals and administrative cases in scope; in a group when one of those cases is in it",
  })
  linkedParties: number;
  @ApiProperty({
    example: 1,
    description:
      'connected groups of two or more of those cases joined by linked parties; in a group when one of its cases is in it',
  })
  chains: number;
}

export class CampaignDashboardGroup extends CampaignFigures {
  @ApiProperty({ example: '330100', description: 'a region code, a domain or a month (YYYY-MM), per groupBy' }) key: string;
}

export class CampaignDashboard {
  @ApiProperty({ example: 'kunlun-2023' }) campaign: string;
  @ApiProperty({ enum: DASHBOARD_GROUP_BY }) groupBy: DashboardGroupBy;
  @ApiProperty({ type: [CampaignDashboardGroup], description: 'groups with any figure, by key in byte order' })
  groups: CampaignDashboardGroup[];
  @ApiProperty({ type: CampaignFigures, description: "the whole campaign in the caller's scope" }) total: CampaignFigures;
}
