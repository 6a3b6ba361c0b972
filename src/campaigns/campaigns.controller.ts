import { Body, Controller, Get, Headers, HttpCode, Param, Patch, Post, Query, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiCreatedResponse, ApiHeader, ApiOkResponse, ApiOperation, ApiParam, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import { CurrentPrincipal, Principal, RequireRoles } from '../auth/principal';
import { parseIfMatch } from '../common/if-match';
import { ApiProblems } from '../common/openapi';
import { notFound } from '../common/problem';
import {
  CAMPAIGN_CODE,
  CampaignDashboard,
  CampaignPage,
  CampaignView,
  CreateCampaignDto,
  DashboardQuery,
  ListCampaignsQuery,
  UpdateCampaignDto,
} from './campaign.dto';
import { dashboardCsv } from './campaign-dashboard-csv';
import { CampaignsService } from './campaigns.service';

const CODE_PARAM = {
  name: 'code',
  schema: { type: 'string', pattern: CAMPAIGN_CODE.source },
  description: 'the campaign, e.g. kunlun-2023 (a code that cannot exist is a 404)',
} as const;

/** A code that is not a slug names nothing: 404, like an unknown one. */
function campaignCode(code: string): string {
  if (!CAMPAIGN_CODE.test(code)) throw notFound('Campaign');
  return code;
}

@ApiTags('campaigns')
@ApiBearerAuth()
@Controller('api/v1/campaigns')
export class CampaignsController {
  constructor(private readonly campaigns: CampaignsService) {}

  @Post()
  @HttpCode(201)
  @RequireRoles('admin', 'supervisor')
  @ApiOperation({
    summary: 'Register a campaign (admin; a supervisor within its own region)',
    description: 'The code is unique (409 ALREADY_EXISTS); a supervisor may name only regions inside its own (else 403).',
  })
  @ApiCreatedResponse({ type: CampaignView, description: 'the campaign; ETag: its version' })
  @ApiProblems(400, 409, 413)
  async create(
    @CurrentPrincipal() principal: Principal,
    @Body() dto: CreateCampaignDto,
    @Res({ passthrough: true }) res: Response,
  ): Promise<CampaignView> {
    const campaign = await this.campaigns.create(principal, dto);
    res.setHeader('ETag', `"${campaign.version}"`);
    return campaign;
  }

  @Get()
  @ApiOperation({ summary: 'The campaign register, newest first (any authenticated user: reference data)' })
  @ApiOkResponse({ type: CampaignPage })
  @ApiProblems(400)
  list(@Query() query: ListCampaignsQuery): Promise<CampaignPage> {
    return this.campaigns.list(query);
  }

  @Get(':code')
  @ApiParam(CODE_PARAM)
  @ApiOperation({ summary: 'Read a campaign (any authenticated user)' })
  @ApiOkResponse({ type: CampaignView, description: 'ETag: the version' })
  @ApiProblems(404)
  async get(@Param('code') code: string, @Res({ passthrough: true }) res: Response): Promise<CampaignView> {
    const campaign = await this.campaigns.get(campaignCode(code));
    res.setHeader('ETag', `"${campaign.version}"`);
    return campaign;
  }

  @Patch(':code')
  @RequireRoles('admin', 'supervisor')
  @ApiParam(CODE_PARAM)
  @ApiOperation({
    summary: 'Change a campaign (admin; a supervisor whose region covers all its regions)',
    description: 'Every field but the code; the period, regions and leading agencies are checked as on create.',
  })
  @ApiHeader({ name: 'If-Match', required: false, schema: { type: 'string' }, description: 'the campaign version, as in ETag' })
  @ApiOkResponse({ type: CampaignView, description: 'the changed campaign; ETag: its version' })
  @ApiProblems(400, 404, 412, 413)
  async update(
    @CurrentPrincipal() principal: Principal,
    @Param('code') code: string,
    @Body() dto: UpdateCampaignDto,
    @Headers('if-match') ifMatch: string | undefined,
    @Res({ passthrough: true }) res: Response,
  ): Promise<CampaignView> {
    const campaign = await this.campaigns.update(principal, campaignCode(code), dto, parseIfMatch(ifMatch));
    res.setHeader('ETag', `"${campaign.version}"`);
    return campaign;
  }

  @Get(':code/dashboard')
  @RequireRoles('admin', 'supervisor', 'procurator')
  @ApiParam(CODE_PARAM)
  @ApiOperation({
    summary: "A campaign's figures in the caller's region, by region, field or month",
    description: 'Transfers, acceptances, median hours to decision, breaches, screening flags and recommendations: docs/api.md.',
  })
  @ApiOkResponse({ type: CampaignDashboard })
  @ApiProblems(400, 404)
  dashboard(
    @CurrentPrincipal() principal: Principal,
    @Param('code') code: string,
    @Query() query: DashboardQuery,
  ): Promise<CampaignDashboard> {
    return this.campaigns.dashboard(principal, campaignCode(code), query.groupBy);
  }

  @Get(':code/dashboard.csv')
  @RequireRoles('admin', 'supervisor', 'procurator')
  @ApiParam(CODE_PARAM)
  @ApiOperation({ summary: 'The campaign dashboard as CSV: one row per group, then the total' })
  @ApiOkResponse({
    description: 'cells that a spreadsheet would run as formulas are neutralised',
    content: { 'text/csv': { schema: { type: 'string', example: 'key,transfers,acceptances\r\n330100,12,8\r\n' } } },
  })
  @ApiProblems(400, 404)
  async dashboardCsv(
    @CurrentPrincipal() principal: Principal,
    @Param('code') code: string,
    @Query() query: DashboardQuery,
    @Res() res: Response,
  ): Promise<void> {
    const dashboard = await this.campaigns.dashboard(principal, campaignCode(code), query.groupBy);
    res.status(200);
    res.setHeader('Content-Type', 'text/csv; charset=utf-8');
    res.setHeader('Content-Disposition', `attachment; filename=${dashboard.campaign}-${dashboard.groupBy}.csv`);
    res.send(await dashboardCsv(dashboard));
  }
}
