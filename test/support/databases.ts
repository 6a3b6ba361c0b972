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

/** The comment that marks a database as this run's, for the teardown to find what a failed suite left. */
export function runMark(run = process.env.CASELINK_TEST_RUN): string | undefined {
  return run ? `caselink-test-run:${run}` : undefined;
}

// The server is shared (other runs, benchmarks): a moment of "too many clients" is waited out.
const TOO_MANY_CONNECTIONS = '53300';

export async function withServer<T>(fn: (client: Client) => Promise<T>): Promise<T> {
  let client: Client;
  for (let waited = 0; ; waited += 500) {
    client = new Client({ connectionString: SERVER_URL });
    try {
      await client.connect();
      break;
    } catch (e) {
      await client.end().catch(() => undefined);
      if ((e as { code?: string }).code !== TOO_MANY_CONNECTIONS || waited >= 30_000) throw e;
      await new Promise((r) => setTimeout(r, 500));
    }
  }
  try {
    return await fn(client);
  } finally {
    await client.end();
  }
}

/** A new database: empty, or a copy of `template` (which must have no open connection; clones may run at once). */
export async function createDatabase(template?: string): Promise<string> {
  const name = `caselink_test_${Date.now()}_${randomBytes(4).toString('hex')}`;
  const mark = runMark();
  await withServer(async (c) => {
    await c.query(template ? `CREATE DATABASE ${name} TEMPLATE ${template}` : `CREATE DATABASE ${name}`);
    if (mark) await c.query(`COMMENT ON DATABASE ${name} IS '${mark}'`);
  });
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

/** Drops the databases this run created and did not drop (a suite that failed before its close); returns their names. */
export async function dropLeftovers(run: string): Promise<string[]> {
  const names = await withServer(async (c) => {
    const res = await c.query(`SELECT datname FROM pg_database d WHERE shobj_description(d.oid, 'pg_database') = $1`, [
      runMark(run),
    ]);
    return res.rows.map((r: { datname: string }) => r.datname);
  });
  for (const name of names) await dropDatabase(name);
  return names;
}
