import { Controller, Get, Logger, Query, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiProduces, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import { pipeline } from 'node:stream';
import { CurrentPrincipal, Principal, RequireRoles } from '../auth/principal';
import { ExportQuery, OverdueQuery, StatsQuery } from './supervision.dto';
import { SupervisionService } from './supervision.service';

@ApiTags('supervision')
@ApiBearerAuth()
@RequireRoles('procurator', 'supervisor', 'admin')
@Controller('api/v1/supervision')
export class SupervisionController {
  private readonly logger = new Logger('Supervision');

  constructor(private readonly supervision: SupervisionService) {}

  @Get('overdue')
  overdue(@CurrentPrincipal() principal: Principal, @Query() query: OverdueQuery) {
    return this.supervision.overdue(principal, query);
  }

  @Get('stats')
  stats(@CurrentPrincipal() principal: Principal, @Query() query: StatsQuery) {
    return this.supervision.stats(principal, query);
  }

  @Get('export.csv')
  @ApiProduces('text/csv')
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
