// The notification inbox end to end: outbox row → relay → 'notification.deliver'
// job (workers run in-process) → inbox rows per recipient agency, the inbox API,
// deadline breaches on the test clock, and the SSE stream fed through Redis pub/sub.
import http from 'node:http';
import { Redis } from 'ioredis';
import type { Response } from 'supertest';
import { NotificationProcessor } from '../src/notifications/notification.processor';
import { NotificationStreams } from '../src/notifications/notification-streams';
import { createTestApp, type TestApp } from './support/test-app';
import { actions, buildWorld, type World } from './support/world';
import { until } from './support/until';

interface Item {
  id: string;
  type: string;
  referralId: string;
  title: string;
  body: string;
  createdAt: string;
  readAt: string | null;
}

let t: TestApp;
let w: World;
let a: ReturnType<typeof actions>;

beforeAll(async () => {
  t = await createTestApp({ CLOCK_MODE: 'controllable' }, { world: true });
  w = await buildWorld(t);
  a = actions(t, w);
});
afterAll(() => t?.close());

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function inbox(user: keyof World['tokens'], query: Record<string, string | number> = {}): Promise<Item[]> {
  const res = await t
    .http()
    .get('/api/v1/notifications')
    .query({ limit: 100, ...query })
    .set('Authorization', a.auth(user));
  expect(res.status).toBe(200);
  return res.body.items;
}

const about = (items: Item[], referralId: string, type?: string) =>
  items.filter((n) => n.referralId === referralId && (!type || n.type === type));

/** Waits until the user's inbox holds a notification of this type for the referral. */
async function waitFor(user: keyof World['tokens'], referralId: string, type: string): Promise<Item[]> {
  return about(
    await until(
      () => inbox(user),
      (items) => about(items, referralId, type).length > 0,
    ),
    referralId,
    type,
  );
}

/** The due time as people in Hangzhou read it (UTC+8, no DST), computed independently of the service. */
function shanghai(iso: string): string {
  return `${new Date(Date.parse(iso) + 8 * 3_600_000).toISOString().slice(0, 16).replace('T', ' ')} (Asia/Shanghai)`;
}

async function notifyOutboxRow(referralId: string, template: string) {
  const [row] = await t.db.query(
    `SELECT id, dedupe_key, payload FROM outbox WHERE topic = 'notification' AND payload->>'referralId' = $1 AND payload->>'template' = $2`,
    [referralId, template],
  );
  return row as { id: string; dedupe_key: string; payload: { recipientAgencyIds: string[] } };
}

describe('delivery', () => {
  it('after submission the target police and the same-level procuratorate each get one referral-submitted naming the referral and its due times', async () => {
    const r = await a.submit({ title: 'Fake infant formula in Xiaoshan' });
    const referral = (await a.get(r.id, 'officer')).body;
    const review = referral.deadlines.find((d: { kind: string }) => d.kind === 'review');
    const acknowledge = referral.deadlines.find((d: { kind: string }) => d.kind === 'acknowledge');

    const lead = await waitFor('lead', r.id, 'referral-submitted');
    expect(lead).toHaveLength(1);
    expect(lead[0].title).toContain(referral.referenceNo);
    expect(lead[0].body).toContain(referral.referenceNo);
    expect(lead[0].body).toContain('Fake infant formula in Xiaoshan');
    expect(lead[0].body).toContain(shanghai(review.dueAt));
    expect(lead[0].body).toContain(shanghai(acknowledge.dueAt));
    expect(lead[0]).toMatchObject({ readAt: null, referralId: r.id });
    expect(Number.isNaN(Date.parse(lead[0].createdAt))).toBe(false);

    // the police officer shares the lead's agency, so the same inbox
    expect(about(await inbox('policeOfficer'), r.id).map((n) => n.id)).toEqual([lead[0].id]);

    const pro = about(await inbox('procurator'), r.id, 'referral-submitted');
    expect(pro).toHaveLength(1);
    expect(pro[0].body).toContain(shanghai(review.dueAt));
    expect(pro[0].id).not.toBe(lead[0].id);

    // the source agency, other regions' procuratorates and the supervisor hear nothing of a submission
    expect(about(await inbox('officer'), r.id)).toEqual([]);
    expect(about(await inbox('nbProcurator'), r.id)).toEqual([]);
    expect(about(await inbox('supervisor'), r.id)).toEqual([]);

    expect((await a.send(r.id, 'lead', { type: 'ACKNOWLEDGE' })).status).toBe(200);
    const ack = await waitFor('officer', r.id, 'referral-acknowledged');
    expect(ack).toHaveLength(1);
    expect(ack[0].title).toContain(referral.referenceNo);
    expect(about(await inbox('officer'), r.id).map((n) => n.type)).toEqual(['referral-acknowledged']);
  });

  it('is idempotent: the job run again writes nothing and announces nothing; a vanished outbox row is quietly skipped', async () => {
    const r = await a.submit();
    await waitFor('lead', r.id, 'referral-submitted');
    const row = await notifyOutboxRow(r.id, 'referral-submitted');
    expect([...row.payload.recipientAgencyIds].sort()).toEqual([w.agencies.hzPsb, w.agencies.hzPro].sort());
    const count = async () =>
      (
        await t.db.query(`SELECT agency_id FROM notifications WHERE dedupe_key LIKE $1 ORDER BY agency_id`, [
          `${row.dedupe_key}:%`,
        ])
      ).map((x: { agency_id: string }) => x.agency_id);
    expect(await count()).toEqual([w.agencies.hzPsb, w.agencies.hzPro].sort());

    // listen on the announcement channel while re-running the job
    const sub = new Redis(t.config.REDIS_URL);
    const heard: { agencyId: string; id: string }[] = [];
    try {
      await sub.subscribe(`${t.config.QUEUE_PREFIX}:notifications`);
      sub.on('message', (_c, m) => heard.push(JSON.parse(m)));
      const processor = t.app.get(NotificationProcessor);
      await processor.deliver({ outboxId: String(row.id) });
      await processor.deliver({ outboxId: String(row.id) });
      expect(await count()).toEqual([w.agencies.hzPsb, w.agencies.hzPro].sort());
      expect(about(await inbox('lead'), r.id)).toHaveLength(1);

      // a recipient's row lost: the next run writes (and announces) exactly that one
      await t.db.query(`DELETE FROM notifications WHERE dedupe_key = $1`, [`${row.dedupe_key}:${w.agencies.hzPro}`]);
      await processor.deliver({ outboxId: String(row.id) });
      expect(await count()).toEqual([w.agencies.hzPsb, w.agencies.hzPro].sort());
      await until(
        async () => heard.length,
        (n) => n > 0,
        3000,
      );
      await sleep(200);
      const [restored] = about(await inbox('procurator'), r.id);
      expect(heard).toEqual([{ agencyId: w.agencies.hzPro, id: restored.id }]);

      await expect(processor.deliver({ outboxId: '999999999' })).resolves.toBeUndefined();
    } finally {
      sub.disconnect();
    }
  });
});

describe('texts as of the event', () => {
  it('a submission notice delivered late, after a FORWARD, still states the due times the old unit had', async () => {
    const r = await a.submit({ title: 'late notice' });
    const [original] = await waitFor('lead', r.id, 'referral-submitted');
    // An hour later, so the new unit's 24-hour acknowledge deadline reads differently.
    await t.http().post('/api/v1/test-clock/advance').set('Authorization', a.auth('admin')).send({ hours: 1 }).expect(200);
    expect(
      (await a.send(r.id, 'lead', { type: 'FORWARD', toAgencyId: w.agencies.hzPsbWest, reason: 'Xihu district case' })).status,
    ).toBe(200);
    await waitFor('westLead', r.id, 'referral-submitted');

    // Deliver the first submission notice again, as if its job ran only now.
    await t.db.query(`DELETE FROM notifications WHERE id = $1`, [original.id]);
    const row = await notifyOutboxRow(r.id, 'referral-submitted');
    await t.app.get(NotificationProcessor).deliver({ outboxId: row.id });
    const [late] = about(await inbox('lead'), r.id, 'referral-submitted');
    expect(late.body).toBe(original.body);
    const [forwarded] = about(await inbox('westLead'), r.id, 'referral-submitted');
    expect(forwarded.body).not.toBe(original.body); // the new unit's own, later due times
  });
});

describe('inbox API', () => {
  it('lists unread, marks read idempotently, hides other agencies, and pages with a cursor', async () => {
    const refs = [await a.submit(), await a.submit(), await a.submit()];
    for (const r of refs) await waitFor('lead', r.id, 'referral-submitted');
    const all = await inbox('lead');
    expect(all.length).toBeGreaterThanOrEqual(3);
    // newest first
    const times = all.map((n) => Date.parse(n.createdAt));
    expect([...times].sort((x, y) => y - x)).toEqual(times);

    const target = about(all, refs[1].id)[0];
    const read = () => t.http().post(`/api/v1/notifications/${target.id}/read`).set('Authorization', a.auth('lead'));
    const first = await read();
    expect(first.status).toBe(204);
    expect(first.text).toBe('');
    const readAt = about(await inbox('lead'), refs[1].id)[0].readAt;
    expect(readAt).not.toBeNull();
    expect((await read()).status).toBe(204); // idempotent: still 204, first read time kept
    expect(about(await inbox('lead'), refs[1].id)[0].readAt).toBe(readAt);

    const unread = await inbox('lead', { unread: 'true' });
    expect(unread.map((n) => n.id)).not.toContain(target.id);
    expect(unread.map((n) => n.id)).toEqual(expect.arrayContaining([about(all, refs[0].id)[0].id, about(all, refs[2].id)[0].id]));
    expect(unread.every((n) => n.readAt === null)).toBe(true);
    expect((await inbox('lead', { unread: 'false' })).map((n) => n.id)).toContain(target.id);

    // another agency's notification, or an id that cannot exist: 404 problem+json, and nothing changes
    const proItem = about(await inbox('procurator'), refs[0].id)[0];
    for (const [user, id] of [
      ['lead', proItem.id],
      ['officer', about(all, refs[0].id)[0].id],
      ['lead', 'not-a-uuid'],
      ['lead', '00000000-0000-4000-8000-000000000000'],
    ] as const) {
      const res = await t.http().post(`/api/v1/notifications/${id}/read`).set('Authorization', a.auth(user));
      expect(res.status).toBe(404);
      expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
      expect(res.body.code).toBe('NOT_FOUND');
    }
    expect(about(await inbox('procurator'), refs[0].id)[0].readAt).toBeNull();
    expect(about(await inbox('lead'), refs[0].id)[0].readAt).toBeNull();
    // the list shows only the caller's agency
    const officerIds = new Set((await inbox('officer')).map((n) => n.id));
    expect(all.some((n) => officerIds.has(n.id))).toBe(false);

    // pages of 2 walk the whole list once, in order
    const seen: string[] = [];
    let cursor: string | null = null;
    for (let page = 0; page < 50; page++) {
      const res: Response = await t
        .http()
        .get('/api/v1/notifications')
        .query(cursor ? { limit: 2, cursor } : { limit: 2 })
        .set('Authorization', a.auth('lead'));
      expect(res.status).toBe(200);
      expect(res.body.items.length).toBeLessThanOrEqual(2);
      seen.push(...res.body.items.map((n: Item) => n.id));
      cursor = res.body.nextCursor;
      if (!cursor) break;
      expect(res.body.items).toHaveLength(2);
    }
    expect(cursor).toBeNull();
    expect(seen).toEqual((await inbox('lead')).map((n) => n.id));

    const defaults = await t.http().get('/api/v1/notifications').set('Authorization', a.auth('lead'));
    expect(defaults.status).toBe(200);
    expect(defaults.body).toHaveProperty('nextCursor');
    expect(defaults.body.items.length).toBeLessThanOrEqual(20);
  });

  it('rejects unknown or bad query parameters and unauthenticated callers', async () => {
    for (const query of [{ foo: 'bar' }, { limit: 101 }, { limit: 0 }, { unread: 'yes' }, { cursor: 'garbage' }]) {
      const res = await t.http().get('/api/v1/notifications').query(query).set('Authorization', a.auth('lead'));
      expect({ query, status: res.status, code: res.body.code }).toEqual({ query, status: 400, code: 'VALIDATION_FAILED' });
    }
    const forged = Buffer.from(JSON.stringify([new Date().toISOString(), 'x'])).toString('base64url');
    const res = await t.http().get('/api/v1/notifications').query({ cursor: forged }).set('Authorization', a.auth('lead'));
    expect(res.status).toBe(400);
    expect((await t.http().get('/api/v1/notifications')).status).toBe(401);
    expect((await t.http().get('/api/v1/notifications/stream')).status).toBe(401);
  });
});

// ---- SSE -------------------------------------------------------------------------

interface SseClient {
  status: number;
  contentType: string;
  events: { id?: string; data: any }[];
  comments: string[];
  close(): void;
}

async function openStream(user: keyof World['tokens']): Promise<SseClient> {
  const p = t.port;
  return new Promise((resolve, reject) => {
    const req = http.get(
      {
        host: '127.0.0.1',
        port: p,
        path: '/api/v1/notifications/stream',
        headers: { Authorization: a.auth(user), Accept: 'text/event-stream' },
      },
      (res) => {
        const client: SseClient = {
          status: res.statusCode ?? 0,
          contentType: String(res.headers['content-type']),
          events: [],
          comments: [],
          close: () => req.destroy(),
        };
        let buffer = '';
        res.setEncoding('utf8');
        res.on('data', (chunk: string) => {
          buffer += chunk;
          let end: number;
          while ((end = buffer.indexOf('\n\n')) >= 0) {
            const block = buffer.slice(0, end);
            buffer = buffer.slice(end + 2);
            let id: string | undefined;
            const data: string[] = [];
            for (const line of block.split('\n')) {
              if (line.startsWith(':')) client.comments.push(line.slice(1).trim());
              else if (line.startsWith('id: ')) id = line.slice(4);
              else if (line.startsWith('data: ')) data.push(line.slice(6));
            }
            if (data.length > 0) client.events.push({ id, data: JSON.parse(data.join('\n')) });
          }
        });
        res.on('error', () => undefined);
        resolve(client);
      },
    );
    req.on('error', (e) => (e.message === 'socket hang up' ? undefined : reject(e)));
    req.setTimeout(15_000, () => req.destroy());
  });
}

describe('SSE stream', () => {
  it('pushes a new notification to the streams of its agency only, with heartbeats, and forgets closed streams', async () => {
    const streams = t.app.get(NotificationStreams);
    const lead = await openStream('lead');
    const lead2 = await openStream('policeOfficer'); // same agency, second stream
    const other = await openStream('nbLead');
    try {
      expect(lead.status).toBe(200);
      expect(lead.contentType).toMatch(/^text\/event-stream/);
      expect(
        await until(
          async () => streams.openStreams(w.agencies.hzPsb),
          (n) => n === 2,
          3000,
        ),
      ).toBe(2);

      const r = await a.submit({ title: 'Streamed referral' });
      const got = await until(
        async () => lead.events.filter((e) => e.data.referralId === r.id),
        (x) => x.length > 0,
        5000,
      );
      expect(got).toHaveLength(1);
      expect(got[0].data).toMatchObject({ type: 'referral-submitted', referralId: r.id });
      expect(got[0].data.title).toContain((await a.get(r.id, 'lead')).body.referenceNo);
      expect(got[0].data.body).toContain('Streamed referral');
      expect(Object.keys(got[0].data).sort()).toEqual(['body', 'createdAt', 'id', 'referralId', 'title', 'type']);
      expect(got[0].id).toBe(got[0].data.id);
      expect(about(await inbox('lead'), r.id).map((n) => n.id)).toEqual([got[0].data.id]);

      expect(
        (
          await until(
            async () => lead2.events.filter((e) => e.data.referralId === r.id),
            (x) => x.length > 0,
            5000,
          )
        ).map((e) => e.id),
      ).toEqual([got[0].id]);
      await sleep(500);
      expect(other.events.filter((e) => e.data.referralId === r.id)).toEqual([]);

      streams.heartbeat();
      expect(
        await until(
          async () => lead.comments.filter((c) => c.startsWith('heartbeat')).length,
          (n) => n > 0,
          3000,
        ),
      ).toBeGreaterThan(0);
    } finally {
      lead.close();
      lead2.close();
      other.close();
    }
    expect(
      await until(
        async () => streams.openStreams(),
        (n) => n === 0,
        5000,
      ),
    ).toBe(0);
  });
});

// ---- deadline breach (moves the suite's clock: keep last) ---------------------------

describe('deadline breach', () => {
  it('after 25 h the responsible police, the procuratorate and the province supervisor get deadline-breached naming the acknowledge deadline', async () => {
    const r = await a.submit();
    await waitFor('lead', r.id, 'referral-submitted');
    const referral = (await a.get(r.id, 'officer')).body;
    const acknowledge = referral.deadlines.find((d: { kind: string }) => d.kind === 'acknowledge');
    const res = await t.http().post('/api/v1/test-clock/advance').set('Authorization', a.auth('admin')).send({ hours: 25 });
    expect(res.status).toBe(200);

    for (const user of ['supervisor', 'procurator', 'lead'] as const) {
      const breached = await waitFor(user, r.id, 'deadline-breached');
      expect({ user, count: breached.length }).toEqual({ user, count: 1 });
      expect(breached[0].title).toContain('acknowledge');
      expect(breached[0].title).toContain(referral.referenceNo);
      expect(breached[0].body).toContain('acknowledge deadline');
      expect(breached[0].body).toContain(shanghai(acknowledge.dueAt));
      expect(breached[0].body).toContain(acknowledge.legalBasis);
    }
    // the source agency is not responsible for the acknowledge deadline; other regions are not told
    expect(about(await inbox('officer'), r.id, 'deadline-breached')).toEqual([]);
    expect(about(await inbox('jsSupervisor'), r.id)).toEqual([]);
    expect(about(await inbox('nbProcurator'), r.id)).toEqual([]);
  });
});

// ---- shutdown (an app of its own) ---------------------------------------------------

describe('shutdown', () => {
  it('ends open streams and closes the one subscriber connection when the app closes', async () => {
    const own = await createTestApp({}, { world: true });
    let closed = false;
    try {
      const world = await buildWorld(own);
      const channel = `${own.config.QUEUE_PREFIX}:notifications`;
      const probe = new Redis(own.config.REDIS_URL);
      try {
        const subscribers = async () => Number(((await probe.pubsub('NUMSUB', channel)) as [string, number])[1]);
        expect(await subscribers()).toBe(1); // one per process, not one per stream
        const p = own.port;
        let ended = false;
        const streams: http.ClientRequest[] = [];
        for (const token of [world.tokens.lead, world.tokens.officer]) {
          await new Promise<void>((resolve, reject) => {
            const req = http.get(
              { host: '127.0.0.1', port: p, path: '/api/v1/notifications/stream', headers: { Authorization: `Bearer ${token}` } },
              (res) => {
                res.on('data', () => undefined);
                res.on('end', () => (ended = true));
                resolve();
              },
            );
            req.on('error', reject);
            streams.push(req);
          });
        }
        expect(
          await until(
            async () => own.app.get(NotificationStreams).openStreams(),
            (n) => n === 2,
            3000,
          ),
        ).toBe(2);
        expect(await subscribers()).toBe(1);

        const started = Date.now();
        await own.close(); // would hang while a stream kept its connection open
        closed = true;
        expect(Date.now() - started).toBeLessThan(10_000);
        expect(
          await until(
            async () => ended,
            (x) => x,
            2000,
          ),
        ).toBe(true);
        expect(await until(subscribers, (n) => n === 0, 3000)).toBe(0);
        for (const req of streams) req.destroy();
      } finally {
        probe.disconnect();
      }
    } finally {
      if (!closed) await own.close();
    }
  }, 30_000);
});
