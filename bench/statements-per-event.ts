// Statements and time per request on the hot path, in process (supertest), with the
// workers on (W=true, default) or off (W=false). Not a target: a probe for profiling.
//
//   W=false N=30 npx ts-node --transpile-only bench/statements-per-event.ts
import { Client } from 'pg';
import { createTestApp } from '../test/support/test-app';
import { actions, buildWorld } from '../test/support/world';

const stats = { n: 0, ms: 0, texts: new Map<string, number>() };
const orig = Client.prototype.query as any;
(Client.prototype as any).query = function (this: any, ...args: any[]) {
  const text = typeof args[0] === 'string' ? args[0] : args[0]?.text;
  const t0 = performance.now();
  const r = orig.apply(this, args);
  if (r && typeof r.then === 'function') {
    stats.n++;
    const key = String(text).replace(/\s+/g, ' ').slice(0, 90);
    stats.texts.set(key, (stats.texts.get(key) ?? 0) + 1);
    r.then(
      () => (stats.ms += performance.now() - t0),
      () => undefined,
    );
  }
  return r;
};

async function main() {
  const t = await createTestApp({ RUN_WORKERS: process.env.W ?? 'true' });
  const w = await buildWorld(t);
  const a = actions(t, w);
  const N = Number(process.env.N ?? 30);
  const timings: Record<string, number[]> = { submit: [], ack: [], review: [], accept: [] };
  const counts: Record<string, number[]> = { submit: [], ack: [], review: [], accept: [] };
  const step = async (name: string, f: () => Promise<unknown>) => {
    const n0 = stats.n;
    const t0 = performance.now();
    await f();
    timings[name].push(performance.now() - t0);
    counts[name].push(stats.n - n0);
  };
  for (let i = 0; i < N; i++) {
    let r: any;
    await step('submit', async () => (r = await a.submit()));
    if (i === N - 1) stats.texts.clear();
    await step('ack', () => a.send(r.id, 'lead', { type: 'ACKNOWLEDGE' }, 1).expect(200));
    await step('review', () =>
      a.send(r.id, 'lead', { type: 'RECORD_REVIEW', recommendation: 'file', opinion: 'x' }, 2).expect(200),
    );
    await step('accept', () => a.send(r.id, 'lead', { type: 'ACCEPT', caseNumber: `C-${i}` }, 3).expect(200));
  }
  const med = (x: number[]) => [...x].sort((p, q) => p - q)[Math.floor(x.length / 2)];
  for (const k of Object.keys(timings))
    console.log(k, 'median ms', med(timings[k]).toFixed(1), 'statements (incl. relay/workers)', med(counts[k]));
  console.log([...stats.texts].map(([k, v]) => `${v}× ${k}`).join('\n'));
  await t.close();
}
main().catch((e) => (console.error(e), process.exit(1)));
