// Deadlines at scale, held by the running production service (bench/lib/service.ts) on a Redis database of its own
// (leased, so that FLUSHDB touches nothing else):
//   (a) arm: N pending deadlines (full 100,000, quick 20,000, tiny 500), due 1–30 days ahead, are written by SQL
//       with the `deadline` outbox row the engine writes for each (one transaction, then the relay's NOTIFY), cloned
//       from a referral submitted through the API (same snapshot, timeline row and deadline shape). Time from that
//       commit until the outbox is drained and the deadline queue holds every job the rows want.
//   (b) Redis bytes per pending deadline: `INFO memory` used_memory after arming minus before, ÷ N (server-wide, so
//       other users of the Redis server add noise), and `MEMORY USAGE` of one job hash (plus its share of the
//       delayed sorted set).
//   (c) fire lag: with the N jobs pending, a sample (full 1,000, quick 500, tiny 50) due across a window of the next
//       seconds (remind_at NULL, so only the expiry fires): breached_at (the expiry's transaction time) − due_at.
//   (d) re-arm after Redis loss: H deadlines due 2–4 minutes ahead (inside the sweep's horizon) are added, then
//       FLUSHDB; time until the horizon deadlines' jobs are back, and until every job the rows want is back (the
//       service runs with SWEEP_INTERVAL_MS short; today's sweep re-arms only what is due within its horizon).
// Jobs are counted, not looked up by id (the job-id scheme may change): live = delayed + waiting + active +
// prioritized in the deadline queue; wanted = expire per pending row, remind per pending row with remind_at not yet
// reminded, escalate per unresolved breach below level 2.
//
//   npx ts-node --transpile-only bench/deadlines-at-scale.ts [--tiny|--quick]   (needs `npm run build`)
import { Queue } from 'bullmq';
import { Redis } from 'ioredis';
import { Client } from 'pg';
import { atMost, type BenchModule, type BenchSize, type Figure } from './lib/figures';
import { dropDatabaseRetrying } from './lib/cleanup';
import { HttpClient } from './lib/http';
import { runModuleCli } from './lib/module-cli';
import { leaseRedisDb } from './lib/redis-lease';
import { startService } from './lib/service';
import { round } from './lib/stats';
import { buildWorld, referralBody } from './lib/world';

interface Sizes {
  pending: number;
  sample: number;
  horizon: number;
  /** Seconds from the sample's commit to its first due time, and the window its due times spread over. */
  leadS: number;
  windowS: number;
  /** Give up waiting for arming / re-arming after this long (the figure is then "not met", with what was reached). */
  armTimeoutS: number;
  rearmTimeoutS: number;
}

export const SIZES: Record<BenchSize, Sizes> = {
  full: { pending: 100_000, sample: 1_000, horizon: 1_000, leadS: 8, windowS: 30, armTimeoutS: 60, rearmTimeoutS: 30 },
  quick: { pending: 20_000, sample: 500, horizon: 500, leadS: 5, windowS: 20, armTimeoutS: 40, rearmTimeoutS: 25 },
  tiny: { pending: 500, sample: 50, horizon: 50, leadS: 2, windowS: 3, armTimeoutS: 10, rearmTimeoutS: 6 },
};
export const SWEEP_INTERVAL_MS = 5_000;
/** The scheduler's look-ahead today: max(2 × SWEEP_INTERVAL_MS, 5 min). */
const HORIZON_MS = Math.max(2 * SWEEP_INTERVAL_MS, 5 * 60_000);
const POLL_MS = 200;

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Jobs the deadline rows want now (the scheduler's rules). */
const WANTED_SQL = `
  SELECT (count(*) FILTER (WHERE status = 'pending'))
       + (count(*) FILTER (WHERE status = 'pending' AND remind_at IS NOT NULL AND reminded_at IS NULL))
       + (count(*) FILTER (WHERE status = 'breached' AND resolved_at IS NULL AND escalation_level < 2)) AS wanted,
         count(*) FILTER (WHERE status = 'pending') AS pending
    FROM deadlines`;

export const run: BenchModule = async ({ size, serverUrl, redisUrl, log }) => {
  const s = SIZES[size];
  const lease = await leaseRedisDb(redisUrl);
  const cleanup: (() => Promise<unknown>)[] = [() => lease.release()];
  try {
    log(`deadlines: Redis database ${lease.db} leased; starting the service (SWEEP_INTERVAL_MS=${SWEEP_INTERVAL_MS})`);
    const svc = await startService({ serverUrl, redisUrl: lease.url, env: { SWEEP_INTERVAL_MS: String(SWEEP_INTERVAL_MS) } });
    cleanup.unshift(() =>
      svc.stop().catch(async (e) => {
        log(`stop: ${e.message}; dropping the database again`);
        await dropDatabaseRetrying(serverUrl, svc.databaseName);
      }),
    );
    const db = new Client({ connectionString: svc.databaseUrl });
    // A lost connection (server restart) must fail the awaiting query, not crash the process past its cleanup.
    db.on('error', (e) => log(`database connection: ${e.message}`));
    // The bench's polling stays small: no parallel workers (a shared server at its limits refused them once).
    await db.connect();
    await db.query(`SET max_parallel_workers_per_gather = 0`);
    cleanup.unshift(() => db.end());
    const queueConnection = new Redis(lease.url, { maxRetriesPerRequest: null });
    cleanup.unshift(async () => queueConnection.disconnect());
    const queue = new Queue('deadlines', { connection: queueConnection, prefix: svc.queuePrefix });
    cleanup.unshift(() => queue.close());
    const redis = lease.redis;
    const delayedKey = `${svc.queuePrefix}:deadlines:delayed`;

    const live = async () => {
      const c = await queue.getJobCounts('delayed', 'waiting', 'active', 'prioritized');
      return c.delayed + c.waiting + c.active + c.prioritized;
    };
    const wanted = async () => {
      const [r] = (await db.query(WANTED_SQL)).rows;
      return { wanted: Number(r.wanted), pending: Number(r.pending) };
    };
    const undispatched = async () =>
      Number((await db.query(`SELECT count(*) AS n FROM outbox WHERE dispatched_at IS NULL`)).rows[0].n);
    const usedMemory = async () => Number(/used_memory:(\d+)/.exec(await redis.info('memory'))![1]);

    // The template: one referral submitted through the API; its deadline rows show what the engine writes.
    const world = await buildWorld(svc);
    const http = new HttpClient(svc.url, 2);
    const submitted = await http.post(
      '/api/v1/referrals',
      referralBody(world.agencies.hzPsb, 'deadline template'),
      world.tokens.officer,
    );
    http.close();
    if (submitted.status !== 201) throw new Error(`template submit: ${submitted.status} ${JSON.stringify(submitted.body)}`);
    const templateId: string = submitted.body.id;
    const tpl = (
      await db.query(
        `SELECT d.id AS deadline_id, o.topic, o.dedupe_key, o.payload
           FROM deadlines d JOIN outbox o ON o.payload->>'deadlineId' = d.id::text
          WHERE d.referral_id = $1 AND d.kind = 'acknowledge'`,
        [templateId],
      )
    ).rows[0];
    if (!tpl) throw new Error('the template referral has no acknowledge deadline with a deadline outbox row');

    // Clones `count` referrals of the template with one pending acknowledge deadline each, due at
    // now() + startS + i/count × spanS seconds, with its outbox row, in one transaction; returns the commit time.
    let batch = 0;
    const clone = async (count: number, startS: number, spanS: number, jitter: boolean): Promise<number> => {
      const b = `b${batch++}`;
      await db.query('BEGIN');
      try {
        await db.query(
          // The pending ones remind at half-time as real deadlines do (two jobs each); the sample only expires.
          `CREATE TEMP TABLE bench_clone ON COMMIT DROP AS
             SELECT *, ${jitter ? 'now() + (due_at - now()) / 2' : 'NULL::timestamptz'} AS remind_at
               FROM (SELECT gen_random_uuid() AS referral_id, gen_random_uuid() AS deadline_id, g,
                            clock_timestamp() + make_interval(secs => $2 + ${jitter ? 'random()' : '(g - 1)::float8 / $1'} * $3) AS due_at
                       FROM generate_series(1, $1::int) g) x`,
          [count, startS, spanS],
        );
        await db.query(
          `INSERT INTO referrals (id, reference_no, source_agency_id, target_agency_id, region_code, domain, title, summary,
                                  suspects, amount_involved, offence, legal_basis, campaign, external_ref, state, state_detail,
                                  outcome, flags, version, machine_version, snapshot, created_by, created_at, updated_at)
           SELECT c.referral_id, t.reference_no || '-${b}-' || c.g, t.source_agency_id, t.target_agency_id, t.region_code,
                  t.domain, t.title, t.summary, t.suspects, t.amount_involved, t.offence, t.legal_basis, t.campaign,
                  t.external_ref, t.state, t.state_detail, t.outcome, t.flags, t.version, t.machine_version, t.snapshot,
                  t.created_by, now(), now()
             FROM bench_clone c, referrals t WHERE t.id = $1`,
          [templateId],
        );
        await db.query(
          `INSERT INTO referral_events (referral_id, seq, type, actor_user_id, actor_agency_id, actor_system, from_state,
                                        to_state, payload, occurred_at, prev_hash, hash)
           SELECT c.referral_id, e.seq, e.type, e.actor_user_id, e.actor_agency_id, e.actor_system, e.from_state, e.to_state,
                  e.payload, now(), e.prev_hash, e.hash
             FROM bench_clone c, referral_events e WHERE e.referral_id = $1`,
          [templateId],
        );
        await db.query(
          `INSERT INTO deadlines (id, referral_id, kind, task_id, responsible_agency_id, legal_basis, period_unit, period_length,
                                  starts_at, due_at, remind_at, status, version, created_at, updated_at)
           SELECT c.deadline_id, c.referral_id, d.kind, NULL, d.responsible_agency_id, d.legal_basis, d.period_unit,
                  d.period_length, now(), c.due_at, c.remind_at, 'pending', 1, now(), now()
             FROM bench_clone c, deadlines d WHERE d.id = $1`,
          [tpl.deadline_id],
        );
        // The outbox row as the engine writes it, with this deadline's id (and referral id, if the payload has one)
        // and its own timing: the relay arms the jobs from the timing in the row, so a template's due time left in
        // it would arm every clone for the template's moment (they then fired only when a sweep caught them up).
        await db.query(
          `INSERT INTO outbox (topic, dedupe_key, payload)
           SELECT $1, replace($2, $3, c.deadline_id::text),
                  $4::jsonb || jsonb_build_object('deadlineId', c.deadline_id, 'version', 1, 'status', 'pending',
                                                  'dueAt', to_char(c.due_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"'),
                                                  'remindAt', to_char(c.remind_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"'),
                                                  'remindedAt', NULL)
                            || CASE WHEN $4::jsonb ? 'referralId' THEN jsonb_build_object('referralId', c.referral_id) ELSE '{}' END
             FROM bench_clone c ORDER BY c.g`,
          [tpl.topic, tpl.dedupe_key, tpl.deadline_id, tpl.payload],
        );
        await db.query(`SELECT pg_notify('caselink_outbox', $1)`, [tpl.topic]);
        await db.query('COMMIT');
        return performance.now();
      } catch (e) {
        await db.query('ROLLBACK').catch(() => undefined);
        throw e;
      }
    };

    /** Polls until the outbox is drained and every wanted job is live; returns ms since `from` or null at the timeout. */
    const untilArmed = async (from: number, timeoutS: number, progress?: { t: number; live: number }[]) => {
      for (;;) {
        let polled: [number, number, { wanted: number; pending: number }];
        try {
          polled = await Promise.all([undispatched(), live(), wanted()]);
        } catch (e) {
          // A transient refusal of the shared server (too many clients …): poll again, within the same timeout.
          log(`deadlines: poll failed (${(e as Error).message}); polling on`);
          if (performance.now() - from > timeoutS * 1000) throw e;
          await sleep(1000);
          continue;
        }
        const [n, l, w] = polled;
        const t = performance.now() - from;
        progress?.push({ t: Math.round(t), live: l });
        if (n === 0 && l >= w.wanted) return { ms: t, live: l, ...w, undispatched: n };
        if (t > timeoutS * 1000) return { ms: null, live: l, ...w, undispatched: n };
        await sleep(POLL_MS);
      }
    };

    // Let the template's jobs settle, then the baseline.
    await untilArmed(performance.now(), 30);
    const memoryBefore = await usedMemory();
    const liveBefore0 = await live();

    // (a) arm N.
    log(`deadlines: writing ${s.pending} pending deadlines by SQL`);
    const w0 = performance.now();
    const committed = await clone(s.pending, 86_400, 29 * 86_400, true);
    const writeMs = committed - w0;
    const progress: { t: number; live: number }[] = [];
    const armed = await untilArmed(committed, s.armTimeoutS, progress);
    log(
      `deadlines: written in ${Math.round(writeMs)} ms; armed ${armed.ms === null ? `NOT within ${s.armTimeoutS} s` : `in ${Math.round(armed.ms)} ms`} (${armed.live}/${armed.wanted} jobs, ${armed.undispatched} outbox rows left)`,
    );

    // (b) memory.
    const memoryAfter = await usedMemory();
    // Per job armed (all N when arming finished; fewer if it timed out).
    const armedJobs = Math.max(1, (await live()) - liveBefore0);
    // The latest-due delayed job: one of the N (the template's own jobs are due sooner).
    const [firstJobId] = await redis.zrange(delayedKey, -1, -1);
    const jobHashBytes = firstJobId
      ? Number(await redis.call('MEMORY', 'USAGE', `${svc.queuePrefix}:deadlines:${firstJobId}`))
      : NaN;
    const delayedCount = await redis.zcard(delayedKey);
    const delayedZsetBytes = Number(await redis.call('MEMORY', 'USAGE', delayedKey));
    const jobHash = firstJobId ? await redis.hgetall(`${svc.queuePrefix}:deadlines:${firstJobId}`) : {};
    const memory = {
      usedMemoryBefore: memoryBefore,
      usedMemoryAfter: memoryAfter,
      jobsArmed: armedJobs,
      infoDeltaBytesPerDeadline: round((memoryAfter - memoryBefore) / armedJobs, 1),
      oneJobId: firstJobId,
      oneJobHashBytes: jobHashBytes,
      oneJobHashFields: Object.keys(jobHash),
      // A job hash whose values all fit this many bytes is a compact listpack; the data of a deadline job (two
      // UUIDs) needs about 110, so with Redis's default of 64 each is a hashtable (docker-compose.yml sets 256).
      oneJobHashEncoding: firstJobId ? await redis.object('ENCODING', `${svc.queuePrefix}:deadlines:${firstJobId}`) : null,
      hashMaxListpackValue: Number(
        ((await redis.config('GET', 'hash-max-listpack-value').catch(() => [])) as string[])[1] ?? NaN,
      ),
      delayedZsetBytesPerJob: round(delayedZsetBytes / Math.max(1, delayedCount), 1),
      keyspaceBytesPerDeadline: round(jobHashBytes + delayedZsetBytes / Math.max(1, delayedCount), 1),
      dbsize: await redis.dbsize(),
      note: 'used_memory is server-wide: other users of this Redis server add noise to the delta',
    };
    log(
      `deadlines: ${memory.infoDeltaBytesPerDeadline} B/deadline (INFO delta), one job hash ${jobHashBytes} B ` +
        `(${memory.oneJobHashEncoding}; hash-max-listpack-value ${memory.hashMaxListpackValue})`,
    );

    // (c) fire lag of a sample due across the window, with N pending.
    const liveAtSample = await live();
    const outboxAtSample = await undispatched();
    const sampleStart = await clone(s.sample, s.leadS, s.windowS, false);
    const sampleArmed = await untilArmed(sampleStart, s.leadS + s.windowS);
    const lastDue = sampleStart + (s.leadS + s.windowS) * 1000;
    while (performance.now() < lastDue + 15_000) {
      const { rows } = await db.query(
        `SELECT count(*) AS n FROM deadlines WHERE status = 'pending' AND due_at <= now() + interval '10 minutes'`,
      );
      if (performance.now() > lastDue && Number(rows[0].n) === 0) break;
      await sleep(500);
    }
    const lagRows = (
      await db.query(
        // A sample deadline that has not fired yet counts with now − due_at, a lower bound of its lag.
        `SELECT extract(epoch FROM coalesce(d.breached_at, now()) - d.due_at) * 1000 AS breached_ms,
                extract(epoch FROM coalesce(e.occurred_at, now()) - d.due_at) * 1000 AS event_ms
           FROM deadlines d
           LEFT JOIN referral_events e ON e.referral_id = d.referral_id AND e.type = 'DEADLINE_EXPIRED'
          WHERE d.due_at <= now() AND d.referral_id <> $1 AND d.status IN ('breached', 'pending')
          ORDER BY 1`,
        [templateId],
      )
    ).rows;
    const lags = lagRows.map((r) => Number(r.breached_ms));
    const eventLags = lagRows.map((r) => Number(r.event_ms)).sort((a, b) => a - b);
    const pctOf = (v: number[], p: number) =>
      v.length ? v[Math.min(v.length - 1, Math.max(0, Math.ceil((p / 100) * v.length) - 1))] : NaN;
    const pct = (p: number) => pctOf(lags, p);
    const stillPending = Number(
      (await db.query(`SELECT count(*) AS n FROM deadlines WHERE status = 'pending' AND due_at <= now()`)).rows[0].n,
    );
    const fire = {
      sample: s.sample,
      fired: lags.length - stillPending,
      notFiredPastDue: stillPending,
      leadS: s.leadS,
      windowS: s.windowS,
      // Jobs in the queue when the sample was written (all N only if arming finished), and the relay's backlog then
      // (the sweep arms deadlines due within its horizon itself, so the sample may overtake a backlog).
      liveJobsAtSample: liveAtSample,
      outboxBacklogAtSample: outboxAtSample,
      sampleArmedMs: sampleArmed.ms === null ? null : Math.round(sampleArmed.ms),
      lagMs: { p50: round(pct(50)), p99: round(pct(99)), max: round(pct(100)), min: round(pct(0)) },
      timelineLagMs: { p50: round(pctOf(eventLags, 50)), p99: round(pctOf(eventLags, 99)), max: round(pctOf(eventLags, 100)) },
      measuredAs:
        'deadlines.breached_at (the expiry transaction time) − due_at; timelineLagMs: DEADLINE_EXPIRED occurred_at − due_at',
    };
    log(
      `deadlines: fired ${fire.fired}/${s.sample}; lag p50 ${fire.lagMs.p50} ms, p99 ${fire.lagMs.p99} ms, max ${fire.lagMs.max} ms`,
    );

    // (d) horizon deadlines, then FLUSHDB, then re-arm.
    const hStart = await clone(s.horizon, 120, 120, false);
    const horizonArmed = await untilArmed(hStart, 15);
    const before = await wanted();
    const liveBefore = await live();
    const flushedAt = performance.now();
    const horizonEnd = Date.now() + HORIZON_MS;
    await redis.flushdb();
    await lease.renew();
    const horizonWanted = Number(
      (
        await db.query(`SELECT count(*) AS n FROM deadlines WHERE status = 'pending' AND due_at <= to_timestamp($1 / 1000.0)`, [
          horizonEnd,
        ])
      ).rows[0].n,
    );
    let horizonMs: number | null = null;
    let allMs: number | null = null;
    let lastLive = 0;
    let lastHorizon = 0;
    const rearmProgress: { t: number; live: number; horizon: number }[] = [];
    while (performance.now() - flushedAt < s.rearmTimeoutS * 1000) {
      const [l, h] = await Promise.all([live(), redis.zcount(delayedKey, 0, (horizonEnd + 1) * 0x1000 - 1)]);
      const t = performance.now() - flushedAt;
      lastLive = l;
      lastHorizon = h;
      if (rearmProgress.length === 0 || t - rearmProgress[rearmProgress.length - 1].t >= 1000)
        rearmProgress.push({ t: Math.round(t), live: l, horizon: h });
      if (horizonMs === null && h >= horizonWanted) horizonMs = t;
      if (allMs === null && l >= before.wanted) allMs = t;
      if (horizonMs !== null && allMs !== null) break;
      await sleep(POLL_MS);
    }
    const rearm = {
      sweepIntervalMs: SWEEP_INTERVAL_MS,
      horizonMs: HORIZON_MS,
      wantedJobs: before.wanted,
      pendingDeadlines: before.pending,
      liveJobsBeforeFlush: liveBefore,
      horizonSetArmedBeforeFlushMs: horizonArmed.ms === null ? null : Math.round(horizonArmed.ms),
      horizonWantedJobs: horizonWanted,
      horizonRearmedMs: horizonMs === null ? null : Math.round(horizonMs),
      allRearmedMs: allMs === null ? null : Math.round(allMs),
      liveJobsAtEnd: lastLive,
      horizonJobsAtEnd: lastHorizon,
      timeoutS: s.rearmTimeoutS,
      progress: rearmProgress,
    };
    log(
      `deadlines: after FLUSHDB horizon (${horizonWanted}) back ${horizonMs === null ? 'NOT' : `in ${Math.round(horizonMs)} ms`}; all (${before.wanted}) back ${allMs === null ? `NOT within ${s.rearmTimeoutS} s (${lastLive} live)` : `in ${Math.round(allMs)} ms`}`,
    );

    const figures: Figure[] = [
      // A wait that timed out reports the time waited, with the unit saying so (figures stay finite numbers).
      {
        name: `deadline arm time (${s.pending} pending)`,
        value: round((armed.ms ?? s.armTimeoutS * 1000) / 1000),
        unit: armed.ms === null ? 's, timed out' : 's',
        target: 'informational',
        met: armed.ms !== null,
      },
      {
        name: `deadline fire lag p99 (${s.pending} pending)`,
        value: round(fire.lagMs.p99 / 1000, 3),
        unit: 's',
        target: '≤ 1 s',
        met: fire.fired === s.sample && atMost(fire.lagMs.p99, 1000),
      },
      {
        name: 'Redis per pending deadline',
        value: memory.infoDeltaBytesPerDeadline,
        unit: 'B',
        target: '≤ 1 KB',
        // A delta ≤ 0 is noise from other users of the server (tiny sizes): not a measurement.
        met: memory.infoDeltaBytesPerDeadline > 0 && atMost(memory.infoDeltaBytesPerDeadline, 1024) && atMost(jobHashBytes, 1024),
      },
      {
        name: `re-arm ${s.pending} after Redis loss`,
        value: round((allMs ?? s.rearmTimeoutS * 1000) / 1000),
        unit: allMs === null ? `s, timed out with ${lastLive} of ${before.wanted} jobs back` : 's',
        target: '≤ 20 s',
        met: allMs !== null && allMs <= 20_000,
      },
    ];
    return {
      figures,
      raw: {
        sizes: s,
        redisDb: lease.db,
        service: { readyMs: Math.round(svc.readyMs), env: { SWEEP_INTERVAL_MS } },
        arm: {
          pending: s.pending,
          sqlWriteMs: Math.round(writeMs),
          armedMs: armed.ms === null ? null : Math.round(armed.ms),
          jobsPerSecond: armed.ms === null ? null : Math.round((s.pending / armed.ms) * 1000),
          atEnd: armed,
          progress: progress.filter((_, i) => i % Math.max(1, Math.round(1000 / POLL_MS)) === 0),
        },
        memory,
        fire,
        rearm,
      },
    };
  } finally {
    for (const fn of cleanup) await fn().catch((e) => log(`cleanup: ${e.message}`));
  }
};

if (require.main === module) runModuleCli('deadlines-at-scale', run);
