// Builds the Nest application from a validated config: shared by main.ts and the tests.
import { INestApplication, Logger } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { SwaggerModule } from '@nestjs/swagger';
import { DataSource } from 'typeorm';
import { AppModule } from './app.module';
import { answerClientErrorsWithProblems } from './common/client-error';
import { noStore } from './common/no-store.middleware';
import { requestId } from './common/request-id.middleware';
import type { AppConfig } from './config/app-config';
import { absorbLateConnectionErrors } from './database/connection-errors';
import { migrate } from './database/migrate';
import { CalendarsService } from './deadlines/calendars.service';
import { DirectoryService } from './directory/directory.service';
import { createOpenApiDocument } from './openapi/document';
import { serveConsole } from './ops/console.setup';
import { setUpOps } from './ops/ops.setup';
import { ScreeningService } from './screening/screening.service';
import type { RedisConnection } from './redis/redis';

export interface BuildOptions {
  config: AppConfig;
  databaseUrl: string;
  redis: RedisConnection;
  /** Nest's console levels, only until the JSON logger (LOG_LEVEL) takes over. */
  logger?: false | ('log' | 'error' | 'warn' | 'debug' | 'verbose')[];
}

export async function buildApp({ config, databaseUrl, redis, logger }: BuildOptions): Promise<INestApplication> {
  const app = await NestFactory.create(AppModule.forRoot({ config, databaseUrl, redis }), {
    bodyParser: false, // AppModule parses bodies with the configured limit
    logger: logger ?? ['log', 'error', 'warn'],
    bufferLogs: true, // until setUpOps switches to the JSON logger
  });
  app.use(requestId); // before every route, Swagger's included
  app.use(noStore); // /api answers: never a 304 from the version ETag, never cached
  answerClientErrorsWithProblems(app.getHttpServer());
  setUpOps(app); // JSON logs, HTTP timing, helmet, /admin/queues
  serveConsole(app); // web/dist at / when it is built
  app.enableShutdownHooks();
  await prepareDatabase(app);
  publishOpenApi(app);
  return app;
}

/** Migrations (under an advisory lock), shipped calendars and screening rules, first admin: in that order, before any request. */
async function prepareDatabase(app: INestApplication): Promise<void> {
  absorbLateConnectionErrors(app.get(DataSource));
  const ran = await migrate(app.get(DataSource));
  if (ran.length > 0) new Logger('Database').log(`migrations run: ${ran.join(', ')}`);
  await app.get(CalendarsService).seedShippedYears();
  await app.get(ScreeningService).loadShippedRules();
  await app.get(DirectoryService).bootstrapAdmin();
}

/**
 * Swagger UI at /docs and the document at /docs-json: the one createOpenApiDocument builds (also for `npm run lint:api`),
 * built on the first request for it rather than at every start (worker-only processes never serve it).
 */
function publishOpenApi(app: INestApplication): void {
  SwaggerModule.setup('docs', app, () => createOpenApiDocument(app), { jsonDocumentUrl: 'docs-json' });
}
