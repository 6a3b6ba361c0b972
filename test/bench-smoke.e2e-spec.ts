// The benchmark runner at tiny sizes (`bench/run.ts --tiny`, every registered module): latest.json's shape,
// finite figures, the side-by-side numbers under raw, and nothing of the run left in PostgreSQL or Redis.
// Needs dist/ (npm test's pretest builds it); the numbers themselves are not judged here.
import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { leftovers, MODULES } from '../bench/run';

const ROOT = resolve(__dirname, '..');
const SERVER_URL = process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
const REDIS_URL = process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';

jest.setTimeout(300_000);

describe('bench --tiny', () => {
  const runId = `smoke${randomBytes(3).toString('hex')}`;
  const dir = mkdtempSync(join(tmpdir(), 'caselink-bench-smoke-'));
  const out = join(dir, 'latest.json');
  let result: any;
  let stderr = '';

  beforeAll(async () => {
    expect(existsSync(join(ROOT, 'dist/src/main.js'))).toBe(true);
    const code = await new Promise<number>((done) => {
      const child = execFile(
        process.execPath,
        [require.resolve('ts-node/dist/bin.js'), '--transpile-only', 'bench/run.ts', '--tiny', '--no-build', '--out', out],
        {
          cwd: ROOT,
          env: { ...process.env, BENCH_RUN_ID: runId, BENCH_DATABASE_URL: SERVER_URL, BENCH_REDIS_URL: REDIS_URL },
          maxBuffer: 16 << 20,
          // Killed (SIGTERM: it stops its services) before the hook's own timeout, so nothing is left running.
          timeout: 240_000,
        },
        (error) => done(error ? ((error as any).code ?? 1) : 0),
      );
      child.stderr!.on('data', (c: Buffer) => (stderr += c.toString()));
    });
    if (code !== 0) throw new Error(`bench/run.ts --tiny exited ${code}:\n${stderr.slice(-5000)}`);
    result = JSON.parse(readFileSync(out, 'utf8'));
  });

  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('ran every registered module at tiny size', () => {
    expect(result.size).toBe('tiny');
    expect(result.failed).toEqual([]);
    expect(result.modules).toEqual(MODULES.map((m) => m.name));
    for (const m of MODULES) expect(result.raw[m.name]).toBeDefined();
    expect(Number.isNaN(Date.parse(result.startedAt))).toBe(false);
    expect(result.machine).toMatchObject({
      cpus: expect.any(Number),
      memoryBytes: expect.any(Number),
      node: process.version,
      postgres: expect.any(String),
      redis: expect.any(String),
    });
  });

  it('gives every figure a name, a finite value, a unit, a target and met', () => {
    expect(result.figures.length).toBeGreaterThanOrEqual(8);
    for (const f of result.figures) {
      expect(Object.keys(f).sort()).toEqual(['met', 'name', 'target', 'unit', 'value']);
      expect(typeof f.name).toBe('string');
      expect(typeof f.unit).toBe('string');
      expect(typeof f.target).toBe('string');
      expect(typeof f.met).toBe('boolean');
      expect(typeof f.value === 'number' && Number.isFinite(f.value)).toBe(true);
    }
    const names = result.figures.map((f: any) => f.name).join('\n');
    for (const expected of [
      /pgbench.*c=1/,
      /half of peak/,
      /outbox commit → enqueue lag p99/,
      /outbox backlog/,
      /idle RSS/,
      /start → ready/,
    ]) {
      expect(names).toMatch(expected);
    }
  });

  it('keeps both sides of the comparison under raw', () => {
    const t = result.raw.throughput;
    expect(t.levels.map((l: any) => l.clients)).toEqual([1, 2]);
    for (const level of t.levels) {
      expect(level.ours.eventsPerSecond).toBeGreaterThan(0);
      expect(level.ours.errors).toBe(0);
      expect(level.ours.latencyMs).toMatchObject({ p50: expect.any(Number), p99: expect.any(Number) });
      expect(level.pgbench.tps).toBeGreaterThan(0);
      expect(level.pgbench.latencyMs).toMatchObject({ p50: expect.any(Number), p99: expect.any(Number) });
      expect(level.ratio).toBeCloseTo(level.ours.eventsPerSecond / level.pgbench.tps, 2);
    }
    expect(t.pgbench.scale).toBeGreaterThanOrEqual(2);
    expect(t.halfPeak.ratePerSecond).toBeCloseTo(t.peakEventsPerSecond / 2, 0);
    expect(t.halfPeak.latencyMs.p99).toEqual(expect.any(Number));
    expect(result.raw['outbox-relay'].lagMs.count).toBeGreaterThan(0);
    expect(result.raw.footprint.startToReadyMs.length).toBeGreaterThanOrEqual(1);
  });

  it('leaves no database or Redis key of the run behind', async () => {
    expect(result.leftovers).toEqual({ databases: [], redisKeys: 0 });
    process.env.BENCH_RUN_ID = runId;
    try {
      expect(await leftovers(SERVER_URL, REDIS_URL)).toEqual({ databases: [], redisKeys: 0 });
    } finally {
      delete process.env.BENCH_RUN_ID;
    }
  });
});
