// `npm start`: validate the config, find PostgreSQL (or start the embedded one)
// and Redis, migrate, and serve on HOST:PORT; RUN_API / RUN_WORKERS choose the roles.
import 'reflect-metadata';
import { Logger } from '@nestjs/common';
import { buildApp } from './bootstrap';
import { ConfigError, loadConfig } from './config/app-config';
import { EmbeddedPostgresError, startEmbeddedPostgres, type EmbeddedDatabase } from './database/embedded-postgres';
import { handleShutdownSignals } from './ops/shutdown';
import { connectConfiguredRedis } from './redis/redis';

let embedded: EmbeddedDatabase | null = null;

async function main(): Promise<void> {
  const config = loadConfig();
  const redis = await connectConfiguredRedis(config);
  embedded = config.DATABASE_URL ? null : await startEmbeddedPostgres(config.DATA_DIR, { port: config.EMBEDDED_PG_PORT });
  const app = await buildApp({ config, databaseUrl: config.DATABASE_URL ?? embedded!.url, redis });
  // The order of shutdown is in src/ops/shutdown.ts: the embedded server stops only after Nest has drained.
  const database = embedded;
  handleShutdownSignals(app, { timeoutMs: config.SHUTDOWN_TIMEOUT_MS, after: async () => database?.stop() });
  if (config.RUN_API) {
    await app.listen(config.PORT, config.HOST).catch((e: NodeJS.ErrnoException) => {
      if (e.code !== 'EADDRINUSE' && e.code !== 'EADDRNOTAVAIL') throw e;
      throw new ConfigError(`cannot listen on ${config.HOST}:${config.PORT} (${e.code}): set PORT (or HOST) to a free one`);
    });
    new Logger('CaseLink').log(`listening on http://${config.HOST}:${config.PORT} (docs at /docs)`);
  } else {
    await app.init(); // workers only: no HTTP port
    new Logger('CaseLink').log('running as a worker (RUN_API=false)');
  }
}

main().catch(async (e: unknown) => {
  // One clear line for the operator, no stack trace for configuration and connectivity problems.
  const message = e instanceof Error ? e.message : String(e);
  process.stderr.write(`caselink: ${message}\n`);
  const expected = e instanceof ConfigError || e instanceof EmbeddedPostgresError || /not reachable/.test(message);
  if (!expected && e instanceof Error) process.stderr.write(`${e.stack}\n`);
  await embedded?.stop().catch(() => undefined);
  process.exit(1);
});
