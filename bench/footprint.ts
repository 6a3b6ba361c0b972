// Footprint of one process running the API and the workers (RUN_API and RUN_WORKERS both on, the default):
//   - start → ready: spawn of `node dist/src/main.js` to the first 200 from /health/ready, against an external
//     database that is already migrated (the first start migrates and is reported apart; later starts are the figure,
//     their median);
//   - idle RSS: after the last start, a short warm-up through the API (a world and a few referrals through
//     submit → ACCEPT), then a few seconds idle; VmRSS sampled over one second, the largest sample reported.
//     The service runs with the malloc settings of `npm start` and the Dockerfile; the same measure on a second
//     service without them goes to raw, for comparison.
import { atMost, type BenchModule } from './lib/figures';
import { closedLoop } from './lib/referral-load';
import { createDatabase, deleteRedisKeys, dropDatabase, startService, uniqueName, type Service } from './lib/service';
import { percentile, round } from './lib/stats';
import { buildWorld } from './lib/world';

const SIZES = {
  full: { restarts: 3, warmupSeconds: 5, idleSeconds: 5 },
  quick: { restarts: 2, warmupSeconds: 3, idleSeconds: 3 },
  tiny: { restarts: 1, warmupSeconds: 1, idleSeconds: 1 },
} as const;

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const MB = 1024 * 1024;

/** A world and a short warm-up through the API, then idle: the largest of ten VmRSS samples over a second. */
async function idleRss(service: Service, s: (typeof SIZES)[keyof typeof SIZES]) {
  const world = await buildWorld(service);
  const warmup = await closedLoop(service.url, world, 2, s.warmupSeconds * 1000);
  await sleep(s.idleSeconds * 1000);
  const samples: number[] = [];
  for (let i = 0; i < 10; i++) {
    samples.push(service.rssBytes());
    await sleep(100);
  }
  return {
    mb: round(Math.max(...samples) / MB, 1),
    samplesMb: samples.map((b) => round(b / MB, 1)),
    warmup: { requests: warmup.requests, errors: warmup.errors, eventsPerSecond: warmup.eventsPerSecond },
  };
}

export const run: BenchModule = async ({ size, serverUrl, redisUrl, log, profile }) => {
  const s = SIZES[size];
  const databaseName = uniqueName('footprint');
  const databaseUrl = await createDatabase(serverUrl, databaseName);
  let service: Service | null = null;
  let queuePrefix: string | undefined;
  try {
    // First start: migrates the empty database and creates the admin.
    service = await startService({ serverUrl, redisUrl, databaseUrl, keepKeys: true, profile });
    const { adminPassword } = service;
    queuePrefix = service.queuePrefix;
    const firstStartMs = Math.round(service.readyMs);
    await service.stop();
    service = null;
    const readyMs: number[] = [];
    for (let i = 0; i < s.restarts; i++) {
      service = await startService({ serverUrl, redisUrl, databaseUrl, queuePrefix, adminPassword, keepKeys: true, profile });
      readyMs.push(Math.round(service.readyMs));
      log(`footprint: start → ready ${readyMs[readyMs.length - 1]} ms (migrated database)`);
      if (i < s.restarts - 1) {
        await service.stop();
        service = null;
      }
    }
    const rssAtReady = service!.rssBytes();
    const idle = await idleRss(service!, s);
    const idleRssMb = idle.mb;
    await service!.stop();
    service = null;
    const plain = await startService({ serverUrl, redisUrl, glibcMallocDefaults: true, profile });
    const withoutSetting = await idleRss(plain, s).finally(() => plain.stop());
    log(`footprint: idle RSS ${idleRssMb} MB (${withoutSetting.mb} MB without the malloc settings)`);
    const startMs = percentile(readyMs, 50);
    return {
      figures: [
        {
          name: 'idle RSS, one process with API + workers',
          value: idleRssMb,
          unit: 'MB',
          target: '≤ 200',
          met: atMost(idleRssMb, 200),
        },
        {
          name: 'start → ready (migrated external database)',
          value: startMs,
          unit: 'ms',
          target: '≤ 3000',
          met: atMost(startMs, 3000),
        },
      ],
      raw: {
        method:
          'start → ready: spawn to the first 200 from /health/ready, median of the starts after the migrating one; ' +
          `idle RSS: VmRSS after a ${s.warmupSeconds} s warm-up (2 clients, submit → ACCEPT) and ${s.idleSeconds} s idle, max of 10 samples over 1 s; ` +
          'the service runs with MALLOC_MMAP_THRESHOLD_ and MALLOC_TRIM_THRESHOLD_ as npm start and the Dockerfile do, idleRssWithoutMallocSettingMb is a second service without them',
        firstStartWithMigrationsMs: firstStartMs,
        startToReadyMs: readyMs,
        rssAtReadyMb: round(rssAtReady / MB, 1),
        warmup: idle.warmup,
        idleRssSamplesMb: idle.samplesMb,
        idleRssMb,
        idleRssWithoutMallocSettingMb: withoutSetting.mb,
      },
    };
  } finally {
    await service?.stop().catch(() => undefined);
    if (queuePrefix) await deleteRedisKeys(redisUrl, `${queuePrefix}:`);
    await dropDatabase(serverUrl, databaseName);
  }
};
