// Runs the built service (dist/, made by `npm test`'s pretest build) as real
// child processes against a test's database and queue prefix, for fault tests.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { TestApp } from './test-app';

const ROOT = resolve(__dirname, '../..');

export interface ServiceProcess {
  child: ChildProcess;
  output: () => string;
  waitFor(text: string | RegExp, ms?: number): Promise<void>;
  kill(signal?: NodeJS.Signals): Promise<void>;
}

/** The environment a child needs to share the test app's database, Redis prefix, secrets and clock. */
export function sharedEnv(t: TestApp, extra: Record<string, string> = {}): Record<string, string> {
  const c = t.config;
  return {
    PATH: process.env.PATH ?? '',
    NODE_ENV: 'test',
    DATABASE_URL: t.databaseUrl,
    REDIS_URL: c.REDIS_URL,
    QUEUE_PREFIX: c.QUEUE_PREFIX,
    JWT_SECRET: c.JWT_SECRET!,
    ADMIN_PASSWORD: c.ADMIN_PASSWORD!,
    // inside the test app's own data directory, which its close() removes with whatever the child wrote
    DATA_DIR: mkdtempSync(join(c.DATA_DIR, 'proc-')),
    CLOCK_MODE: c.CLOCK_MODE,
    WEBHOOK_ALLOW_PRIVATE_TARGETS: String(c.WEBHOOK_ALLOW_PRIVATE_TARGETS),
    WEBHOOK_BACKOFF_MS: String(c.WEBHOOK_BACKOFF_MS),
    WEBHOOK_MAX_ATTEMPTS: String(c.WEBHOOK_MAX_ATTEMPTS),
    PASSWORD_HASH_COST: String(c.PASSWORD_HASH_COST),
    WORKER_LOCK_MS: '2000',
    DATABASE_POOL_MAX: '4',
    SWEEP_INTERVAL_MS: '1000',
    ...extra,
  };
}

export function startService(env: Record<string, string>, entry: 'main' | 'worker' = 'main'): ServiceProcess {
  const child = spawn(process.execPath, [join(ROOT, 'dist/src', `${entry}.js`)], {
    env,
    cwd: ROOT,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  const waiters: { match: (s: string) => boolean; resolve: () => void }[] = [];
  const onData = (chunk: Buffer) => {
    out += chunk.toString();
    for (const w of [...waiters]) {
      if (w.match(out)) {
        waiters.splice(waiters.indexOf(w), 1);
        w.resolve();
      }
    }
  };
  child.stdout!.on('data', onData);
  child.stderr!.on('data', onData);
  const exited = new Promise<void>((r) => child.once('exit', () => r()));
  return {
    child,
    output: () => out,
    waitFor(text, ms = 30_000) {
      const match = (s: string) => (typeof text === 'string' ? s.includes(text) : text.test(s));
      if (match(out)) return Promise.resolve();
      return new Promise<void>((resolvePromise, reject) => {
        const timer = setTimeout(() => reject(new Error(`timed out waiting for ${text}; output:\n${out.slice(-3000)}`)), ms);
        waiters.push({ match, resolve: () => (clearTimeout(timer), resolvePromise()) });
        child.once('exit', (code) => reject(new Error(`process exited (${code}) before ${text}; output:\n${out.slice(-3000)}`)));
      });
    },
    async kill(signal = 'SIGKILL') {
      if (child.exitCode === null && child.signalCode === null) child.kill(signal);
      await exited;
    },
  };
}

export { until } from './until';
