import { Controller, Get, NotFoundException, Req, Res } from '@nestjs/common';
import { ApiProduces, ApiTags } from '@nestjs/swagger';
import type { Request, Response } from 'express';
import { Public } from '../auth/principal';
import { DomainException } from '../common/problem';
import { AppConfig } from '../config/app-config';
import { METRICS_UNAUTHORIZED_DETAIL, metricsAuthorized, MetricsService } from './metrics.service';

// No user token: scrapers carry none. With METRICS_TOKEN set a scrape needs
// `Authorization: Bearer <METRICS_TOKEN>`; with METRICS_PORT set /metrics is served
// only there (worker-metrics.server.ts), and here it does not exist.
@ApiTags('operations')
@Public()
@Controller('metrics')
export class MetricsController {
  constructor(
    private readonly metrics: MetricsService,
    private readonly config: AppConfig,
  ) {}

  @Get()
  @ApiProduces('text/plain')
  async scrape(@Req() req: Request, @Res() res: Response): Promise<void> {
    if (this.config.METRICS_PORT) throw new NotFoundException(`Cannot GET ${req.path}`);
    if (!metricsAuthorized(req.headers.authorization, this.config.METRICS_TOKEN)) {
      res.setHeader('WWW-Authenticate', 'Bearer realm="metrics"');
      throw new DomainException('UNAUTHENTICATED', METRICS_UNAUTHORIZED_DETAIL);
    }
    const { contentType, body } = await this.metrics.scrape();
    res.type(contentType).send(body);
  }
}
