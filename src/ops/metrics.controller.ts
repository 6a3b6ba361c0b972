import { Controller, Get, NotFoundException, Req, Res } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiProduces, ApiTags } from '@nestjs/swagger';
import type { Request, Response } from 'express';
import { Public } from '../auth/principal';
import { ApiProblems } from '../common/openapi';
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
  @ApiOperation({ summary: 'Prometheus metrics (with METRICS_TOKEN set: a bearer token; with METRICS_PORT set: only there)' })
  @ApiProduces('text/plain')
  @ApiOkResponse({
    description: 'Prometheus text exposition format',
    content: { 'text/plain': { schema: { type: 'string', example: 'caselink_transitions_total{event="ACKNOWLEDGE"} 3' } } },
  })
  @ApiProblems(401)
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
