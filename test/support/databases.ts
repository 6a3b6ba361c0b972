// The test databases on the PostgreSQL server (TEST_DATABASE_URL): create, clone, drop.
// Only `pg` here, so that the global setup and teardown load quickly.
import { randomBytes } from 'node:crypto';
import { Client } from 'pg';

const SERVER_URL = process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';

/** Environment variables the global setup sets to the names of this run's templates (unset: no templates). */
export const TEMPLATE_ENV = { bare: 'CASELINK_TEST_TEMPLATE', world: 'CASELINK_TEST_TEMPLATE_WORLD' } as const;

export function databaseUrlFor(name: string): string {
  const url = new URL(SERVER_URL);
  url.pathname = `/${name}`;
  return url.toString();
}

export async function withServer<T>(fn: (client: Client) => Promise<T>): Promise<T> {
  const client = new Client({ connectionString: SERVER_URL });
  await client.connect();
  try {
    return await fn(client);
  } finally {
    await client.end();
  }
}

/** A new database: empty, or a copy of `template` (which must have no open connection; clones may run at once). */
export async function createDatabase(template?: string): Promise<string> {
  const name = `caselink_test_${Date.now()}_${randomBytes(4).toString('hex')}`;
  await withServer((c) => c.query(template ? `CREATE DATABASE ${name} TEMPLATE ${template}` : `CREATE DATABASE ${name}`));
  return name;
}

export async function dropDatabase(name: string): Promise<void> {
  await withServer((c) => c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`));
}

export function templateNames(run: string): { bare: string; world: string } {
  return { bare: `caselink_tpl_${run}`, world: `caselink_tpl_${run}_world` };
}

export async function dropTemplates(run: string): Promise<void> {
  for (const name of Object.values(templateNames(run))) await dropDatabase(name);
}
