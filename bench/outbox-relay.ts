// The outbox relay under sustained load: 16 clients in a closed loop (the peak sustained rate of the HTTP path)
// for 60 s (quick 20 s, tiny 3 s), then, from the outbox rows themselves:
//   - commit → enqueue lag = dispatched_at − created_at per row. created_at is now() of the writing transaction,
//     i.e. its start, not its commit, so the lag is an upper bound (by the transaction's duration);
//     dispatched_at is the relay's clock_timestamp() after the job was handed to Redis;
//   - the backlog (undispatched rows) the moment the clients stop sending (and again after their last answers),
//     and how long from that moment the relay takes to drain it.
// Replaces bench/outbox-latency.ts (sequential HTTP through a test app).
import type { Client } from 'pg';
import { atMost, type BenchModule } from './lib/figures';
import { closedLoop } from './lib/referral-load';
import { connectClient, startService, type Service } from './lib/service';
import { round } from './lib/stats';
import { buildWorld } from './lib/world';

const SIZES = { full: { seconds: 60 }, quick: { seconds: 20 }, tiny: { seconds: 3 } } as const;
const CLIENTS = 16;
const DRAIN_TIMEOUT_MS = 300_000;

export const run: BenchModule = async ({ size, serverUrl, redisUrl, log, profile }) => {
  const { seconds } = SIZES[size];
  let service: Service | null = null;
  let db: Client | null = null;
  try {
    service = await startService({ serverUrl, redisUrl, profile });
    db = await connectClient(service.databaseUrl);
    const world = await buildWorld(service);
    const q = async (sql: string, params: unknown[] = []) => (await db!.query(sql, params)).rows;
    const [{ maxId }] = await q(`SELECT coalesce(max(id), 0)::bigint AS "maxId" FROM outbox`);

    log(`outbox-relay: ${CLIENTS} clients for ${seconds} s …`);
    // The backlog the moment the clients stop sending (their last answers still arriving), and after the last answer.
    const stop: { at: number; row: Promise<any> | null } = { at: NaN, row: null };
    const timer = setTimeout(() => {
      stop.at = performance.now();
      stop.row = q(
        `SELECT clock_timestamp() AS at, count(*) FILTER (WHERE dispatched_at IS NULL)::int AS backlog,
                count(*) FILTER (WHERE dispatched_at IS NOT NULL)::int AS dispatched
           FROM outbox WHERE id > $1`,
        [maxId],
      ).then((r) => r[0]);
    }, seconds * 1000);
    const load = await closedLoop(service.url, world, CLIENTS, seconds * 1000);
    clearTimeout(timer);
    const atStop = stop.row ? await stop.row : { backlog: NaN, dispatched: NaN };
    const backlogAtStop = atStop.backlog as number;
    const stoppedAt = Number.isFinite(stop.at) ? stop.at : performance.now();
    const [end] = await q(
      `SELECT clock_timestamp() AS "stoppedAt",
              count(*) FILTER (WHERE dispatched_at IS NULL)::int AS backlog,
              count(*) FILTER (WHERE dispatched_at IS NULL AND last_error IS NOT NULL)::int AS failing,
              count(*)::int AS rows
         FROM outbox WHERE id > $1`,
      [maxId],
    );
    log(
      `outbox-relay: ${load.eventsPerSecond} events/s, ${end.rows} outbox rows, backlog ${backlogAtStop} when the load stopped, ` +
        `${end.backlog} after the last answer; draining …`,
    );

    let drainMs = backlogAtStop > 0 || end.backlog > 0 ? performance.now() - stoppedAt : 0;
    let left = end.backlog as number;
    while (left > 0 && drainMs < DRAIN_TIMEOUT_MS) {
      await new Promise((r) => setTimeout(r, 50));
      [{ left }] = await q(`SELECT count(*)::int AS left FROM outbox WHERE id > $1 AND dispatched_at IS NULL`, [maxId]);
      drainMs = performance.now() - stoppedAt;
    }

    const [lag] = await q(
      `SELECT count(*)::int AS n,
              percentile_disc(0.5) WITHIN GROUP (ORDER BY ms) AS p50,
              percentile_disc(0.9) WITHIN GROUP (ORDER BY ms) AS p90,
              percentile_disc(0.99) WITHIN GROUP (ORDER BY ms) AS p99,
              max(ms) AS max
         FROM (SELECT extract(epoch FROM dispatched_at - created_at) * 1000 AS ms
                 FROM outbox WHERE id > $1 AND dispatched_at IS NOT NULL AND created_at <= $2) t`,
      [maxId, end.stoppedAt],
    );
    const byTopic = await q(`SELECT topic, count(*)::int AS n FROM outbox WHERE id > $1 GROUP BY topic ORDER BY topic`, [maxId]);
    const lagP99 = round(Number(lag.p99 ?? NaN), 1);
    const loadSeconds = load.durationMs / 1000;
    return {
      figures: [
        {
          name: 'outbox commit → enqueue lag p99 (sustained load)',
          value: lagP99,
          unit: 'ms',
          target: '≤ 1000',
          met: atMost(lagP99, 1000),
        },
        {
          name: 'outbox backlog when the load stops',
          value: backlogAtStop,
          unit: 'rows',
          target: '= 0',
          met: backlogAtStop === 0,
        },
      ],
      raw: {
        method:
          `${CLIENTS} clients, closed loop, submit → ACKNOWLEDGE → RECORD_REVIEW → ACCEPT for ${seconds} s; lag = dispatched_at − created_at ` +
          '(created_at is the transaction start: an upper bound of commit → enqueue) over the rows written during the load',
        clients: CLIENTS,
        profile: profile ? `bench/results/profiles/CPU.*.${service.pid}.*.cpuprofile` : null,
        load,
        serviceErrors: load.errors > 0 ? service.errorLines(5) : [],
        outboxRows: end.rows,
        rowsPerEvent: round(end.rows / Math.max(1, load.requests), 2),
        rowsByTopic: Object.fromEntries(byTopic.map((r) => [r.topic, r.n])),
        rowsCreatedPerSecond: round(end.rows / loadSeconds, 1),
        rowsDispatchedPerSecondDuringLoad: round(atStop.dispatched / loadSeconds, 1),
        backlogAtStop,
        backlogAfterLastAnswer: end.backlog,
        backlogFailingRows: end.failing,
        drainMs: Math.round(drainMs),
        leftAfterDrainTimeout: left,
        drainRowsPerSecond: drainMs > 0 ? round(end.backlog / (drainMs / 1000), 1) : null, // from the stop
        lagMs: {
          count: lag.n,
          p50: round(Number(lag.p50), 1),
          p90: round(Number(lag.p90), 1),
          p99: lagP99,
          max: round(Number(lag.max), 1),
        },
      },
    };
  } finally {
    await db?.end().catch(() => undefined);
    await service?.stop();
  }
};
