import { CursorField, EnumField, LimitField } from '../common/fields';
import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsOptional, IsString, IsUUID, Matches } from 'class-validator';
import { ALL_DEADLINE_KINDS, WORKFLOW_NAMES } from '../workflow-engine/workflow-registry';
import { LISTING_LEVELS } from '../../workflows/referral/referral.deadlines';
import { DOMAINS } from '../referrals/referral.dto';
import { ISO_DATE_OR_INSTANT } from './supervision-range';

export const GROUP_BY = ['state', 'domain', 'targetAgency', 'sourceAgency', 'workflow'] as const;
export type GroupBy = (typeof GROUP_BY)[number];

const BOUND_MESSAGE = 'must be an ISO date (2026-03-01) or a date-time with an offset (2026-03-01T08:00:00+08:00)';

export class OverdueQuery {
  @ApiPropertyOptional({
    example: '330100',
    pattern: '^[0-9]{6}$',
    description: 'only referrals inside this region (a prefecture covers its districts)',
  })
  @IsOptional()
  @Matches(/^[0-9]{6}$/, { message: 'regionCode must be a 6-digit administrative-division code' })
  regionCode?: string;

  @ApiPropertyOptional({ format: 'uuid', description: "the deadline's responsible agency" })
  @IsOptional()
  @IsUUID()
  agencyId?: string;

  @ApiPropertyOptional({ enum: DOMAINS })
  @IsOptional()
  @IsIn(DOMAINS)
  domain?: string;

  @ApiPropertyOptional({ enum: ALL_DEADLINE_KINDS })
  @IsOptional()
  @IsIn(ALL_DEADLINE_KINDS)
  kind?: string;

  @ApiPropertyOptional({ enum: WORKFLOW_NAMES, description: 'only instances of this workflow; all of them by default' })
  @IsOptional()
  @IsIn(WORKFLOW_NAMES)
  workflow?: string;

  @EnumField(['true', 'false'], {
    optional: true,
    example: 'true',
    description: 'true: only referrals listed for supervision (flag listed-supervision); false: only those not listed',
  })
  listed?: 'true' | 'false';

  @LimitField() limit?: number;
  @CursorField() cursor?: string;
}

export class ListedQuery {
  @EnumField(LISTING_LEVELS, {
    optional: true,
    example: 'province',
    description: "only listings at this level (the listing's highest)",
  })
  level?: string;

  @LimitField() limit?: number;
  @CursorField() cursor?: string;
}

/** [from, to): both or neither (then the last 30 days); see supervision-range.ts. */
export class RangeQuery {
  @ApiPropertyOptional({ example: '2026-03-01', pattern: ISO_DATE_OR_INSTANT.source, description: `inclusive; ${BOUND_MESSAGE}` })
  @IsOptional()
  @IsString()
  @Matches(ISO_DATE_OR_INSTANT, { message: `from ${BOUND_MESSAGE}` })
  from?: string;

  @ApiPropertyOptional({ example: '2026-04-01', pattern: ISO_DATE_OR_INSTANT.source, description: `exclusive; ${BOUND_MESSAGE}` })
  @IsOptional()
  @IsString()
  @Matches(ISO_DATE_OR_INSTANT, { message: `to ${BOUND_MESSAGE}` })
  to?: string;
}

/** [from, to) and, optionally, one workflow (every workflow by default). */
export class WorkflowRangeQuery extends RangeQuery {
  @ApiPropertyOptional({ enum: WORKFLOW_NAMES, description: 'only instances of this workflow; every workflow by default' })
  @IsOptional()
  @IsIn(WORKFLOW_NAMES)
  workflow?: string;
}

export class StatsQuery extends WorkflowRangeQuery {
  @ApiPropertyOptional({ enum: GROUP_BY, default: 'state' })
  @IsOptional()
  @IsIn(GROUP_BY)
  groupBy?: GroupBy;
}

export class ExportQuery extends WorkflowRangeQuery {}

export class LinkageQuery extends RangeQuery {}
