// Durable events/s through HTTP on the production build, side by side with pgbench TPC-B on the same server.
//
// One service (bench/lib/service.ts) on a fresh database; for each client count C: C clients in a closed loop
// over submit → ACKNOWLEDGE → RECORD_REVIEW → ACCEPT (bench/lib/referral-load.ts), every successful request one
// durable event, then — once the service's outbox has drained — `pgbench -M prepared` at the same C for the
// same duration. Then an open model at half the peak events/s measured, latency from the scheduled send time.
//
//   npx ts-node --transpile-only bench/run.ts --only throughput [--quick|--tiny]
import type { Client } from 'pg';
import { atLeast, atMost, type BenchModule, type Figure } from './lib/figures';
import { findPgbench, initPgbench, PGBENCH_MISSING, type Pgbench, type PgbenchRun } from './lib/pgbench';
import { closedLoop, openLoop, type LoadResult } from './lib/referral-load';
import { connectClient, startService, type Service } from './lib/service';
import { round } from './lib/stats';
import { buildWorld } from './lib/world';

const SIZES = {
  full: { clients: [1, 8, 32], seconds: 20, warmupSeconds: 3, openSeconds: 30 },
  quick: { clients: [1, 8, 32], seconds: 8, warmupSeconds: 2, openSeconds: 10 },
  tiny: { clients: [1, 2], seconds: 2, warmupSeconds: 0.5, openSeconds: 3 },
} as const;

/** Waits until the service's outbox has no undispatched row (or the timeout); returns how long it took. */
export async function waitForOutbox(db: Client, timeoutMs = 120_000): Promise<{ ms: number; left: number }> {
  const started = performance.now();
  for (;;) {
    const { rows } = await db.query(`SELECT count(*)::int AS n FROM outbox WHERE dispatched_at IS NULL`);
    const left = rows[0].n as number;
    const ms = performance.now() - started;
    if (left === 0 || ms > timeoutMs) return { ms: Math.round(ms), left };
    await new Promise((r) => setTimeout(r, 50));
  }
}

interface Level {
  clients: number;
  ours: LoadResult & { serviceCpuPercent: number; benchCpuPercent: number; outboxDrainAfterMs: number };
  pgbench: PgbenchRun | null;
  ratio: number | null;
}

export const run: BenchModule = async ({ size, serverUrl, redisUrl, log, profile }) => {
  const s = SIZES[size];
  const pgbenchPath = findPgbench();
  if (!pgbenchPath) log(`throughput: ${PGBENCH_MISSING}; the ratio figures will be missing (null, not met)`);
  // Scale ≥ the largest client count, so that TPC-B's one-row-per-branch updates do not serialize the clients.
  const scale = Math.max(...s.clients);
  let service: Service | null = null;
  let db: Client | null = null;
  let pgbench: Pgbench | null = null;
  try {
    service = await startService({ serverUrl, redisUrl, profile });
    db = await connectClient(service.databaseUrl);
    const world = await buildWorld(service);
    if (pgbenchPath) {
      log(`throughput: pgbench -i -s ${scale} …`);
      pgbench = await initPgbench(serverUrl, scale);
    }
    const levels: Level[] = [];
    const pgbenchErrors: string[] = [];
    const serviceErrors: string[] = [];
    for (const clients of s.clients) {
      log(`throughput: ${clients} client(s), ${s.warmupSeconds} s warm-up + ${s.seconds} s …`);
      const cpu0 = service.cpuMs();
      const bench0 = process.cpuUsage();
      const wall0 = performance.now();
      const ours = await closedLoop(service.url, world, clients, s.seconds * 1000, s.warmupSeconds * 1000);
      const wall = performance.now() - wall0;
      const serviceCpuPercent = round(((service.cpuMs() - cpu0) / wall) * 100, 0);
      const b = process.cpuUsage(bench0);
      const benchCpuPercent = round(((b.user + b.system) / 1000 / wall) * 100, 0);
      const drained = await waitForOutbox(db);
      let pg: PgbenchRun | null = null;
      if (pgbench) {
        log(`throughput: pgbench -M prepared -c ${clients} -T ${s.seconds} …`);
        // A failing pgbench (e.g. max_connections reached by others) leaves the ratio null and not met, with the reason.
        pg = await pgbench.run(clients, s.seconds).catch((e: Error) => {
          log(`throughput: pgbench at c=${clients} failed: ${e.message}`);
          pgbenchErrors.push(`c=${clients}: ${e.message.slice(0, 500)}`);
          return null;
        });
      }
      if (ours.errors > 0) serviceErrors.push(...service.errorLines(3));
      const level: Level = {
        clients,
        ours: { ...ours, serviceCpuPercent, benchCpuPercent, outboxDrainAfterMs: drained.ms },
        pgbench: pg,
        ratio: pg ? round(ours.eventsPerSecond / pg.tps, 3) : null,
      };
      log(
        `throughput: c=${clients} ours ${ours.eventsPerSecond} events/s (p50 ${ours.latencyMs.p50} ms, p99 ${ours.latencyMs.p99} ms, ` +
          `${ours.errors} errors)` +
          (pg ? `, pgbench ${pg.tps} tps (p50 ${pg.latencyMs.p50} ms, p99 ${pg.latencyMs.p99} ms), ratio ${level.ratio}` : ''),
      );
      levels.push(level);
    }

    const peak = Math.max(...levels.map((l) => l.ours.eventsPerSecond));
    const rate = peak / 2;
    log(`throughput: open model at ${round(rate, 1)} requests/s (half of the peak ${peak}) for ${s.openSeconds} s …`);
    const open = await openLoop(service.url, world, rate, s.openSeconds * 1000);
    log(`throughput: open model p50 ${open.latencyMs.p50} ms, p99 ${open.latencyMs.p99} ms, ${open.errors} errors`);

    if (open.errors > 0) serviceErrors.push(...service.errorLines(3));
    const errors = levels.reduce((n, l) => n + l.ours.errors, 0) + open.errors;
    const at = (c: number) => levels.find((l) => l.clients === c) ?? null;
    const top = at(Math.max(...s.clients))!;
    const one = at(1)!;
    const ratioFigure = (level: Level, limit: number): Figure => ({
      name: `events/s ÷ pgbench TPC-B tps, c=${level.clients}`,
      value: level.ratio ?? NaN,
      unit: 'ratio',
      target: `≥ ${limit}`,
      met: level.ratio !== null && atLeast(level.ratio, limit),
    });
    const figures: Figure[] = [
      ratioFigure(top, 0.7),
      ratioFigure(one, 0.5),
      {
        name: 'p99 at half of peak (open model)',
        value: open.latencyMs.p99,
        unit: 'ms',
        target: '≤ 50',
        met: atMost(open.latencyMs.p99, 50),
      },
      { name: 'HTTP errors during the throughput runs', value: errors, unit: 'count', target: '= 0', met: errors === 0 },
    ];
    return {
      figures,
      raw: {
        path: 'submit → ACKNOWLEDGE → RECORD_REVIEW → ACCEPT, each request one durable event; If-Match on every event',
        method:
          'closed model: C keep-alive clients, each looping its own referrals; events/s = 2xx answers inside the window ÷ window; ' +
          'pgbench -M prepared TPC-B after the outbox drained, same C, -j min(2,C), same -T',
        durationSeconds: s.seconds,
        warmupSeconds: s.warmupSeconds,
        pgbench: pgbench
          ? { version: pgbench.version, scale, initSeconds: pgbench.initSeconds, database: 'own, dropped' }
          : PGBENCH_MISSING,
        service: {
          pid: service.pid,
          readyMs: Math.round(service.readyMs),
          env: 'NODE_ENV=production, defaults (LOG_LEVEL info, DATABASE_POOL_MAX 10)',
        },
        pgbenchErrors,
        serviceErrors,
        levels,
        peakEventsPerSecond: peak,
        halfPeak: {
          method:
            'open model: referral i starts at i·4/rate, its step k at start + k·200 ms; sent on schedule (or when the previous step ' +
            'answered, if later); latency from the scheduled time',
          ...open,
        },
      },
    };
  } finally {
    await db?.end().catch(() => undefined);
    await pgbench?.drop().catch((e) => log(`throughput: could not drop the pgbench database: ${(e as Error).message}`));
    await service?.stop();
  }
};
