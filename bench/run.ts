// The benchmark runner: `npm run bench` (full, about 12 minutes on 2 cores), `npm run bench -- --quick`
// (under 5 minutes), `--tiny` (the smoke test's sizes, about a minute). Builds dist/ when it is missing or older
// than the sources, runs the modules in order, prints one table and writes bench/results/latest.json:
//   {"figures": [{name, value, unit, target, met}], "raw": {<module>: …}, "machine": {…}, "size", "startedAt"}
//
// Options:
//   --quick | --tiny        sizes (default full)
//   --only a,b              run a subset of the modules below, in their order
//   --out <file>            write the JSON there instead of bench/results/latest.json
//   --profile               start the services with node --cpu-prof (profiles in bench/results/profiles/)
//   --no-build              do not check dist/ against the sources
// Environment: BENCH_DATABASE_URL (PostgreSQL server, default postgres://postgres@127.0.0.1:5432/postgres),
// BENCH_REDIS_URL (default redis://127.0.0.1:6379/0; keys go under unique prefixes and are removed),
// BENCH_RUN_ID (tag of this run's databases and key prefixes; generated when unset).
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, release, totalmem } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { Redis } from 'ioredis';
import { run as deadlinesAtScale } from './deadlines-at-scale';
import { run as footprint } from './footprint';
import type { BenchModule, BenchOptions, BenchResult, BenchSize, Figure } from './lib/figures';
import { findPgbench, PGBENCH_MISSING } from './lib/pgbench';
import { benchKeyPrefix, benchNamePrefix, benchRunId, MAIN, ROOT, stopAllServices, withClient } from './lib/service';
import { run as outboxRelay } from './outbox-relay';
import { run as peerBpmn } from './peer-bpmn';
import { run as supervisionAtScale } from './supervision-at-scale';
import { run as throughput } from './throughput';

/**
 * The modules, in the order they run. The other bench branch (bench2) adds at merge:
 *   { name: 'peer-bpmn', run: peerBpmn }                       // bench/peer-bpmn.ts
 *   { name: 'deadlines-at-scale', run: deadlinesAtScale }      // bench/deadlines-at-scale.ts
 *   { name: 'supervision-at-scale', run: supervisionAtScale }  // bench/supervision-at-scale.ts
 * (each `import { run as … } from './<file>'`; the smoke test runs every module listed here).
 */
export const MODULES: { name: string; run: BenchModule }[] = [
  { name: 'throughput', run: throughput },
  { name: 'outbox-relay', run: outboxRelay },
  { name: 'footprint', run: footprint },
  { name: 'peer-bpmn', run: peerBpmn },
  { name: 'deadlines-at-scale', run: deadlinesAtScale },
  { name: 'supervision-at-scale', run: supervisionAtScale },
];

interface Args {
  size: BenchSize;
  only: string[] | null;
  out: string;
  profile: boolean;
  build: boolean;
}

function parseArgs(argv: string[]): Args {
  const args: Args = { size: 'full', only: null, out: join(ROOT, 'bench/results/latest.json'), profile: false, build: true };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    const value = () => {
      const v = a.includes('=') ? a.slice(a.indexOf('=') + 1) : argv[++i];
      if (v === undefined) throw new Error(`${a} needs a value`);
      return v;
    };
    if (a === '--quick') args.size = 'quick';
    else if (a === '--tiny') args.size = 'tiny';
    else if (a === '--full') args.size = 'full';
    else if (a === '--profile') args.profile = true;
    else if (a === '--no-build') args.build = false;
    else if (a.startsWith('--only'))
      args.only = value()
        .split(',')
        .map((s) => s.trim())
        .filter(Boolean);
    else if (a.startsWith('--out')) args.out = resolve(value());
    else throw new Error(`unknown option ${a} (known: --quick, --tiny, --only a,b, --out <file>, --profile, --no-build)`);
  }
  if (args.only) {
    const unknown = args.only.filter((n) => !MODULES.some((m) => m.name === n));
    if (unknown.length > 0)
      throw new Error(`unknown module(s) ${unknown.join(', ')}; known: ${MODULES.map((m) => m.name).join(', ')}`);
  }
  return args;
}

function newestMtime(dir: string): number {
  let newest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) newest = Math.max(newest, newestMtime(path));
    else if (/\.(ts|json)$/.test(entry.name)) newest = Math.max(newest, statSync(path).mtimeMs);
  }
  return newest;
}

/** Builds dist/ (npm run build) when dist/src/main.js is missing or older than a source of the service. */
function buildIfStale(log: (line: string) => void) {
  const sources = Math.max(newestMtime(join(ROOT, 'src')), newestMtime(join(ROOT, 'workflows')));
  if (existsSync(MAIN) && statSync(MAIN).mtimeMs >= sources) return;
  log(existsSync(MAIN) ? 'dist/ is older than the sources: npm run build …' : 'dist/ is missing: npm run build …');
  execFileSync('npm', ['run', 'build', '--silent'], { cwd: ROOT, stdio: 'inherit' });
}

async function machine(serverUrl: string, redisUrl: string) {
  const pg = await withClient(serverUrl, async (c) => {
    const { rows } = await c.query(
      `SELECT current_setting('server_version') AS version, current_setting('max_connections')::int AS max,
              (SELECT count(*)::int FROM pg_stat_activity) AS used`,
    );
    return rows[0] as { version: string; max: number; used: number };
  });
  const redis = new Redis(redisUrl, { lazyConnect: true, maxRetriesPerRequest: 2 });
  await redis.connect();
  const info = await redis.info('server').finally(() => redis.disconnect());
  return {
    cpus: cpus().length,
    cpuModel: cpus()[0]?.model ?? 'unknown',
    memoryBytes: totalmem(),
    memoryGb: Math.round((totalmem() / 1024 ** 3) * 10) / 10,
    node: process.version,
    os: `${process.platform} ${release()}`,
    postgres: pg.version,
    // The server is shared: pgbench at 32 clients plus a service's pool need about 45 free connections.
    postgresConnectionsAtStart: { max: pg.max, inUse: pg.used },
    redis: /redis_version:(\S+)/.exec(info)?.[1] ?? 'unknown',
    pgbench: findPgbench() ? execFileSync('pgbench', ['--version'], { encoding: 'utf8' }).trim() : PGBENCH_MISSING,
    loadAverageAtStart: loadavg().map((l) => Math.round(l * 100) / 100),
  };
}

/** Databases and Redis keys (in any database of the Redis server) of this run still present: there should be none. */
export async function leftovers(serverUrl: string, redisUrl: string): Promise<{ databases: string[]; redisKeys: number }> {
  const databases = await withClient(serverUrl, async (c) => {
    const { rows } = await c.query(`SELECT datname FROM pg_database WHERE starts_with(datname, $1)`, [benchNamePrefix()]);
    return rows.map((r) => r.datname as string);
  });
  const control = new Redis(redisUrl, { lazyConnect: true, maxRetriesPerRequest: 2 });
  await control.connect();
  const count = await control
    .config('GET', 'databases')
    .then((r) => Number((r as string[])[1]))
    .catch(() => 16)
    .finally(() => control.disconnect());
  let redisKeys = 0;
  for (let db = 0; db < count; db++) {
    const url = new URL(redisUrl);
    url.pathname = `/${db}`;
    const redis = new Redis(url.toString(), { lazyConnect: true, maxRetriesPerRequest: 2 });
    await redis.connect();
    try {
      let cursor = '0';
      do {
        const [next, keys] = await redis.scan(cursor, 'MATCH', `${benchKeyPrefix()}*`, 'COUNT', 1000);
        cursor = next;
        redisKeys += keys.length;
      } while (cursor !== '0');
    } finally {
      redis.disconnect();
    }
  }
  return { databases, redisKeys };
}

const show = (v: number) => (!Number.isFinite(v) ? 'n/a' : Number.isInteger(v) ? String(v) : String(Math.round(v * 1000) / 1000));

function table(figures: Figure[]): string {
  const rows = [
    ['figure', 'value', 'unit', 'target', 'met'],
    ...figures.map((f) => [f.name, show(f.value), f.unit, f.target, f.met ? 'yes' : 'NO']),
  ];
  const widths = rows[0].map((_, i) => Math.max(...rows.map((r) => r[i].length)));
  const line = (r: string[]) => r.map((c, i) => (i === 1 ? c.padStart(widths[i]) : c.padEnd(widths[i]))).join('  ');
  return [line(rows[0]), widths.map((w) => '-'.repeat(w)).join('  '), ...rows.slice(1).map(line)].join('\n');
}

async function main() {
  const args = parseArgs(process.argv.slice(2));
  const log = (line: string) => process.stderr.write(`[bench ${new Date().toISOString().slice(11, 19)}] ${line}\n`);
  const serverUrl = process.env.BENCH_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
  const redisUrl = process.env.BENCH_REDIS_URL ?? 'redis://127.0.0.1:6379/0';
  if (args.build) buildIfStale(log);
  if (!findPgbench()) log(PGBENCH_MISSING);
  const startedAt = new Date().toISOString();
  const started = performance.now();
  const machineInfo = await machine(serverUrl, redisUrl);
  log(
    `run ${benchRunId()}, size ${args.size}, ${machineInfo.cpus} CPUs, PostgreSQL ${machineInfo.postgres}, Redis ${machineInfo.redis}`,
  );
  const { max, inUse } = machineInfo.postgresConnectionsAtStart;
  if (max - inUse < 50)
    log(`warning: only ${max - inUse} of ${max} PostgreSQL connections free: pgbench or the service may be refused`);
  const selected = MODULES.filter((m) => !args.only || args.only.includes(m.name));
  const figures: Figure[] = [];
  const raw: Record<string, unknown> = {};
  const earlier: Record<string, BenchResult> = {};
  const failures: string[] = [];
  const seconds: Record<string, number> = {};
  for (const m of selected) {
    log(`${m.name} …`);
    const t = performance.now();
    const options: BenchOptions = { size: args.size, serverUrl, redisUrl, log, profile: args.profile, earlier };
    try {
      const result = await m.run(options);
      figures.push(...result.figures);
      raw[m.name] = result.raw;
      earlier[m.name] = result;
    } catch (e) {
      const message = e instanceof Error ? (e.stack ?? e.message) : String(e);
      log(`${m.name} failed: ${message}`);
      failures.push(m.name);
      raw[m.name] = { error: message };
    }
    seconds[m.name] = Math.round((performance.now() - t) / 100) / 10;
    log(`${m.name}: ${seconds[m.name]} s`);
  }
  const left = await leftovers(serverUrl, redisUrl).catch((e: Error) => {
    log(`could not check for leftovers: ${e.message}`);
    return { databases: [] as string[], redisKeys: 0, error: e.message };
  });
  const result = {
    figures: figures.map(({ name, value, unit, target, met }) => ({ name, value, unit, target, met })),
    raw,
    machine: machineInfo,
    size: args.size,
    startedAt,
    runId: benchRunId(),
    modules: selected.map((m) => m.name),
    failed: failures,
    secondsByModule: seconds,
    totalSeconds: Math.round((performance.now() - started) / 100) / 10,
    leftovers: left,
  };
  mkdirSync(dirname(args.out), { recursive: true });
  writeFileSync(args.out, `${JSON.stringify(result, null, 2)}\n`);
  process.stdout.write(`\n${table(figures)}\n\n`);
  log(`${result.totalSeconds} s in all; written to ${args.out}`);
  if (left.databases.length > 0 || left.redisKeys > 0 || 'error' in left) {
    log(`left behind: databases ${left.databases.join(', ') || 'none'}, ${left.redisKeys} Redis keys`);
    process.exitCode = 1;
  }
  if (failures.length > 0) {
    log(`failed: ${failures.join(', ')}`);
    process.exitCode = 1;
  }
}

if (require.main === module) {
  // Stopped from outside (a smoke test's timeout, Ctrl-C): stop the services it started and drop their databases.
  for (const signal of ['SIGTERM', 'SIGINT'] as const) {
    process.once(signal, () => {
      process.stderr.write(`bench: ${signal}: stopping the services it started\n`);
      // Connections of the interrupted module die as their databases are dropped: not a reason to stop cleaning up.
      process.on('uncaughtException', (e) => process.stderr.write(`bench: while stopping: ${e.message}\n`));
      void stopAllServices().finally(() => process.exit(130));
    });
  }
  main().catch((e) => {
    process.stderr.write(`bench: ${e instanceof Error ? e.message : String(e)}\n`);
    process.exit(1);
  });
}
