// Outbox relay latency: from a transition's commit to its jobs being in Redis.
// Measured per outbox row as dispatched_at (clock_timestamp() right after the
// BullMQ add) minus created_at (the transition's transaction start, so an upper
// bound of commit → enqueue). Target: p95 under 100 ms with LISTEN/NOTIFY.
//
//   npx ts-node --transpile-only bench/outbox-latency.ts [referrals=200]
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { createTestApp } from '../test/support/test-app';
import { actions, buildWorld } from '../test/support/world';

async function main() {
  const count = Number(process.argv[2] ?? 200);
  const t = await createTestApp();
  try {
    const w = await buildWorld(t);
    const a = actions(t, w);
    const started = Date.now();
    for (let i = 0; i < count; i++) {
      const r = await a.submit({ title: `bench ${i}` });
      await a.send(r.id, 'lead', { type: 'ACKNOWLEDGE' });
    }
    const elapsed = Date.now() - started;
    for (let i = 0; i < 100; i++) {
      const [{ n }] = await t.db.query(`SELECT count(*)::int AS n FROM outbox WHERE dispatched_at IS NULL`);
      if (n === 0) break;
      await new Promise((r) => setTimeout(r, 100));
    }
    const rows: { ms: number }[] = await t.db.query(
      `SELECT extract(epoch FROM dispatched_at - created_at) * 1000 AS ms FROM outbox WHERE dispatched_at IS NOT NULL ORDER BY 1`,
    );
    const ms = rows.map((r) => Number(r.ms));
    const pct = (p: number) => ms[Math.min(ms.length - 1, Math.floor((p / 100) * ms.length))];
    const result = {
      referrals: count,
      transitions: count * 2,
      outboxRows: ms.length,
      transitionsPerSecond: Math.round(((count * 2) / elapsed) * 1000),
      latencyMs: { p50: pct(50), p95: pct(95), p99: pct(99), max: ms[ms.length - 1] },
    };
    console.table([
      { metric: 'outbox rows', value: result.outboxRows },
      { metric: 'transitions/s (sequential HTTP)', value: result.transitionsPerSecond },
      { metric: 'commit→enqueue p50 ms', value: result.latencyMs.p50.toFixed(1) },
      { metric: 'commit→enqueue p95 ms', value: result.latencyMs.p95.toFixed(1) },
      { metric: 'commit→enqueue p99 ms', value: result.latencyMs.p99.toFixed(1) },
      { metric: 'commit→enqueue max ms', value: result.latencyMs.max.toFixed(1) },
    ]);
    mkdirSync(join(__dirname, 'results'), { recursive: true });
    writeFileSync(join(__dirname, 'results', 'outbox-latency.json'), JSON.stringify(result, null, 2));
  } finally {
    await t.close();
  }
}

void main();
