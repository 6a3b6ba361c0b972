// Builds the Nest application from a validated config: shared by main.ts and the tests.
import { INestApplication, Logger } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { DocumentBuilder, SwaggerModule } from '@nestjs/swagger';
import type { Redis } from 'ioredis';
import { DataSource } from 'typeorm';
import { AppModule } from './app.module';
import { answerClientErrorsWithProblems } from './common/client-error';
import { requestId } from './common/request-id.middleware';
import type { AppConfig } from './config/app-config';
import { absorbLateConnectionErrors } from './database/connection-errors';
import { migrate } from './database/migrate';
import { CalendarsService } from './deadlines/calendars.service';
import { DirectoryService } from './directory/directory.service';
import { serveConsole } from './ops/console.setup';
import { setUpOps } from './ops/ops.setup';

export interface BuildOptions {
  config: AppConfig;
  databaseUrl: string;
  redis: Redis;
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
  answerClientErrorsWithProblems(app.getHttpServer());
  setUpOps(app); // JSON logs, HTTP timing, helmet, /admin/queues
  serveConsole(app); // web/dist at / when it is built
  app.enableShutdownHooks();
  await prepareDatabase(app);
  publishOpenApi(app);
  return app;
}

/** Migrations (under an advisory lock), shipped calendars, first admin: in that order, before any request. */
async function prepareDatabase(app: INestApplication): Promise<void> {
  absorbLateConnectionErrors(app.get(DataSource));
  const ran = await migrate(app.get(DataSource));
  if (ran.length > 0) new Logger('Database').log(`migrations run: ${ran.join(', ')}`);
  await app.get(CalendarsService).seedShippedYears();
  await app.get(DirectoryService).bootstrapAdmin();
}

function publishOpenApi(app: INestApplication): void {
  const document = SwaggerModule.createDocument(
    app,
    new DocumentBuilder()
      .setTitle('CaseLink')
      .setDescription('Cross-agency case-referral workflow engine: the HTTP contract of API.md')
      .setVersion('1')
      .addBearerAuth()
      .build(),
  );
  SwaggerModule.setup('docs', app, document, { jsonDocumentUrl: 'docs-json' });
}
