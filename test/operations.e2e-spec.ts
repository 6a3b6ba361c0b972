// Operations: Prometheus metrics that move with the work, the admin-only queue
// dashboard, rate limits answered as 429 problem+json, helmet headers, and JSON
// logs that keep request ids but no passwords, tokens or suspect ID numbers.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Response } from 'supertest';
import { until } from './support/processes';
import { ADMIN_PASSWORD, createTestApp, type TestApp } from './support/test-app';
import { actions, buildWorld, buildWorldThroughApi, PASSWORD, referralBody, type World } from './support/world';

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

function expectProblem(res: Response, status: number, code: string) {
  expect({ status: res.status, code: res.body?.code }).toEqual({ status, code });
  expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
}

describe('operations', () => {
  let t: TestApp;
  let w: World;
  let a: ReturnType<typeof actions>;
  const scrape = async () => {
    const res = await t.http().get('/metrics');
    expect(res.status).toBe(200);
    return res.text;
  };

  beforeAll(async () => {
    t = await createTestApp({ CLOCK_MODE: 'controllable', WEBHOOK_ALLOW_PRIVATE_TARGETS: 'true' }, { world: true });
    w = await buildWorld(t);
    a = actions(t, w);
  });
  afterAll(() => t?.close());

  describe('GET /metrics', () => {
    it('is public Prometheus text with every CaseLink metric', async () => {
      const res = await t.http().get('/metrics');
      expect(res.status).toBe(200);
      expect(res.headers['content-type']).toMatch(/^text\/plain/);
      for (const name of [
        'caselink_http_request_duration_seconds',
        'caselink_transitions_total',
        'caselink_deadline_fire_lag_seconds',
        'caselink_outbox_backlog',
        'caselink_outbox_oldest_pending_seconds',
        'caselink_queue_depth',
        'caselink_webhook_deliveries_total',
      ]) {
        expect(res.text).toContain(`# TYPE ${name} `);
      }
      expect(res.text).toContain('process_cpu_user_seconds_total'); // the default process metrics too
    });

    it('counts an applied transition once, a refused one as refused, and times the request by route template', async () => {
      const r = await a.submit();
      const route = { method: 'POST', route: '/api/v1/referrals/:id/events', status: '200' };
      const before = await scrape();

      expect((await a.send(r.id, 'lead', { type: 'ACKNOWLEDGE' })).status).toBe(200);
      const after = await scrape();
      const applied = { event: 'ACKNOWLEDGE', result: 'applied' };
      expect(sample(after, 'caselink_transitions_total', applied) - sample(before, 'caselink_transitions_total', applied)).toBe(
        1,
      );
      expect(
        sample(after, 'caselink_http_request_duration_seconds_count', route) -
          sample(before, 'caselink_http_request_duration_seconds_count', route),
      ).toBe(1);
      expect(after).not.toContain(r.id); // ids never become label values

      // A path no route matched is one label value, not the path itself.
      expect((await t.http().get('/no-such-path-42')).status).toBe(404);
      const unmatched = await scrape();
      expect(
        sample(unmatched, 'caselink_http_request_duration_seconds_count', { route: 'unmatched', status: '404' }),
      ).toBeGreaterThan(0);
      expect(unmatched).not.toContain('no-such-path-42');

      expect((await a.send(r.id, 'lead', { type: 'ACKNOWLEDGE' })).status).toBe(409);
      expect((await a.send(r.id, 'officer', { type: 'ACKNOWLEDGE' })).status).toBe(403);
      const last = await scrape();
      expect(sample(last, 'caselink_transitions_total', { event: 'ACKNOWLEDGE', result: 'refused' })).toBe(1);
      expect(sample(last, 'caselink_transitions_total', { event: 'ACKNOWLEDGE', result: 'forbidden' })).toBe(1);
      expect(sample(last, 'caselink_transitions_total', applied)).toBe(1);
    });

    it('reports the outbox backlog and the depth of every queue', async () => {
      const text = await scrape();
      expect(text).toMatch(/^caselink_outbox_backlog \d+$/m);
      for (const queue of ['deadlines', 'notifications', 'webhooks']) {
        for (const state of ['waiting', 'delayed', 'active', 'failed']) {
          expect(text).toContain(`caselink_queue_depth{queue="${queue}",state="${state}"}`);
        }
      }
      // Submissions arm their deadlines as delayed jobs.
      const depth = await until(scrape, (s) => sample(s, 'caselink_queue_depth', { queue: 'deadlines', state: 'delayed' }) > 0);
      expect(sample(depth, 'caselink_queue_depth', { queue: 'deadlines', state: 'delayed' })).toBeGreaterThan(0);
    });

    it('counts webhook deliveries by outcome', async () => {
      const received: string[] = [];
      const receiver: Server = createServer((req, res) => {
        received.push(req.headers['x-caselink-event'] as string);
        res.writeHead(204).end();
      });
      await new Promise<void>((r) => receiver.listen(0, '127.0.0.1', () => r()));
      try {
        const url = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/hook`;
        const hook = await t
          .http()
          .post('/api/v1/webhooks')
          .set('Authorization', a.auth('lead'))
          .send({ url, eventTypes: ['ACKNOWLEDGE'] });
        expect(hook.status).toBe(201);
        const before = sample(await scrape(), 'caselink_webhook_deliveries_total', { outcome: 'succeeded' });
        const r = await a.submit();
        expect((await a.send(r.id, 'lead', { type: 'ACKNOWLEDGE' })).status).toBe(200);
        const text = await until(
          scrape,
          (s) => sample(s, 'caselink_webhook_deliveries_total', { outcome: 'succeeded' }) > before,
        );
        expect(sample(text, 'caselink_webhook_deliveries_total', { outcome: 'succeeded' })).toBe(before + 1);
        expect(received).toEqual(['ACKNOWLEDGE']);
        await t.http().delete(`/api/v1/webhooks/${hook.body.id}`).set('Authorization', a.auth('lead'));
      } finally {
        await new Promise((r) => receiver.close(r));
      }
    });

    it('observes how late a deadline fired, by the service clock', async () => {
      await a.submit(); // its acknowledge deadline: 24 hours
      const expiry = { type: 'expiry', kind: 'acknowledge' };
      const before = sample(await scrape(), 'caselink_deadline_fire_lag_seconds_count', expiry);
      const advanced = await t
        .http()
        .post('/api/v1/test-clock/advance')
        .set('Authorization', a.auth('admin'))
        .send({ hours: 30 });
      expect(advanced.status).toBe(200);
      const text = await until(scrape, (s) => sample(s, 'caselink_deadline_fire_lag_seconds_count', expiry) > before, 20_000);
      expect(sample(text, 'caselink_deadline_fire_lag_seconds_count', expiry)).toBeGreaterThan(before);
      // Due 24 h after submission, fired when the clock jumped to 30 h: hours late, not seconds.
      expect(sample(text, 'caselink_deadline_fire_lag_seconds_sum', expiry)).toBeGreaterThan(3600);
      expect(sample(text, 'caselink_transitions_total', { event: 'DEADLINE_EXPIRED', result: 'applied' })).toBeGreaterThan(0);
    });
  });

  describe('/admin/queues', () => {
    it('answers 401 without a token and 403 to a non-admin, as problem+json', async () => {
      expectProblem(await t.http().get('/admin/queues'), 401, 'UNAUTHENTICATED');
      expectProblem(await t.http().get('/admin/queues').set('Authorization', 'Bearer not-a-jwt'), 401, 'UNAUTHENTICATED');
      expectProblem(await t.http().get('/admin/queues').set('Authorization', a.auth('officer')), 403, 'FORBIDDEN');
      expectProblem(await t.http().get('/admin/queues/api/queues').set('Authorization', a.auth('lead')), 403, 'FORBIDDEN');
      expectProblem(await t.http().get(`/admin/queues?token=${w.tokens.supervisor}`), 403, 'FORBIDDEN');
    });

    it('serves Bull Board to an admin, over every queue', async () => {
      const page = await t.http().get('/admin/queues').set('Authorization', a.auth('admin'));
      expect(page.status).toBe(200);
      expect(page.headers['content-type']).toMatch(/^text\/html/);
      expect(page.text).toMatch(/<html/i);

      const api = await t.http().get('/admin/queues/api/queues').set('Authorization', a.auth('admin'));
      expect(api.status).toBe(200);
      expect(api.body.queues.map((q: { name: string }) => q.name).sort()).toEqual(['deadlines', 'notifications', 'webhooks']);
    });

    it('lets a browser in with ?token= once, then by an HttpOnly cookie, and drops the token from the address', async () => {
      const first = await t.http().get(`/admin/queues?token=${w.tokens.admin}`).redirects(0);
      expect(first.status).toBe(303);
      expect(first.headers.location).toBe('/admin/queues');
      const setCookie = ([] as string[]).concat(first.headers['set-cookie'] ?? []);
      expect(setCookie).toHaveLength(1);
      expect(setCookie[0]).toMatch(/^caselink_queues_token=[^;]+; Path=\/admin\/queues; Max-Age=\d+; HttpOnly; SameSite=Strict/);

      const cookie = setCookie[0].split(';')[0];
      const page = await t.http().get('/admin/queues').set('Cookie', cookie);
      expect(page.status).toBe(200);
      expect(page.headers['content-type']).toMatch(/^text\/html/);
      expect((await t.http().get('/admin/queues/api/queues').set('Cookie', cookie)).status).toBe(200);
      // The cookie is for the dashboard only: the API still wants its bearer token.
      expectProblem(await t.http().get('/api/v1/auth/me').set('Cookie', cookie), 401, 'UNAUTHENTICATED');

      const stale = await t.http().get('/admin/queues').set('Cookie', 'caselink_queues_token=forged.token.value');
      expectProblem(stale, 401, 'UNAUTHENTICATED');
      expect(String(stale.headers['set-cookie'])).toMatch(/caselink_queues_token=; .*Max-Age=0/);
    });
  });

  describe('helmet', () => {
    it('sets security headers on the API, with a Content-Security-Policy except on the UI pages', async () => {
      const api = await t.http().get('/health/live');
      expect(api.headers['x-content-type-options']).toBe('nosniff');
      expect(api.headers['x-frame-options']).toBe('SAMEORIGIN');
      expect(api.headers['content-security-policy']).toContain("default-src 'self'");
      expect(api.headers['x-powered-by']).toBeUndefined();

      const board = await t.http().get('/admin/queues').set('Authorization', a.auth('admin'));
      expect(board.headers['x-content-type-options']).toBe('nosniff');
      expect(board.headers['content-security-policy']).toBeUndefined();
      const docs = await t.http().get('/docs/');
      expect(docs.status).toBe(200);
      expect(docs.headers['content-security-policy']).toBeUndefined();
    });
  });
});

describe('a worker-only process', () => {
  let t: TestApp | undefined;
  afterAll(() => t?.close());

  it('serves /metrics and /health/live on METRICS_PORT, and nothing else', async () => {
    const port = await new Promise<number>((resolve) => {
      const probe = createServer().listen(0, '127.0.0.1', () => {
        const { port } = probe.address() as AddressInfo;
        probe.close(() => resolve(port));
      });
    });
    t = await createTestApp({ RUN_API: 'false', METRICS_PORT: String(port) });
    const metrics = await fetch(`http://127.0.0.1:${port}/metrics`);
    expect(metrics.status).toBe(200);
    expect(metrics.headers.get('content-type')).toMatch(/^text\/plain/);
    const text = await metrics.text();
    expect(text).toContain('# TYPE caselink_deadline_fire_lag_seconds histogram');
    expect(text).toContain('caselink_queue_depth{queue="deadlines",state="waiting"}');
    expect((await fetch(`http://127.0.0.1:${port}/health/live`)).status).toBe(200);
    expect((await fetch(`http://127.0.0.1:${port}/api/v1/auth/me`)).status).toBe(404);
  });
});

describe('rate limits', () => {
  let t: TestApp;
  afterAll(() => t?.close());

  it('answers the 4th login of a minute from one address with 429 RATE_LIMITED and Retry-After; writes are limited per user', async () => {
    t = await createTestApp({ RATE_LIMIT_LOGIN_PER_MINUTE: '3', RATE_LIMIT_WRITES_PER_MINUTE: '4', TRUST_PROXY: 'loopback' });
    const login = (username: string, password: string) => t.http().post('/api/v1/auth/login').send({ username, password });
    const admin = (await login('admin', ADMIN_PASSWORD)).body.accessToken as string; // login 1
    expect(admin).toBeTruthy();

    const asAdmin = (path: string, body: object) => t.http().post(path).set('Authorization', `Bearer ${admin}`).send(body);
    const agency = await asAdmin('/api/v1/agencies', {
      code: 'rl-amr',
      name: 'Rate Limit AMR',
      kind: 'regulator',
      regionCode: '330100',
    }); // write 1
    expect(agency.status).toBe(201);
    const user = await asAdmin('/api/v1/users', {
      username: 'rl-officer',
      password: PASSWORD,
      displayName: 'RL',
      agencyId: agency.body.id,
      roles: ['agency-officer'],
    }); // write 2
    expect(user.status).toBe(201);

    const officer = await login('rl-officer', PASSWORD); // login 2: a different user, the same address
    expect(officer.status).toBe(200);
    expect((await login('rl-officer', 'wrong-password-1')).status).toBe(401); // login 3: failures count too
    const limited = await login('admin', ADMIN_PASSWORD); // login 4
    expectProblem(limited, 429, 'RATE_LIMITED');
    expect(limited.body).toMatchObject({ type: 'about:blank', status: 429, title: 'Too Many Requests' });
    const retryAfter = Number(limited.headers['retry-after']);
    expect(Number.isInteger(retryAfter) && retryAfter >= 1 && retryAfter <= 60).toBe(true);
    expect(limited.headers['x-request-id']).toBeTruthy();
    // Behind a trusted proxy the client's own address is counted, not the proxy's.
    expect((await login('admin', ADMIN_PASSWORD).set('X-Forwarded-For', '203.0.113.9')).status).toBe(200);

    // Writes: 4 a minute for the admin (2 used), counted even when the body is then refused.
    expect((await asAdmin('/api/v1/agencies', {})).status).toBe(400); // write 3
    expect((await asAdmin('/api/v1/agencies', {})).status).toBe(400); // write 4
    expectProblem(await asAdmin('/api/v1/agencies', {}), 429, 'RATE_LIMITED'); // write 5
    // Reads are not limited, and another user has a budget of its own.
    expect((await t.http().get('/api/v1/agencies').set('Authorization', `Bearer ${admin}`)).status).toBe(200);
    const other = await t
      .http()
      .post('/api/v1/referrals')
      .set('Authorization', `Bearer ${officer.body.accessToken}`)
      .send({ title: 'incomplete' });
    expect(other.status).toBe(400);
  });
});

describe('JSON logs', () => {
  let t: TestApp | undefined;
  let spy: jest.SpyInstance | undefined;
  afterAll(async () => {
    spy?.mockRestore();
    await t?.close();
  });

  it('carry the request id, and no password, token or suspect ID number', async () => {
    const written: string[] = [];
    spy = jest.spyOn(process.stdout, 'write').mockImplementation(((chunk: string | Uint8Array) => {
      written.push(chunk.toString());
      return true;
    }) as typeof process.stdout.write);
    t = await createTestApp({ LOG_LEVEL: 'info' });
    // The world made through the API while the logs are captured (passwords in the bodies), without a login per
    // user: the login below is the one judged; the officer's token is minted as a login would issue it.
    const w = await buildWorldThroughApi(t, { logins: false });
    w.tokens.officer = await t.token('officer');

    const login = await t
      .http()
      .post('/api/v1/auth/login')
      .set('X-Request-Id', 'login-req-1')
      .send({ username: 'officer', password: PASSWORD });
    expect(login.status).toBe(200);
    const idNumber = '330102199001011234';
    const created = await t
      .http()
      .post('/api/v1/referrals')
      .set('Authorization', `Bearer ${w.tokens.officer}`)
      .set('X-Request-Id', 'create-req-1')
      .send(referralBody(w.agencies.hzPsb, { suspects: [{ kind: 'person', name: 'Zhang San', idNumber }] }));
    expect(created.status).toBe(201);
    await until(
      async () => written.join(''),
      (s) => s.includes('create-req-1'),
    );
    spy.mockRestore();
    spy = undefined;

    const out = written.join('');
    const records = out
      .split('\n')
      .filter((l) => l.startsWith('{'))
      .map((l) => JSON.parse(l) as Record<string, any>);
    const loginLog = records.find((r) => r.req?.id === 'login-req-1');
    const createLog = records.find((r) => r.req?.id === 'create-req-1');
    expect(loginLog).toMatchObject({
      level: 'info',
      req: { method: 'POST', url: '/api/v1/auth/login' },
      res: { statusCode: 200 },
    });
    expect(createLog).toMatchObject({
      level: 'info',
      req: { url: '/api/v1/referrals', headers: { authorization: '[redacted]' } },
    });
    expect(typeof createLog!.responseTime).toBe('number');

    expect(out).not.toContain(PASSWORD);
    expect(out).not.toContain(ADMIN_PASSWORD);
    expect(out).not.toContain(idNumber);
    expect(out).not.toContain(w.tokens.officer);
    expect(out).not.toContain(login.body.accessToken);
  });
});
