// /metrics: SUBMIT counted like every other event, METRICS_TOKEN guarding the
// scrape, and METRICS_PORT taking /metrics off the main port, in API processes too.
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createTestApp, type TestApp } from './support/test-app';
import { actions, buildWorld, referralBody, type World } from './support/world';

const TOKEN = 'metrics-token-0123456789abcdef';

/** Sum of the samples of `name` whose labels include `labels` (0 when there is none yet). */
function sample(text: string, name: string, labels: Record<string, string> = {}): number {
  let total = 0;
  for (const line of text.split('\n')) {
    const m = /^([a-zA-Z_:][\w:]*)(?:\{(.*)\})?\s+(\S+)$/.exec(line);
    if (!m || m[1] !== name) continue;
    const got = Object.fromEntries([...(m[2] ?? '').matchAll(/(\w+)="((?:[^"\\]|\\.)*)"/g)].map((x) => [x[1], x[2]]));
    if (Object.entries(labels).every(([k, v]) => got[k] === v)) total += Number(m[3]);
  }
  return total;
}

function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const probe = createServer().listen(0, '127.0.0.1', () => {
      const { port } = probe.address() as AddressInfo;
      probe.close(() => resolve(port));
    });
  });
}

describe('SUBMIT in caselink_transitions_total', () => {
  let t: TestApp;
  let w: World;
  beforeAll(async () => {
    t = await createTestApp({}, { world: true });
    w = await buildWorld(t);
  });
  afterAll(() => t?.close());

  it('counts an applied submission and its refusals by result', async () => {
    const a = actions(t, w);
    const scrape = async () => (await t.http().get('/metrics').expect(200)).text;
    const submit = (user: 'officer' | 'lead', target: string) =>
      t.http().post('/api/v1/referrals').set('Authorization', a.auth(user)).send(referralBody(target));
    const before = await scrape();
    expect((await submit('officer', w.agencies.hzPsb)).status).toBe(201);
    expect((await submit('lead', w.agencies.hzPsb)).status).toBe(403); // police do not submit
    expect((await submit('officer', w.agencies.hzPro)).status).toBe(400); // the target must be a police unit
    const after = await scrape();
    const delta = (result: string) =>
      sample(after, 'caselink_transitions_total', { event: 'SUBMIT', result }) -
      sample(before, 'caselink_transitions_total', { event: 'SUBMIT', result });
    expect({ applied: delta('applied'), forbidden: delta('forbidden'), invalid: delta('invalid') }).toEqual({
      applied: 1,
      forbidden: 1,
      invalid: 1,
    });
  });
});

describe('METRICS_TOKEN on the main port', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp({ METRICS_TOKEN: TOKEN });
  });
  afterAll(() => t?.close());

  it('answers 401 problem+json without the bearer token or with a wrong one, and the metrics with it', async () => {
    for (const header of [undefined, `Bearer ${TOKEN}x`, `Bearer ${TOKEN.slice(0, -1)}`, TOKEN, `Basic ${TOKEN}`]) {
      const req = t.http().get('/metrics');
      if (header) req.set('Authorization', header);
      const res = await req;
      expect({ status: res.status, code: res.body?.code }).toEqual({ status: 401, code: 'UNAUTHENTICATED' });
      expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
      expect(res.headers['www-authenticate']).toMatch(/^Bearer/);
    }
    const ok = await t.http().get('/metrics').set('Authorization', `Bearer ${TOKEN}`);
    expect(ok.status).toBe(200);
    expect(ok.text).toContain('# TYPE caselink_transitions_total counter');
  });
});

describe('METRICS_PORT in an API process', () => {
  let t: TestApp;
  let port: number;
  beforeAll(async () => {
    port = await freePort();
    t = await createTestApp({ METRICS_PORT: String(port), METRICS_TOKEN: TOKEN });
  });
  afterAll(() => t?.close());

  it('serves /metrics there only, with the token, and not on the main port', async () => {
    expect((await t.http().get('/metrics').set('Authorization', `Bearer ${TOKEN}`)).status).toBe(404);
    const refused = await fetch(`http://127.0.0.1:${port}/metrics`);
    expect(refused.status).toBe(401);
    expect(refused.headers.get('content-type')).toMatch(/^application\/problem\+json/);
    expect(((await refused.json()) as { code: string }).code).toBe('UNAUTHENTICATED');
    const metrics = await fetch(`http://127.0.0.1:${port}/metrics`, { headers: { Authorization: `Bearer ${TOKEN}` } });
    expect(metrics.status).toBe(200);
    expect(await metrics.text()).toContain('# TYPE caselink_http_request_duration_seconds histogram');
    expect((await fetch(`http://127.0.0.1:${port}/health/live`)).status).toBe(200);
    expect((await t.http().get('/health/live')).status).toBe(200); // the main port keeps its health checks
  });
});
