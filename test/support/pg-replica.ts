// A real PostgreSQL primary and a streaming standby for a test, from the Debian
// binaries (/usr/lib/postgresql/15/bin): initdb a primary in a temp dir
// (wal_level=replica, trust auth incl. replication), pg_basebackup -R a standby
// from it, each on a free port. Run as the `postgres` system user when the test
// runs as root (initdb refuses root). stop() stops both and removes the dirs.
import { execFile, execFileSync } from 'node:child_process';
import { chownSync, existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { Client } from 'pg';

const run = promisify(execFile);
const BIN = process.env.PG_BIN ?? '/usr/lib/postgresql/15/bin';

export interface PgServer {
  port: number;
  dir: string;
  url(database: string): string;
  query<T = any>(sql: string, database?: string): Promise<T[]>;
}

export interface PgPrimaryAndStandby {
  primary: PgServer;
  standby: PgServer;
  /** Waits until the standby has replayed everything the primary has written so far. */
  caughtUp(ms?: number): Promise<void>;
  stopServer(server: PgServer): Promise<void>;
  stop(): Promise<void>;
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const port = (s.address() as { port: number }).port;
      s.close(() => resolve(port));
    });
  });
}

/** Runs a PostgreSQL binary, as the postgres user when we are root. */
async function pg(bin: string, args: string[]): Promise<string> {
  const asRoot = process.getuid?.() === 0;
  const [cmd, argv] = asRoot ? ['runuser', ['-u', 'postgres', '--', join(BIN, bin), ...args]] : [join(BIN, bin), args];
  try {
    return (await run(cmd, argv, { timeout: 120_000 })).stdout;
  } catch (e) {
    const err = e as Error & { stderr?: string; stdout?: string };
    throw new Error(`${bin} ${args.join(' ')} failed: ${err.message}\n${err.stdout ?? ''}${err.stderr ?? ''}`);
  }
}

/** A temp dir the postgres user owns (mode 0700, as the server wants its data directory). */
function serverDir(name: string): string {
  const dir = mkdtempSync(join(tmpdir(), `caselink-${name}-`));
  if (process.getuid?.() === 0) {
    const uid = Number(execFileSync('id', ['-u', 'postgres']).toString().trim());
    const gid = Number(execFileSync('id', ['-g', 'postgres']).toString().trim());
    chownSync(dir, uid, gid);
  }
  return dir;
}

function server(port: number, dir: string): PgServer {
  const url = (database: string) => `postgres://postgres@127.0.0.1:${port}/${database}`;
  return {
    port,
    dir,
    url,
    async query(sql, database = 'postgres') {
      const c = new Client({ connectionString: url(database) });
      await c.connect();
      try {
        return (await c.query(sql)).rows;
      } finally {
        await c.end();
      }
    },
  };
}

async function start(s: PgServer, extra: string[]): Promise<void> {
  const options = [`-p ${s.port}`, '-c listen_addresses=127.0.0.1', `-c unix_socket_directories=${s.dir}`, ...extra].join(' ');
  await pg('pg_ctl', ['-D', join(s.dir, 'data'), '-l', join(s.dir, 'server.log'), '-o', options, '-w', '-t', '60', 'start']);
}

async function stopServer(s: PgServer): Promise<void> {
  if (!existsSync(join(s.dir, 'data', 'postmaster.pid'))) return;
  await pg('pg_ctl', ['-D', join(s.dir, 'data'), '-m', 'immediate', '-w', 'stop']).catch(() => undefined);
}

export function serverLog(s: PgServer): string {
  try {
    return readFileSync(join(s.dir, 'server.log'), 'utf8').slice(-3000);
  } catch {
    return '';
  }
}

export async function startPrimaryAndStandby(): Promise<PgPrimaryAndStandby> {
  const started: PgServer[] = [];
  const stop = async () => {
    for (const s of started.reverse()) await stopServer(s);
    for (const s of started) rmSync(s.dir, { recursive: true, force: true });
  };
  try {
    const primary = server(await freePort(), serverDir('pg-primary'));
    started.push(primary);
    await pg('initdb', [
      '-D',
      join(primary.dir, 'data'),
      '-U',
      'postgres',
      '--auth=trust',
      '--no-sync',
      '-E',
      'UTF8',
      '--locale=C',
    ]);
    await start(primary, ['-c wal_level=replica', '-c max_wal_senders=4', '-c shared_buffers=32MB', '-c max_connections=60']);

    const standby = server(await freePort(), serverDir('pg-standby'));
    started.push(standby);
    await pg('pg_basebackup', [
      '-D', join(standby.dir, 'data'),
      '-h', '127.0.0.1',
      '-p', String(primary.port),
      '-U', 'postgres',
      '-R', // standby.signal + primary_conninfo
      '-X', 'stream',
      '-c', 'fast',
    ]); // prettier-ignore
    await start(standby, ['-c hot_standby=on', '-c shared_buffers=32MB', '-c max_connections=60']);
    const [{ in_recovery }] = await standby.query(`SELECT pg_is_in_recovery() AS in_recovery`);
    if (!in_recovery) throw new Error('the standby is not in recovery');

    const caughtUp = async (ms = 30_000) => {
      const [{ lsn }] = await primary.query<{ lsn: string }>(`SELECT pg_current_wal_lsn()::text AS lsn`);
      const end = Date.now() + ms;
      for (;;) {
        const [{ behind }] = await standby.query<{ behind: boolean }>(
          `SELECT coalesce(pg_last_wal_replay_lsn() < '${lsn}'::pg_lsn, true) AS behind`,
        );
        if (!behind) return;
        if (Date.now() > end) throw new Error(`the standby did not replay up to ${lsn} within ${ms} ms`);
        await new Promise((r) => setTimeout(r, 50));
      }
    };
    return { primary, standby, caughtUp, stopServer, stop };
  } catch (e) {
    const logs = started.map((s) => `${s.dir}:\n${serverLog(s)}`).join('\n');
    await stop();
    throw new Error(`${(e as Error).message}\n${logs}`);
  }
}
