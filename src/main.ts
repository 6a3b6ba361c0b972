// `npm start`: validate the config, find PostgreSQL (or start the embedded one)
// and Redis, migrate, and serve on PORT; RUN_API / RUN_WORKERS choose the roles.
import 'reflect-metadata';
import { Logger } from '@nestjs/common';
import { buildApp } from './bootstrap';
import { ConfigError, loadConfig } from './config/app-config';
import { startEmbeddedPostgres } from './database/embedded-postgres';
import { exitAfterShutdownTimeout } from './ops/shutdown';
import { connectRedis } from './redis/redis';

async function main(): Promise<void> {
  const config = loadConfig();
  const redis = await connectRedis(config.REDIS_URL, { skipEvictionCheck: config.REDIS_SKIP_EVICTION_CHECK });
  const embedded = config.DATABASE_URL ? null : await startEmbeddedPostgres(config.DATA_DIR);
  const app = await buildApp({ config, databaseUrl: config.DATABASE_URL ?? embedded!.url, redis });
  exitAfterShutdownTimeout(config.SHUTDOWN_TIMEOUT_MS); // the order of shutdown: src/ops/shutdown.ts
  if (embedded) {
    // Stop the embedded server after Nest has closed its connections.
    const close = app.close.bind(app);
    app.close = async () => {
      await close();
      await embedded.stop();
    };
  }
  if (config.RUN_API) {
    await app.listen(config.PORT);
    new Logger('CaseLink').log(`listening on :${config.PORT} (docs at /docs)`);
  } else {
    await app.init(); // workers only: no HTTP port
    new Logger('CaseLink').log('running as a worker (RUN_API=false)');
  }
}

main().catch((e: unknown) => {
  // One clear line for the operator, no stack trace for configuration and connectivity problems.
  const message = e instanceof Error ? e.message : String(e);
  process.stderr.write(`caselink: ${message}\n`);
  if (!(e instanceof ConfigError) && !/not reachable/.test(message) && e instanceof Error) {
    process.stderr.write(`${e.stack}\n`);
  }
  process.exit(1);
});
