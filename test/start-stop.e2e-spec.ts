// `npm start` as an operator runs it: embedded PostgreSQL under a fresh DATA_DIR, the HTTP server on HOST,
// and a SIGTERM to the npm process that drains and stops everything, the embedded server last.
// Embedded-mode failures (busy port, half-initialised data dir) are checked with the built code (dist/,
// from `npm test`'s pretest build) in child processes: the package is ESM-only and loads outside Jest.
import { execFile, execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createConnection, createServer, type Server } from 'node:net';
import { networkInterfaces, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { Redis } from 'ioredis';
import { knownVariables, loadConfig } from '../src/config/app-config';

const ROOT = resolve(__dirname, '..');
const REDIS_URL = process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';
const SHUTDOWN_TIMEOUT_MS = 10_000;

function tempDataDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'caselink-start-'));
  chmodSync(dir, 0o755); // as root the embedded server runs as the postgres user, who must reach its directory
  return dir;
}

function freePort(): Promise<number> {
  return new Promise((resolvePort, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolvePort(port));
    });
  });
}

function occupy(port: number): Promise<Server> {
  return new Promise((resolveServer) => {
    const server = createServer();
    server.listen(port, '127.0.0.1', () => resolveServer(server));
  });
}

function canConnect(port: number, host = '127.0.0.1'): Promise<boolean> {
  return new Promise((resolveConnect) => {
    const socket = createConnection({ port, host });
    socket.once('connect', () => (socket.destroy(), resolveConnect(true)));
    socket.once('error', () => resolveConnect(false));
  });
}

/** Every process whose command line names this data dir's cluster (the postmaster and its children). */
function postgresOf(dataDir: string): string[] {
  return execFileSync('ps', ['-eo', 'pid,args'], { encoding: 'utf8' })
    .split('\n')
    .filter((l) => l.includes(join(dataDir, 'postgres')) && !l.includes('ps -eo'));
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

async function until(check: () => boolean | Promise<boolean>, ms: number): Promise<boolean> {
  const end = Date.now() + ms;
  for (;;) {
    if (await check()) return true;
    if (Date.now() > end) return false;
    await new Promise((r) => setTimeout(r, 50));
  }
}

async function deleteKeys(prefix: string): Promise<void> {
  const redis = new Redis(REDIS_URL, { lazyConnect: true });
  await redis.connect();
  const keys: string[] = [];
  for await (const batch of redis.scanStream({ match: `${prefix}:*`, count: 500 })) keys.push(...(batch as string[]));
  if (keys.length > 0) await redis.del(...keys);
  await redis.quit();
}

function baseEnv(dataDir: string, extra: Record<string, string> = {}): Record<string, string> {
  // Only what the service reads: a DATABASE_URL of the test environment must not leak into embedded mode.
  return {
    PATH: process.env.PATH ?? '',
    HOME: process.env.HOME ?? tmpdir(),
    NODE_ENV: 'test',
    DATA_DIR: dataDir,
    REDIS_URL,
    JWT_SECRET: randomBytes(32).toString('hex'),
    ADMIN_PASSWORD: 'admin-password-123',
    LOG_LEVEL: 'warn',
    ...extra,
  };
}

describe('npm start', () => {
  let dataDir: string;
  const prefix = `caselink-test-start-${randomBytes(4).toString('hex')}`;
  let npm: ChildProcess;
  let output = '';
  let port: number;

  beforeAll(async () => {
    dataDir = tempDataDir(); // here, not at collection: a filtered run (-t) creates nothing
    port = await freePort();
    const pgPort = await freePort();
    // --ignore-scripts skips only `prestart` (the build; pretest built dist/ already, and rebuilding it would
    // race other suites' child processes); the start script itself runs as an operator's `npm start` does.
    npm = spawn('npm', ['start', '--ignore-scripts'], {
      cwd: ROOT,
      env: baseEnv(dataDir, {
        PORT: String(port),
        HOST: '127.0.0.1',
        EMBEDDED_PG_PORT: String(pgPort),
        QUEUE_PREFIX: prefix,
        SHUTDOWN_TIMEOUT_MS: String(SHUTDOWN_TIMEOUT_MS),
      }),
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    npm.stdout!.on('data', (c: Buffer) => (output += c.toString()));
    npm.stderr!.on('data', (c: Buffer) => (output += c.toString()));
    const ready = await until(async () => {
      const res = await fetch(`http://127.0.0.1:${port}/health/ready`).catch(() => null);
      return res?.status === 200;
    }, 40_000);
    if (!ready) throw new Error(`npm start did not become ready; output:\n${output.slice(-3000)}`);
  }, 60_000);

  afterAll(async () => {
    if (npm.exitCode === null && npm.signalCode === null) npm.kill('SIGKILL');
    for (const line of postgresOf(dataDir)) process.kill(Number(line.trim().split(/\s+/)[0]), 'SIGKILL');
    rmSync(dataDir, { recursive: true, force: true });
    await deleteKeys(prefix);
  });

  it('runs the start script as `exec node …` after a prestart build, so npm signals node itself', () => {
    const { scripts } = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { scripts: Record<string, string> };
    expect(scripts.prestart).toMatch(/\bbuild\b/);
    // npm runs scripts with `sh -c`; dash does not exec a lone command, and a SIGTERM to the shell would orphan node.
    expect(scripts.start).toMatch(/^(\w+=\S+ )*exec node dist\/src\/main\.js$/);
  });

  it('runs node with the malloc thresholds of the start script in its environment (the Dockerfile says why)', () => {
    // npm's child is the shell of the script, which exec'd node (the process answering above).
    const [child] = execFileSync('pgrep', ['-P', String(npm.pid)], { encoding: 'utf8' })
      .trim()
      .split('\n');
    const environ = readFileSync(`/proc/${child}/environ`, 'utf8').split('\0');
    expect(readFileSync(`/proc/${child}/cmdline`, 'utf8').split('\0').slice(1, 2)).toEqual(['dist/src/main.js']);
    expect(environ).toEqual(expect.arrayContaining(['MALLOC_MMAP_THRESHOLD_=1048576', 'MALLOC_TRIM_THRESHOLD_=67108864']));
  });

  it('binds only HOST (127.0.0.1): not reachable on the machine’s other addresses', async () => {
    expect(await canConnect(port, '127.0.0.1')).toBe(true);
    const others = Object.values(networkInterfaces())
      .flat()
      .filter((a) => a && a.family === 'IPv4' && !a.internal)
      .map((a) => a!.address);
    for (const address of others) expect({ address, open: await canConnect(port, address) }).toEqual({ address, open: false });
  });

  it('on SIGTERM to the npm process, drains, closes the port and stops the embedded PostgreSQL within the timeout', async () => {
    expect(postgresOf(dataDir).length).toBeGreaterThan(0); // it is running in embedded mode
    const exited = new Promise<number | null>((r) => npm.once('exit', (code) => r(code)));
    const started = Date.now();
    process.kill(npm.pid!, 'SIGTERM');
    const stopped = await until(async () => !(await canConnect(port)) && postgresOf(dataDir).length === 0, SHUTDOWN_TIMEOUT_MS);
    expect({ stopped, left: postgresOf(dataDir), output: stopped ? '' : output.slice(-2000) }).toEqual({
      stopped: true,
      left: [],
      output: '',
    });
    expect(await exited).toBe(0);
    expect(Date.now() - started).toBeLessThan(SHUTDOWN_TIMEOUT_MS);
    expect(output).not.toMatch(/did not finish within/);
    // The server's port is recorded for the tools (npm run demo / admin), with no owner now that it stopped.
    expect(JSON.parse(readFileSync(join(dataDir, 'embedded-postgres.json'), 'utf8'))).toMatchObject({ ownerPid: null });
  });
});

// ---- embedded PostgreSQL failures -----------------------------------------------------------------------

interface DriverResult {
  port?: number;
  pid?: number;
  error?: string;
  listeners?: [number, number];
  output: string;
}

/** Starts the embedded server of dist/ in a child process, checks the caselink database answers, optionally drops it, stops. */
function driver(dataDir: string, options: { port?: number; dropDatabase?: boolean; hold?: boolean } = {}): Promise<DriverResult> {
  const code = `
    const { startEmbeddedPostgres } = require(${JSON.stringify(join(ROOT, 'dist/src/database/embedded-postgres.js'))});
    const { Client } = require('pg');
    const before = process.listenerCount('SIGTERM') + process.listenerCount('SIGINT');
    startEmbeddedPostgres(process.argv[1], ${JSON.stringify({ port: options.port })}).then(async (db) => {
      const after = process.listenerCount('SIGTERM') + process.listenerCount('SIGINT');
      const client = new Client({ connectionString: db.url });
      await client.connect();
      await client.query('SELECT 1');
      await client.end();
      if (${Boolean(options.dropDatabase)}) {
        const admin = new Client({ connectionString: db.url.replace(/\\/caselink$/, '/postgres') });
        await admin.connect();
        await admin.query('DROP DATABASE caselink');
        await admin.end();
      }
      if (${Boolean(options.hold)}) {
        console.log('RESULT ' + JSON.stringify({ port: db.port, pid: process.pid }));
        return setInterval(() => undefined, 1000); // until killed
      }
      await db.stop();
      console.log('RESULT ' + JSON.stringify({ port: db.port, listeners: [before, after] }));
    }).catch((e) => { console.log('RESULT ' + JSON.stringify({ error: e.message })); process.exit(1); });
  `;
  if (options.hold) {
    // Resolves once the server is up, leaving the process running (the test kills it).
    return new Promise((resolveResult) => {
      const child = spawn(process.execPath, ['-e', code, dataDir], { cwd: ROOT, stdio: ['ignore', 'pipe', 'inherit'] });
      let out = '';
      child.stdout!.on('data', (c: Buffer) => {
        out += c.toString();
        const line = out.split('\n').find((l) => l.startsWith('RESULT '));
        if (line) resolveResult({ ...JSON.parse(line.slice(7)), output: out });
      });
    });
  }
  return new Promise((resolveResult) => {
    execFile(process.execPath, ['-e', code, dataDir], { cwd: ROOT, timeout: 40_000 }, (_e, stdout, stderr) => {
      const line = stdout.split('\n').find((l) => l.startsWith('RESULT '));
      const output = stdout + stderr;
      resolveResult({ ...(line ? JSON.parse(line.slice(7)) : { error: `no result: ${output}` }), output });
    });
  });
}

// The data dirs of the embedded-PostgreSQL checks, removed (and any server in them killed) after them.
const dataDirs: string[] = [];
const dir = () => {
  const d = tempDataDir();
  dataDirs.push(d);
  return d;
};

/**
 * The first start on a data dir whose initdb never finished, with the port it recorded busy: it runs
 * initdb, the slowest step of these checks, so it is started with the file (alongside `npm start`'s own
 * initdb above) and the test below judges its result.
 */
async function startOnInterruptedInitdb(): Promise<{ dataDir: string; taken: number; result: DriverResult }> {
  const dataDir = dir();
  // What an interrupted initdb leaves: a version file and a few directories, no control file, no databases.
  mkdirSync(join(dataDir, 'postgres', 'base'), { recursive: true });
  writeFileSync(join(dataDir, 'postgres', 'PG_VERSION'), '18\n');
  const taken = await freePort();
  writeFileSync(join(dataDir, 'embedded-postgres.json'), JSON.stringify({ port: taken, ownerPid: null }));
  const blocker = await occupy(taken);
  try {
    return { dataDir, taken, result: await driver(dataDir) };
  } finally {
    blocker.close();
  }
}
let interruptedInitdb: ReturnType<typeof startOnInterruptedInitdb> | undefined;
beforeAll(() => {
  interruptedInitdb = startOnInterruptedInitdb(); // not awaited: the test below awaits it
  interruptedInitdb.catch(() => undefined); // judged by the test
});
afterAll(async () => {
  await interruptedInitdb?.catch(() => undefined); // its child has finished before its data dir goes
  for (const d of dataDirs) {
    for (const line of postgresOf(d)) process.kill(Number(line.trim().split(/\s+/)[0]), 'SIGKILL');
    rmSync(d, { recursive: true, force: true });
  }
});

describe('embedded PostgreSQL', () => {
  it('a busy EMBEDDED_PG_PORT stops start-up with one line naming the port, the data dir and what to do, touching nothing', async () => {
    const dataDir = dir();
    const port = await freePort();
    const blocker = await occupy(port);
    try {
      const prefix = `caselink-test-start-${randomBytes(4).toString('hex')}`;
      const stderr = await new Promise<string>((resolveRun) => {
        execFile(
          process.execPath,
          ['dist/src/main.js'],
          {
            cwd: ROOT,
            env: baseEnv(dataDir, { EMBEDDED_PG_PORT: String(port), QUEUE_PREFIX: prefix, PORT: '0' }),
            timeout: 30_000,
          },
          (error, _stdout, err) => resolveRun(`${error?.code ?? 0}|${err}`),
        );
      });
      await deleteKeys(prefix);
      const [code, text] = [stderr.split('|')[0], stderr.slice(stderr.indexOf('|') + 1)];
      expect(code).toBe('1');
      const lines = text.trim().split('\n');
      expect(lines).toHaveLength(1); // no stack trace
      expect(lines[0]).toMatch(/^caselink: /);
      expect(lines[0]).toContain(`port ${port}`);
      expect(lines[0]).toContain(join(dataDir, 'postgres'));
      expect(lines[0]).toContain('EMBEDDED_PG_PORT');
      expect(lines[0]).not.toContain('undefined');
      expect(existsSync(join(dataDir, 'postgres'))).toBe(false); // nothing half-initialised left behind
    } finally {
      blocker.close();
    }
  });

  it('re-initialises a data dir whose initdb never finished, and takes the next free port when its port is busy', async () => {
    // started with the file (startOnInterruptedInitdb); the recorded port stayed busy until that start had finished
    const { dataDir, taken, result } = await interruptedInitdb!;
    expect(result.error).toBeUndefined();
    expect(result.port).not.toBe(taken);
    expect(result.port).toBeGreaterThan(taken);
    expect(result.output).toContain(`port ${taken} is in use; the embedded PostgreSQL uses port ${result.port}`);
    expect(result.output).toContain('never fully initialised');
    // The package's own exit hook (async-exit-hook on SIGTERM/SIGINT) is removed: it would race the drain.
    expect(result.listeners![1]).toBe(result.listeners![0]);
    expect(JSON.parse(readFileSync(join(dataDir, 'embedded-postgres.json'), 'utf8'))).toEqual({
      port: result.port,
      ownerPid: null,
    });
    // A cluster whose caselink database was never created (a start that failed after initdb) is completed.
    expect((await driver(dataDir, { dropDatabase: true })).error).toBeUndefined();
    const again = await driver(dataDir);
    expect(again.error).toBeUndefined();

    // A CaseLink killed with SIGKILL leaves its PostgreSQL running: the next start stops that one and starts afresh.
    const held = await driver(dataDir, { hold: true });
    process.kill(held.pid!, 'SIGKILL');
    await until(() => !isAlive(held.pid!), 5000);
    expect(postgresOf(dataDir).length).toBeGreaterThan(0); // orphaned, still serving
    const after = await driver(dataDir);
    expect(after.error).toBeUndefined();
    expect(after.output).toContain('left running by an earlier process');
    expect(postgresOf(dataDir)).toEqual([]);
  }, 90_000);
});

// ---- configuration --------------------------------------------------------------------------------------

describe('configuration of start-up', () => {
  it('validates HOST and EMBEDDED_PG_PORT', () => {
    expect(loadConfig({}).HOST).toBe('127.0.0.1');
    expect(loadConfig({ HOST: '0.0.0.0', EMBEDDED_PG_PORT: '5499' })).toMatchObject({ HOST: '0.0.0.0', EMBEDDED_PG_PORT: 5499 });
    expect(loadConfig({}).EMBEDDED_PG_PORT).toBeUndefined();
    expect(() => loadConfig({ HOST: 'not a host!' })).toThrow(/HOST/);
    expect(() => loadConfig({ EMBEDDED_PG_PORT: '70000' })).toThrow(/EMBEDDED_PG_PORT/);
    expect(() => loadConfig({ EMBEDDED_PG_PORT: 'abc' })).toThrow(/EMBEDDED_PG_PORT/);
  });

  it('knows every variable of the config class, optional ones included, and the README documents each', () => {
    const known = knownVariables();
    for (const name of [
      'PORT',
      'HOST',
      'DATABASE_URL',
      'EMBEDDED_PG_PORT',
      'ADMIN_PASSWORD',
      'JWT_SECRET',
      'TRUST_PROXY',
      'METRICS_PORT',
    ]) {
      expect(known).toContain(name);
    }
    const readme = readFileSync(join(ROOT, 'README.md'), 'utf8');
    const table = readme.slice(readme.indexOf('## Configuration'));
    expect(known.filter((name) => !table.includes(`\`${name}\``))).toEqual([]);
  });
});
