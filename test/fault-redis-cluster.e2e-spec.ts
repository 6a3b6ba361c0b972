// CaseLink on a real Redis Cluster (three local masters, started here): queues,
// workers, counters and pub/sub go through the cluster client, every key under the
// hash-tagged QUEUE_PREFIX lands in one slot, and the deadline path (a deadline
// expires → DEADLINE_EXPIRED on the timeline) and the webhook path (a signed POST
// to a real local receiver) complete although the master holding the queues has
// its client connections killed and is then frozen (SIGSTOP) for a second mid-run.
import { createHmac, randomBytes } from 'node:crypto';
import { createServer, get as httpGet, type ClientRequest, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { ConfigError, loadConfig } from '../src/config/app-config';
import { connectRedis, isCluster, REDIS, type RedisConnection } from '../src/redis/redis';
import { startLocalCluster, type ClusterNode, type LocalCluster } from './support/redis-cluster';
import { createTestApp, type TestApp } from './support/test-app';
import { until } from './support/until';
import { actions, buildWorld, type World } from './support/world';

interface Received {
  path: string;
  headers: IncomingHttpHeaders;
  raw: string;
  body: { type?: string; referral?: { id?: string } } | null;
}

class Receiver {
  readonly requests: Received[] = [];
  private server!: Server;
  async start(): Promise<void> {
    this.server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c) => chunks.push(c));
      req.on('end', () => {
        const raw = Buffer.concat(chunks).toString('utf8');
        let body: Received['body'] = null;
        try {
          body = JSON.parse(raw);
        } catch {
          body = null;
        }
        this.requests.push({ path: req.url ?? '/', headers: req.headers, raw, body });
        res.writeHead(200).end('ok');
      });
    });
    await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', resolve));
  }
  url(path: string): string {
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}${path}`;
  }
  got(referralId: string, type: string): Received | undefined {
    return this.requests.find((r) => r.body?.referral?.id === referralId && r.body?.type === type);
  }
  async stop(): Promise<void> {
    if (!this.server) return;
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }
}

function expectSigned(r: Received, secret: string): void {
  const m = /^t=(\d+),v1=([0-9a-f]{64})$/.exec(String(r.headers['x-caselink-signature']));
  expect(m).not.toBeNull();
  expect(m![2]).toBe(createHmac('sha256', secret).update(`${m![1]}.${r.raw}`).digest('hex'));
}

describe('Redis Cluster', () => {
  let cluster: LocalCluster | undefined;
  let t: TestApp | undefined;
  let w: World;
  let a: ReturnType<typeof actions>;
  const receiver = new Receiver();
  const prefix = `{caselink-cluster-${randomBytes(4).toString('hex')}}`;

  beforeAll(async () => {
    cluster = await startLocalCluster(3);
    await receiver.start();
    t = await createTestApp({
      REDIS_CLUSTER_NODES: cluster.seeds,
      QUEUE_PREFIX: prefix,
      CLOCK_MODE: 'controllable',
      WEBHOOK_ALLOW_PRIVATE_TARGETS: 'true',
      WEBHOOK_BACKOFF_MS: '200',
      WORKER_LOCK_MS: '2000',
      SWEEP_INTERVAL_MS: '1000',
    });
    w = await buildWorld(t);
    a = actions(t, w);
  }, 90_000);

  afterAll(async () => {
    // Each step on its own: a failing one must not leave the servers or their dirs behind.
    await t?.close().catch((e) => console.error(`closing the app: ${(e as Error).message}`));
    await receiver.stop();
    await cluster?.stop();
  }, 60_000);

  it('refuses at start-up a cluster without a hash-tagged QUEUE_PREFIX, with a line that says what to set', () => {
    const load = (QUEUE_PREFIX: string) => () => loadConfig({ REDIS_CLUSTER_NODES: '127.0.0.1:7000', QUEUE_PREFIX });
    expect(load('caselink')).toThrow(ConfigError);
    expect(load('caselink')).toThrow(/QUEUE_PREFIX "caselink" has no \{hash tag\}.*QUEUE_PREFIX=\{caselink\}/);
    expect(load('caselink{}')).toThrow(/no \{hash tag\}/); // an empty tag hashes the whole key
    expect(load('{caselink}').call(null).REDIS_CLUSTER_NODES).toBe('127.0.0.1:7000');
    expect(() => loadConfig({ REDIS_CLUSTER_NODES: 'localhost', QUEUE_PREFIX: '{c}' })).toThrow(
      /REDIS_CLUSTER_NODES must be host:port/,
    );
    expect(() => loadConfig({ REDIS_CLUSTER_NODES: '127.0.0.1:7000', REDIS_URL: 'redis://h:1/3', QUEUE_PREFIX: '{c}' })).toThrow(
      /only database 0/,
    );
  });

  it('runs the deadline and webhook paths through the cluster while the master holding the queues loses its clients', async () => {
    const app = t!;
    const redis = app.app.get<RedisConnection>(REDIS);
    expect(isCluster(redis)).toBe(true);

    const hook = await app
      .http()
      .post('/api/v1/webhooks')
      .set('Authorization', a.auth('lead'))
      .send({ url: receiver.url('/cluster'), eventTypes: ['SUBMIT', 'DEADLINE_EXPIRED'] })
      .expect(201);
    const secret = hook.body.secret as string;

    // Before any fault: a referral, its SUBMIT delivered through the webhooks queue.
    const first = await a.submit({ title: 'before the fault' });
    await until(
      async () => receiver.got(first.id, 'SUBMIT'),
      (r) => r !== undefined,
      30_000,
    );

    // Every key of ours is in the hash tag's slot, on one master (the queues, the counters).
    const owner: ClusterNode = await cluster!.ownerOf(prefix);
    const slot = (await owner.admin.cluster('KEYSLOT', prefix)) as number;
    expect(Number(await owner.admin.cluster('COUNTKEYSINSLOT', slot))).toBeGreaterThan(0);
    for (const n of cluster!.nodes.filter((n) => n !== owner)) {
      expect(await n.admin.keys(`${prefix}*`)).toEqual([]);
    }

    // The police's notification stream, fed through a Redis channel (pub/sub across the cluster).
    const port = app.port;
    let streamed = '';
    const stream: ClientRequest = await new Promise((resolve, reject) => {
      const req = httpGet(
        { host: '127.0.0.1', port, path: '/api/v1/notifications/stream', headers: { Authorization: a.auth('lead') } },
        (res) => {
          res.on('data', (c: Buffer) => (streamed += c.toString()));
          resolve(req);
        },
      );
      req.on('error', reject);
    });

    // Mid-run: the owner drops every client connection (workers, queue, commands), every node its subscribers …
    let killed = Number(await owner.admin.client('KILL', 'TYPE', 'normal'));
    for (const n of cluster!.nodes) killed += Number(await n.admin.client('KILL', 'TYPE', 'pubsub'));
    expect(killed).toBeGreaterThan(0);
    const second = await a.submit({ title: 'while reconnecting' });

    // … and is frozen for a second while the clock moves past both acknowledge deadlines (24 h).
    owner.child.kill('SIGSTOP');
    const thaw = setTimeout(() => owner.child.kill('SIGCONT'), 1000);
    try {
      const advanced = await app
        .http()
        .post('/api/v1/test-clock/advance')
        .set('Authorization', a.auth('admin'))
        .send({ hours: 25 });
      expect(advanced.status).toBe(200);
    } finally {
      await new Promise((r) => setTimeout(r, 1000));
      clearTimeout(thaw);
      owner.child.kill('SIGCONT');
    }

    const timeline = async (id: string) =>
      (await app.http().get(`/api/v1/referrals/${id}/timeline`).set('Authorization', a.auth('admin'))).body.items.map(
        (e: { type: string }) => e.type,
      ) as string[];
    for (const r of [first, second]) {
      const types = await until(
        () => timeline(r.id),
        (x) => x.includes('DEADLINE_EXPIRED'),
        45_000,
      );
      expect(types[0]).toBe('SUBMIT');
      expect(types.filter((x) => x === 'DEADLINE_EXPIRED')).toHaveLength(1);
    }

    // The webhook path: SUBMIT of the second and DEADLINE_EXPIRED of both, signed, delivered once each.
    for (const [r, type] of [
      [second, 'SUBMIT'],
      [first, 'DEADLINE_EXPIRED'],
      [second, 'DEADLINE_EXPIRED'],
    ] as const) {
      const got = await until(
        async () => receiver.got(r.id, type),
        (x) => x !== undefined,
        45_000,
      );
      expectSigned(got!, secret);
    }
    const deliveries = await until(
      () =>
        app.db.query(
          `SELECT referral_id, event_type, status FROM webhook_deliveries WHERE referral_id = ANY($1) ORDER BY referral_id, seq`,
          [[first.id, second.id]],
        ),
      (rows: { status: string }[]) => rows.length === 4 && rows.every((d) => d.status === 'succeeded'),
      30_000,
    );
    expect(deliveries).toHaveLength(4);
    // Each delivery reached the receiver once: the retried commands did not send twice.
    const posts = receiver.requests.filter((x) => x.path === '/cluster');
    expect(new Set(posts.map((x) => `${x.body?.referral?.id}:${x.body?.type}`)).size).toBe(posts.length);

    // The resubscribed stream got the second referral's notification.
    await until(
      async () => streamed,
      (x) => x.includes(second.id),
      30_000,
    );
    stream.destroy();

    // The app answers ready through the cluster again.
    await until(
      async () => (await app.http().get('/health/ready')).status,
      (s) => s === 200,
    );
  }, 180_000);

  it('refuses a cluster one of whose masters may evict keys, naming that node', async () => {
    const node = cluster!.nodes[2];
    await node.admin.config('SET', 'maxmemory-policy', 'allkeys-lru');
    try {
      await expect(connectRedis('redis://127.0.0.1:6379', { clusterNodes: cluster!.seeds })).rejects.toThrow(
        new RegExp(`maxmemory-policy is "allkeys-lru" on 127\\.0\\.0\\.1:${node.port}; CaseLink needs "noeviction"`),
      );
      const skipped = await connectRedis('redis://127.0.0.1:6379', { clusterNodes: cluster!.seeds, skipEvictionCheck: true });
      expect(await skipped.ping()).toBe('PONG');
      skipped.disconnect();
    } finally {
      await node.admin.config('SET', 'maxmemory-policy', 'noeviction');
    }
  });
});
