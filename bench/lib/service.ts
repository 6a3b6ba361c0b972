// The production build (`node dist/src/main.js`, NODE_ENV=production) as a child process of a benchmark:
// its own PostgreSQL database created on the server (DATABASE_URL, so no embedded PostgreSQL), its own
// QUEUE_PREFIX in the bench's Redis database, a random JWT_SECRET and ADMIN_PASSWORD, and rate limits raised
// so that the load is not refused. `stop()` sends SIGTERM, waits for the exit, drops the database WITH (FORCE)
// (unless the caller brought it) and deletes every Redis key under the prefix.
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { closeSync, existsSync, mkdirSync, mkdtempSync, openSync, readFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { Redis } from 'ioredis';
import { Client } from 'pg';

export const ROOT = resolve(__dirname, '../..');
export const MAIN = join(ROOT, 'dist/src/main.js');
export const PROFILE_DIR = join(ROOT, 'bench/results/profiles');

export interface ServiceOptions {
  /** PostgreSQL server URL to create the service's database on. */
  serverUrl: string;
  /** Redis URL (with its database index) the service uses; keys go under a unique QUEUE_PREFIX. */
  redisUrl: string;
  /** An existing database to use instead of creating one; the caller owns it (stop() does not drop it). */
  databaseUrl?: string;
  /** An existing QUEUE_PREFIX to reuse (e.g. a second start); stop() still deletes its keys unless keepKeys. */
  queuePrefix?: string;
  /** Admin password to reuse on a second start against the same database (the admin exists already). */
  adminPassword?: string;
  /** Keep the Redis keys at stop() (a second start follows). */
  keepKeys?: boolean;
  /** Extra environment for the service (overrides the defaults below). */
  env?: Record<string, string>;
  /** Start with `node --cpu-prof --cpu-prof-dir=bench/results/profiles`: the profile is written when it exits. */
  profile?: boolean;
  /** Leave out the malloc settings `npm start` and the Dockerfile run with (footprint's comparison). */
  glibcMallocDefaults?: boolean;
  /** How long to wait for /health/ready (default 60 s). */
  readyTimeoutMs?: number;
}

export interface Service {
  url: string;
  pid: number;
  databaseUrl: string;
  databaseName: string;
  queuePrefix: string;
  adminUsername: string;
  adminPassword: string;
  /** Milliseconds from spawn to the first 200 from /health/ready. */
  readyMs: number;
  /** Resident set size of the process now, from /proc/<pid>/status. */
  rssBytes(): number;
  /** CPU time (user + system) the process has used so far, in ms, from /proc/<pid>/stat. */
  cpuMs(): number;
  /** The last `count` log lines at level error or fatal: what a 500 was. */
  errorLines(count?: number): string[];
  /** The tail of the service's stdout/stderr (kept in a file, so reading it costs the load nothing). */
  output(chars?: number): string;
  stop(): Promise<void>;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/**
 * The defaults `npm start` gives the environment (`NAME=${NAME:-value} … exec node …` in package.json, the one
 * place they are written; the Dockerfile's ENV must match, test/deployment.e2e-spec.ts checks): the malloc settings.
 */
export function startScriptEnv(script = 'start'): Record<string, string> {
  const { scripts } = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { scripts: Record<string, string> };
  return Object.fromEntries([...scripts[script].matchAll(/(\w+)=\$\{\1:-([^}]*)\}/g)].map((m) => [m[1], m[2]]));
}
const quoteIdent = (name: string) => `"${name.replace(/"/g, '""')}"`;

export function databaseUrlOn(serverUrl: string, name: string): string {
  const url = new URL(serverUrl);
  url.pathname = `/${name}`;
  return url.toString();
}

/**
 * A connected client; retried for up to a minute while the server answers "too many clients" (53300) or
 * "starting up" (57P03): the server is shared, and a bench should wait for a slot rather than fail.
 */
export async function connectClient(url: string): Promise<Client> {
  const deadline = Date.now() + 60_000;
  for (let wait = 100; ; wait = Math.min(2000, wait * 2)) {
    const client = new Client({ connectionString: url });
    try {
      await client.connect();
      return client;
    } catch (e) {
      await client.end().catch(() => undefined);
      const code = (e as { code?: string }).code;
      if ((code !== '53300' && code !== '57P03') || Date.now() > deadline) throw e;
      await sleep(wait);
    }
  }
}

export async function withClient<T>(url: string, fn: (client: Client) => Promise<T>): Promise<T> {
  const client = await connectClient(url);
  try {
    return await fn(client);
  } finally {
    await client.end();
  }
}

/** The tag of this bench run (BENCH_RUN_ID, generated once when unset): in every database name and key prefix it creates. */
export function benchRunId(): string {
  return (process.env.BENCH_RUN_ID ??= randomBytes(4).toString('hex'));
}
export const benchNamePrefix = () => `caselink_bench_${benchRunId()}_`;
export const benchKeyPrefix = () => `caselink-bench-${benchRunId()}-`;

/** A database name of this run: caselink_bench_<run>_<kind>_<random>. */
export const uniqueName = (kind: string) => `${benchNamePrefix()}${kind}_${randomBytes(4).toString('hex')}`;

/** Databases this run created and has not dropped yet: a run stopped by a signal drops them. */
const createdDatabases = new Map<string, string>();

export async function createDatabase(serverUrl: string, name: string): Promise<string> {
  await withClient(serverUrl, (c) => c.query(`CREATE DATABASE ${quoteIdent(name)}`));
  createdDatabases.set(name, serverUrl);
  return databaseUrlOn(serverUrl, name);
}

export async function dropDatabase(serverUrl: string, name: string): Promise<void> {
  await withClient(serverUrl, (c) => c.query(`DROP DATABASE IF EXISTS ${quoteIdent(name)} WITH (FORCE)`));
  createdDatabases.delete(name);
}

/** Deletes every key starting with `prefix` in the Redis database of `redisUrl`; returns how many. */
export async function deleteRedisKeys(redisUrl: string, prefix: string): Promise<number> {
  const redis = new Redis(redisUrl, { lazyConnect: true, maxRetriesPerRequest: 2 });
  await redis.connect();
  try {
    let cursor = '0';
    let deleted = 0;
    const pattern = `${prefix.replace(/[*?[\]\\]/g, (c) => `\\${c}`)}*`;
    do {
      const [next, keys] = await redis.scan(cursor, 'MATCH', pattern, 'COUNT', 1000);
      cursor = next;
      if (keys.length > 0) deleted += await redis.unlink(...keys);
    } while (cursor !== '0');
    return deleted;
  } finally {
    redis.disconnect();
  }
}

export function freePort(): Promise<number> {
  return new Promise((resolvePort, reject) => {
    const server = createServer();
    server.unref();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolvePort(port));
    });
  });
}

export function rssOf(pid: number): number {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const kb = /VmRSS:\s+(\d+)\s+kB/.exec(status);
  if (!kb) throw new Error(`no VmRSS for pid ${pid}`);
  return Number(kb[1]) * 1024;
}

/** utime + stime of a process in ms (USER_HZ is 100 on Linux). */
export function cpuMsOf(pid: number): number {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return (Number(fields[11]) + Number(fields[12])) * 10;
}

/** The services still running, so that a bench stopped by a signal stops them and removes their data. */
const running = new Set<() => Promise<void>>();

/** Stops the services still running and drops every database the run created and still holds. */
export async function stopAllServices(): Promise<void> {
  await Promise.all([...running].map((stop) => stop().catch(() => undefined)));
  for (const [name, serverUrl] of createdDatabases) await dropDatabase(serverUrl, name).catch(() => undefined);
}

export async function startService(options: ServiceOptions): Promise<Service> {
  if (!existsSync(MAIN)) throw new Error(`${MAIN} is missing: run "npm run build" first`);
  const ownDatabase = options.databaseUrl === undefined;
  const databaseName = ownDatabase ? uniqueName('svc') : new URL(options.databaseUrl!).pathname.slice(1);
  const databaseUrl = ownDatabase ? await createDatabase(options.serverUrl, databaseName) : options.databaseUrl!;
  const queuePrefix = options.queuePrefix ?? `${benchKeyPrefix()}${randomBytes(4).toString('hex')}`;
  const adminPassword = options.adminPassword ?? `bench-${randomBytes(12).toString('hex')}`;
  const port = await freePort();
  const workDir = mkdtempSync(join(tmpdir(), 'caselink-bench-'));
  const logFile = join(workDir, 'service.log');
  const env: Record<string, string> = {
    PATH: process.env.PATH ?? '',
    // As `npm start` and the Dockerfile run it (see the Dockerfile for why).
    ...(options.glibcMallocDefaults ? {} : startScriptEnv()),
    NODE_ENV: 'production',
    HOST: '127.0.0.1',
    PORT: String(port),
    DATABASE_URL: databaseUrl,
    REDIS_URL: options.redisUrl,
    QUEUE_PREFIX: queuePrefix,
    JWT_SECRET: randomBytes(32).toString('hex'),
    ADMIN_USERNAME: 'admin',
    ADMIN_PASSWORD: adminPassword,
    DATA_DIR: workDir,
    RATE_LIMIT_LOGIN_PER_MINUTE: '1000000',
    RATE_LIMIT_WRITES_PER_MINUTE: '100000000',
    LOGIN_LOCKOUT_FAILURES: '1000000',
    ...options.env,
  };
  const args: string[] = [];
  if (options.profile) {
    mkdirSync(PROFILE_DIR, { recursive: true });
    args.push('--cpu-prof', `--cpu-prof-dir=${PROFILE_DIR}`);
  }
  const fd = openSync(logFile, 'a');
  const spawnedAt = performance.now();
  let child: ChildProcess;
  try {
    child = spawn(process.execPath, [...args, MAIN], { env, cwd: ROOT, stdio: ['ignore', fd, fd] });
  } finally {
    closeSync(fd);
  }
  const exited = new Promise<void>((r) => child.once('exit', () => r()));
  let alive = true;
  child.once('exit', () => (alive = false));
  const url = `http://127.0.0.1:${port}`;
  const output = (chars = 4000) => {
    try {
      return readFileSync(logFile, 'utf8').slice(-chars);
    } catch {
      return '';
    }
  };
  let stopped = false;
  const stop = async () => {
    if (stopped) return;
    stopped = true;
    running.delete(stop);
    if (alive) {
      child.kill('SIGTERM');
      const timer = setTimeout(() => alive && child.kill('SIGKILL'), 30_000);
      await exited;
      clearTimeout(timer);
    }
    if (!options.keepKeys) await deleteRedisKeys(options.redisUrl, `${queuePrefix}:`);
    if (ownDatabase) await dropDatabase(options.serverUrl, databaseName);
    rmSync(workDir, { recursive: true, force: true });
  };

  running.add(stop);
  const deadline = Date.now() + (options.readyTimeoutMs ?? 60_000);
  let readyMs = NaN;
  try {
    for (;;) {
      if (!alive) throw new Error(`the service exited before it was ready; output:\n${output()}`);
      if (Date.now() > deadline) throw new Error(`the service was not ready in time; output:\n${output()}`);
      const res = await fetch(`${url}/health/ready`, { signal: AbortSignal.timeout(2000) }).catch(() => null);
      if (res) await res.arrayBuffer();
      if (res?.status === 200) {
        readyMs = performance.now() - spawnedAt;
        break;
      }
      await sleep(20);
    }
  } catch (e) {
    await stop().catch(() => undefined);
    throw e;
  }
  return {
    url,
    pid: child.pid!,
    databaseUrl,
    databaseName,
    queuePrefix,
    adminUsername: 'admin',
    adminPassword,
    readyMs,
    rssBytes: () => rssOf(child.pid!),
    cpuMs: () => cpuMsOf(child.pid!),
    output,
    errorLines: (count = 5) =>
      output(5_000_000)
        .split('\n')
        .filter((l) => /"level":("error"|"fatal"|50|60)[,}]/.test(l))
        .slice(-count)
        .map((l) => l.slice(0, 1500)),
    stop,
  };
}
