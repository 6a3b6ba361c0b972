// What `npm run demo` and `npm run admin` run in: the service's own Nest modules as an application context
// (no HTTP, no workers) against the configured database: DATABASE_URL, or the embedded PostgreSQL under
// DATA_DIR — the one a running `npm start` serves (its port is recorded under DATA_DIR), or one started
// for the command and stopped after it.
import 'reflect-metadata';
import type { INestApplicationContext } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { DataSource } from 'typeorm';
import { AppModule } from '../src/app.module';
import { DomainException } from '../src/common/problem';
import { ConfigError, loadConfig, type AppConfig } from '../src/config/app-config';
import { EmbeddedPostgresError, openEmbeddedDatabase, type EmbeddedDatabase } from '../src/database/embedded-postgres';
import { migrate } from '../src/database/migrate';
import { CalendarsService } from '../src/deadlines/calendars.service';
import { DirectoryService } from '../src/directory/directory.service';
import { connectConfiguredRedis, type RedisConnection } from '../src/redis/redis';

export type Print = (line: string) => void;

export interface CliContext {
  app: INestApplicationContext;
  config: AppConfig;
  db: DataSource;
  /** Where it ran: "DATABASE_URL", or the embedded server's port and whether a running service owns it. */
  where: string;
  close(): Promise<void>;
}

export async function openCliContext(env: Record<string, string | undefined> = process.env): Promise<CliContext> {
  // Neither an HTTP port nor workers: the running service (if any) does that work.
  const config = loadConfig({ ...env, RUN_API: 'false', RUN_WORKERS: 'false', LOG_LEVEL: env.LOG_LEVEL ?? 'warn' });
  let embedded: EmbeddedDatabase | null = null;
  let redis: RedisConnection | null = null;
  let app: INestApplicationContext | null = null;
  try {
    embedded = config.DATABASE_URL ? null : await openEmbeddedDatabase(config.DATA_DIR, { port: config.EMBEDDED_PG_PORT });
    redis = await connectConfiguredRedis(config);
    const databaseUrl = config.DATABASE_URL ?? embedded!.url;
    app = await NestFactory.createApplicationContext(AppModule.forRoot({ config, databaseUrl, redis }), {
      logger: ['error', 'warn'],
    });
    await app.init();
    const db = app.get(DataSource);
    // The same preparation as the service's boot, so a command works on a database the service never saw.
    await migrate(db);
    await app.get(CalendarsService).seedShippedYears();
    await app.get(DirectoryService).bootstrapAdmin();
    const where = embedded
      ? `the embedded PostgreSQL on port ${embedded.port}, ${embedded.owned ? 'started for this command' : 'of the running service'}`
      : 'DATABASE_URL';
    const [a, r, e] = [app, redis, embedded];
    return {
      app,
      config,
      db,
      where,
      async close() {
        await a.close();
        r.disconnect();
        await e?.stop();
      },
    };
  } catch (err) {
    await app?.close().catch(() => undefined);
    redis?.disconnect();
    await embedded?.stop().catch(() => undefined);
    throw err;
  }
}

/** Runs a command as a script: one line on failure for what an operator can fix, a stack trace otherwise. */
export function runAsScript(name: string, command: () => Promise<void>): void {
  command()
    .then(() => process.exit(0))
    .catch((e: unknown) => {
      const message = e instanceof Error ? `${e.message}${details(e)}` : String(e);
      process.stderr.write(`caselink ${name}: ${message}\n`);
      const expected =
        e instanceof ConfigError || e instanceof EmbeddedPostgresError || e instanceof UsageError || e instanceof DomainException;
      if (!expected && !/not reachable/.test(message) && e instanceof Error) process.stderr.write(`${e.stack}\n`);
      process.exit(1);
    });
}

/** A mistake in the command line or its arguments: the message says what to type instead. */
export class UsageError extends Error {}

/** A refusal of the service (e.g. 409 ALREADY_EXISTS, 400 VALIDATION_FAILED) with its field errors, on the same line. */
function details(e: Error): string {
  if (!(e instanceof DomainException)) return '';
  const errors = (e.extra.errors ?? []) as { field: string; message: string }[];
  return errors.length ? ` (${errors.map((f) => `${f.field}: ${f.message}`).join('; ')})` : '';
}
