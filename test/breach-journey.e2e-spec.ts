// The journey issue 3 is judged by, through the HTTP API only: submit, advance the
// clock past 24 h, see the breach in the supervisor's inbox and over a signed webhook.
import { createHmac } from 'node:crypto';
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { until } from './support/processes';
import { createTestApp, type TestApp } from './support/test-app';
import { actions, buildWorld, type World } from './support/world';

interface Received {
  headers: IncomingHttpHeaders;
  body: string;
}

describe('breach journey over HTTP', () => {
  let t: TestApp;
  let w: World;
  let receiver: Server;
  const received: Received[] = [];

  beforeAll(async () => {
    t = await createTestApp({ CLOCK_MODE: 'controllable', WEBHOOK_ALLOW_PRIVATE_TARGETS: 'true' }, { world: true });
    w = await buildWorld(t);
    receiver = createServer((req, res) => {
      let body = '';
      req.on('data', (c) => (body += c));
      req.on('end', () => {
        received.push({ headers: req.headers, body });
        res.writeHead(204).end();
      });
    });
    await new Promise<void>((r) => receiver.listen(0, '127.0.0.1', r));
  });
  afterAll(async () => {
    await new Promise((r) => receiver?.close(r));
    await t?.close();
  });

  it('shows the acknowledge breach to the provincial supervisor and signs it to the police webhook', async () => {
    const a = actions(t, w);
    const url = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/caselink`;
    const hook = await t
      .http()
      .post('/api/v1/webhooks')
      .set('Authorization', a.auth('lead'))
      .send({ url, eventTypes: ['DEADLINE_EXPIRED'] })
      .expect(201);

    const referral = await a.submit({ title: 'Unanswered transfer' });
    await t.http().post('/api/v1/test-clock/advance').set('Authorization', a.auth('admin')).send({ hours: 25 }).expect(200);

    type Notice = { type: string; title: string; body: string; referralId: string; readAt: string | null };
    const inbox: Notice[] = await until(
      async () => (await t.http().get('/api/v1/notifications').set('Authorization', a.auth('supervisor'))).body.items,
      (items: Notice[]) => items.some((n) => n.type === 'deadline-breached'),
    );
    const breach = inbox.find((n) => n.type === 'deadline-breached')!;
    expect(breach).toMatchObject({ referralId: referral.id, readAt: null });
    expect(breach.title + breach.body).toContain(String(referral.referenceNo));
    expect(breach.body).toContain('acknowledge');

    const delivery = await until(
      async () => received,
      (r) => r.length > 0,
    );
    expect(delivery).toHaveLength(1);
    const { headers, body } = delivery[0];
    const [, ts, v1] = /^t=(\d+),v1=([0-9a-f]{64})$/.exec(String(headers['x-caselink-signature']))!;
    expect(createHmac('sha256', hook.body.secret).update(`${ts}.${body}`).digest('hex')).toBe(v1);
    expect(headers['x-caselink-event']).toBe('DEADLINE_EXPIRED');
    expect(JSON.parse(body)).toMatchObject({
      type: 'DEADLINE_EXPIRED',
      referral: { id: referral.id, referenceNo: referral.referenceNo },
      data: { kind: 'acknowledge' },
    });
  });
});
