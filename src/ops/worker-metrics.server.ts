// With METRICS_PORT set, every process (API or worker-only) serves GET /metrics and
// GET /health/live on that port, and /metrics is not served on the main port: the
// numbers can then stay on an internal network while PORT faces clients. A
// worker-only process (RUN_API=false) has no HTTP API otherwise, yet it is where
// deadlines fire and webhooks are delivered. METRICS_TOKEN applies here as well.
import { Injectable, Logger, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { createServer, type Server } from 'node:http';
import { problem } from '../common/problem.filter';
import { AppConfig } from '../config/app-config';
import { METRICS_UNAUTHORIZED_DETAIL, metricsAuthorized, MetricsService } from './metrics.service';

@Injectable()
export class WorkerMetricsServer implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger('Metrics');
  private server?: Server;

  constructor(
    private readonly config: AppConfig,
    private readonly metrics: MetricsService,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    if (!this.config.METRICS_PORT) return;
    const server = createServer((req, res) => {
      const path = (req.url ?? '/').split('?')[0];
      if (req.method === 'GET' && path === '/metrics') {
        if (!metricsAuthorized(req.headers.authorization, this.config.METRICS_TOKEN)) {
          res
            .writeHead(401, { 'content-type': 'application/problem+json', 'www-authenticate': 'Bearer realm="metrics"' })
            .end(JSON.stringify(problem(401, 'UNAUTHENTICATED', METRICS_UNAUTHORIZED_DETAIL)));
          return;
        }
        this.metrics.scrape().then(
          ({ contentType, body }) => res.writeHead(200, { 'content-type': contentType }).end(body),
          () => res.writeHead(500).end(),
        );
      } else if (req.method === 'GET' && path === '/health/live') {
        res.writeHead(200, { 'content-type': 'application/json' }).end('{"status":"ok"}');
      } else {
        res
          .writeHead(404, { 'content-type': 'application/problem+json' })
          .end(JSON.stringify(problem(404, 'NOT_FOUND', `Cannot ${req.method} ${path}`)));
      }
    });
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(this.config.METRICS_PORT, this.config.HOST, () => resolve());
    });
    this.server = server;
    this.logger.log(`metrics on :${this.config.METRICS_PORT}/metrics`);
  }

  async onApplicationShutdown(): Promise<void> {
    const server = this.server;
    this.server = undefined;
    if (server) await new Promise<void>((resolve) => server.close(() => resolve()));
  }
}
