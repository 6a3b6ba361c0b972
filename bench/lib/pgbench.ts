// pgbench's TPC-B (the default script) with `-M prepared` on the same PostgreSQL server, in a database of its
// own (`pgbench -i -s <scale>`, dropped by `drop()`), with per-transaction logs for p50/p99 latencies.
import { execFile, execFileSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { createDatabase, dropDatabase, uniqueName } from './service';
import { Histogram, round, type LatencySummary } from './stats';

const run = promisify(execFile);

export const PGBENCH_MISSING =
  'pgbench not found on PATH: install it (Debian/Ubuntu: apt-get install postgresql-contrib, or postgresql-client-15) to get the database-limit comparison';

/** The path of pgbench, or null when it is not installed. */
export function findPgbench(): string | null {
  try {
    return execFileSync('sh', ['-c', 'command -v pgbench'], { encoding: 'utf8' }).trim() || null;
  } catch {
    return null;
  }
}

export interface PgbenchRun {
  clients: number;
  threads: number;
  durationSeconds: number;
  tps: number;
  transactions: number;
  failed: number;
  latencyMs: LatencySummary;
}

export interface Pgbench {
  database: string;
  scale: number;
  initSeconds: number;
  version: string;
  run(clients: number, durationSeconds: number): Promise<PgbenchRun>;
  drop(): Promise<void>;
}

function pgEnv(serverUrl: string): NodeJS.ProcessEnv {
  const u = new URL(serverUrl);
  return {
    ...process.env,
    PGHOST: u.hostname,
    PGPORT: u.port || '5432',
    PGUSER: decodeURIComponent(u.username || 'postgres'),
    ...(u.password ? { PGPASSWORD: decodeURIComponent(u.password) } : {}),
  };
}

export async function initPgbench(serverUrl: string, scale: number): Promise<Pgbench> {
  const bin = findPgbench();
  if (!bin) throw new Error(PGBENCH_MISSING);
  const database = uniqueName('pgbench');
  await createDatabase(serverUrl, database);
  const env = pgEnv(serverUrl);
  const started = performance.now();
  try {
    // Server-side data generation (G): the same tables as the default, quicker to build.
    await run(bin, ['-i', '-s', String(scale), '-q', '-I', 'dtGvp', database], { env, maxBuffer: 16 << 20 });
  } catch (e) {
    await dropDatabase(serverUrl, database);
    throw e;
  }
  const initSeconds = round((performance.now() - started) / 1000, 1);
  const version = (await run(bin, ['--version'], { env })).stdout.trim();
  return {
    database,
    scale,
    initSeconds,
    version,
    async run(clients, durationSeconds) {
      const threads = Math.min(2, clients);
      const logDir = mkdtempSync(join(tmpdir(), 'caselink-pgbench-'));
      try {
        const args = ['-M', 'prepared', '-c', String(clients), '-j', String(threads), '-T', String(durationSeconds)];
        args.push('-l', `--log-prefix=${join(logDir, 'tx')}`, database);
        const { stdout } = await run(bin, args, { env, maxBuffer: 16 << 20 });
        const tps = Number(/tps = ([\d.]+) \(without initial connection time\)/.exec(stdout)?.[1] ?? NaN);
        const transactions = Number(/number of transactions actually processed: (\d+)/.exec(stdout)?.[1] ?? NaN);
        const failed = Number(/number of failed transactions: (\d+)/.exec(stdout)?.[1] ?? 0);
        // Per-transaction log lines: client_id transaction_no time(µs) script_no time_epoch time_us
        const latency = new Histogram();
        for (const file of readdirSync(logDir)) {
          for (const line of readFileSync(join(logDir, file), 'utf8').split('\n')) {
            const micros = Number(line.split(' ')[2]);
            if (line && Number.isFinite(micros)) latency.record(micros / 1000);
          }
        }
        return { clients, threads, durationSeconds, tps: round(tps, 1), transactions, failed, latencyMs: latency.summary() };
      } finally {
        rmSync(logDir, { recursive: true, force: true });
      }
    },
    drop: () => dropDatabase(serverUrl, database),
  };
}
