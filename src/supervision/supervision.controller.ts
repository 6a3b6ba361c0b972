import { Controller, Get, Logger, Query, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import { pipeline } from 'node:stream';
import { CurrentPrincipal, Principal, RequireRoles } from '../auth/principal';
import { ExportQuery, LinkageQuery, ListedQuery, OverdueQuery, StatsQuery } from './supervision.dto';
import { ApiProblems } from '../common/openapi';
import { LinkageFigures, ListedPage, OverduePage, Stats, SupervisionService } from './supervision.service';

@ApiTags('supervision')
@ApiBearerAuth()
@RequireRoles('procurator', 'supervisor', 'admin')
@Controller('api/v1/supervision')
export class SupervisionController {
  private readonly logger = new Logger('Supervision');

  constructor(private readonly supervision: SupervisionService) {}

  @Get('overdue')
  @ApiOperation({ summary: "Breached deadlines in the caller's region, most overdue first" })
  @ApiOkResponse({ type: OverduePage })
  @ApiProblems(400)
  overdue(@CurrentPrincipal() principal: Principal, @Query() query: OverdueQuery) {
    return this.supervision.overdue(principal, query);
  }

  @Get('listed')
  @ApiOperation({
    summary: "Referrals listed for supervision in the caller's region: their listing, last progress report and next report due",
  })
  @ApiOkResponse({ type: ListedPage })
  @ApiProblems(400)
  listed(@CurrentPrincipal() principal: Principal, @Query() query: ListedQuery) {
    return this.supervision.listed(principal, query);
  }

  @Get('linkage')
  @ApiOperation({
    summary: 'Both directions of the linkage: recommendations by outcome, reverse transfers answered on time, screening flags',
  })
  @ApiOkResponse({ type: LinkageFigures })
  @ApiProblems(400)
  linkage(@CurrentPrincipal() principal: Principal, @Query() query: LinkageQuery) {
    return this.supervision.linkage(principal, query);
  }

  @Get('stats')
  @ApiOperation({ summary: 'Counts of the instances of every workflow (or one), overdue counts and timeliness, grouped' })
  @ApiOkResponse({ type: Stats })
  @ApiProblems(400)
  stats(@CurrentPrincipal() principal: Principal, @Query() query: StatsQuery) {
    return this.supervision.stats(principal, query);
  }

  @Get('export.csv')
  @ApiOperation({ summary: 'CSV export of the instances in scope (referrals and the other workflows, or one with workflow=)' })
  @ApiOkResponse({
    description: 'one row per referral; cells that a spreadsheet would run as formulas are neutralised',
    content: {
      'text/csv': { schema: { type: 'string', example: 'referenceNo,title,state\r\n330100-2026-000123,…,accepted\r\n' } },
    },
  })
  @ApiProblems(400)
  async exportCsv(@CurrentPrincipal() principal: Principal, @Query() query: ExportQuery, @Res() res: Response) {
    const csv = await this.supervision.exportCsv(principal, query);
    res.status(200);
    res.setHeader('Content-Type', 'text/csv; charset=utf-8');
    res.setHeader('Content-Disposition', 'attachment; filename=referrals.csv');
    // A failure after the first bytes can only cut the download short: the client sees it incomplete.
    pipeline(csv, res, (error) => {
      if (error) this.logger.warn(`export.csv aborted: ${error.message}`);
    });
  }
}
