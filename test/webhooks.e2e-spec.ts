// Webhooks end to end: subscriptions through the API, timeline events fanned out
// to the subscriptions in scope, signed POSTs to a real local HTTP receiver,
// retries with backoff, dead-lettering, soft delete, and the SSRF guard.
import { WebhookProcessor } from '../src/webhooks/webhook.processor';
import { actions, buildWorld, type World } from './support/world';
import { createTestApp, type TestApp } from './support/test-app';
import { eventually, expectValidSignature, WebhookReceiver } from './kit';

const SUSPECT_ID = '91330100MA2B3C4D12';
const MASKED_SUSPECT_ID = '9133************12';
const DAY = 24 * 3600 * 1000;

describe('webhooks', () => {
  let t: TestApp;
  let w: World;
  let a: ReturnType<typeof actions>;
  const receiver = new WebhookReceiver();

  beforeAll(async () => {
    await receiver.start();
    t = await createTestApp(
      { WEBHOOK_ALLOW_PRIVATE_TARGETS: 'true', WEBHOOK_BACKOFF_MS: '200', WEBHOOK_MAX_ATTEMPTS: '3' },
      { world: true },
    );
    w = await buildWorld(t);
    a = actions(t, w);
  });
  afterAll(async () => {
    await t?.close();
    await receiver.stop();
  });

  const create = (user: keyof World['tokens'], body: Record<string, unknown>) =>
    t.http().post('/api/v1/webhooks').set('Authorization', a.auth(user)).send(body);

  async function subscribe(user: keyof World['tokens'], path: string, eventTypes: string[]) {
    const res = await create(user, { url: receiver.url(path), eventTypes });
    expect(res.status).toBe(201);
    return res.body as { id: string; url: string; eventTypes: string[]; secret: string };
  }

  const deliveries = async (user: keyof World['tokens'], hookId: string) => {
    const res = await t.http().get(`/api/v1/webhooks/${hookId}/deliveries`).set('Authorization', a.auth(user));
    expect(res.status).toBe(200);
    return res.body.items as any[];
  };

  /** Inserts a subscription directly, for agencies whose roles may not create one through the API. */
  async function insertSubscription(agencyId: string, path: string, eventTypes: string[]): Promise<string> {
    const [row] = await t.db.query(
      `INSERT INTO webhook_subscriptions (agency_id, url, event_types, secret) VALUES ($1, $2, $3, 'inserted-secret') RETURNING id`,
      [agencyId, receiver.url(path), eventTypes],
    );
    return row.id;
  }
  const rowsOf = (subscriptionId: string, referralId: string): Promise<{ seq: number; event_type: string }[]> =>
    t.db.query(`SELECT seq, event_type FROM webhook_deliveries WHERE subscription_id = $1 AND referral_id = $2 ORDER BY seq`, [
      subscriptionId,
      referralId,
    ]);

  let leadHook: { id: string; secret: string };
  let nbHook: { id: string; secret: string };

  it("delivers a signed POST of the target's subscribed events, unmasked, and lists it as succeeded", async () => {
    const res = await create('lead', { url: receiver.url('/lead'), eventTypes: ['SUBMIT', 'ACKNOWLEDGE'] });
    expect(res.status).toBe(201);
    expect(Object.keys(res.body).sort()).toEqual(['eventTypes', 'id', 'secret', 'url']);
    expect(res.body).toMatchObject({ url: receiver.url('/lead'), eventTypes: ['SUBMIT', 'ACKNOWLEDGE'] });
    expect(res.body.secret).toMatch(/^[A-Za-z0-9_-]{43}$/); // 32 random bytes, base64url
    leadHook = res.body;

    // The secret is shown once: the list never has it.
    const list = await t.http().get('/api/v1/webhooks').set('Authorization', a.auth('lead'));
    expect(list.status).toBe(200);
    expect(list.body.items).toEqual([
      { id: leadHook.id, url: receiver.url('/lead'), eventTypes: ['SUBMIT', 'ACKNOWLEDGE'], createdAt: expect.any(String) },
    ]);
    expect(JSON.stringify(list.body)).not.toContain(leadHook.secret);
    // Another agency's list does not show it.
    expect((await t.http().get('/api/v1/webhooks').set('Authorization', a.auth('officer'))).body.items).toEqual([]);

    const r = await a.submit();
    const [got] = await eventually(
      'the SUBMIT delivery',
      () => receiver.to('/lead', r.id),
      (x) => x.length >= 1,
    );
    expect(got.method).toBe('POST');
    expect(got.headers['content-type']).toBe('application/json');
    expect(got.headers['x-caselink-event']).toBe('SUBMIT');
    expect(got.headers['x-caselink-delivery']).toBe(got.body.id);
    expectValidSignature(got, leadHook.secret);

    const timeline = await t.http().get(`/api/v1/referrals/${r.id}/timeline`).set('Authorization', a.auth('lead'));
    expect(Object.keys(got.body).sort()).toEqual(['data', 'id', 'occurredAt', 'referral', 'type']);
    expect(got.body).toMatchObject({
      type: 'SUBMIT',
      occurredAt: timeline.body.items[0].occurredAt,
      referral: { id: r.id, referenceNo: r.referenceNo, state: 'submitted' },
    });
    expect(got.body.data).toEqual(timeline.body.items[0].payload);
    expect(got.body.data.suspects[0].idNumber).toBe(SUSPECT_ID); // the target sees it in full

    const items = await eventually(
      'the delivery to be succeeded',
      () => deliveries('lead', leadHook.id),
      (x) => x[0]?.status === 'succeeded',
    );
    expect(items).toHaveLength(1);
    expect(items[0]).toEqual({
      id: got.body.id,
      eventType: 'SUBMIT',
      referralId: r.id,
      seq: 1,
      status: 'succeeded',
      attempts: 1,
      lastStatusCode: 200,
      lastError: null,
      deliveredAt: expect.any(String),
      createdAt: expect.any(String),
    });

    // ACKNOWLEDGE is subscribed too; the body says the state the event reached.
    expect((await a.send(r.id, 'lead', { type: 'ACKNOWLEDGE' })).status).toBe(200);
    const acks = await eventually(
      'the ACKNOWLEDGE delivery',
      () => receiver.to('/lead', r.id),
      (x) => x.length >= 2,
    );
    expect(acks[1].headers['x-caselink-event']).toBe('ACKNOWLEDGE');
    expect(acks[1].body).toMatchObject({ type: 'ACKNOWLEDGE', referral: { id: r.id, state: 'under-review' }, data: {} });
    expect(acks[1].headers['x-caselink-delivery']).not.toBe(acks[0].headers['x-caselink-delivery']);
    expectValidSignature(acks[1], leadHook.secret);
    const after = await eventually(
      'two deliveries listed',
      () => deliveries('lead', leadHook.id),
      (x) => x.length === 2 && x[0].status === 'succeeded',
    );
    expect(after.map((d) => [d.eventType, d.seq])).toEqual([
      ['ACKNOWLEDGE', 2],
      ['SUBMIT', 1],
    ]); // newest first

    // A job seen twice changes nothing: a succeeded delivery is not sent again.
    await t.app.get(WebhookProcessor).deliver({ deliveryId: got.body.id }, { attemptsMade: 0, attempts: 3 });
    expect(receiver.to('/lead', r.id)).toHaveLength(2);
    expect((await deliveries('lead', leadHook.id))[1]).toMatchObject({ id: got.body.id, attempts: 1, status: 'succeeded' });
  });

  it("'*' gets every event; a non-party overseer sees masked suspects; unsubscribed types and out-of-scope agencies get nothing", async () => {
    const adminHook = await subscribe('admin', '/admin', ['*']); // national supervisor agency: every referral is in scope
    nbHook = await subscribe('nbOfficer', '/nb', ['*']); // Ningbo regulator: no relation to a Hangzhou referral
    const nbProHook = await insertSubscription(w.agencies.nbPro, '/nb-pro', ['*']); // Ningbo procuratorate: other prefecture
    await insertSubscription(w.agencies.hzPro, '/hz-pro', ['*']); // Hangzhou procuratorate: covers 330100

    const r = await a.submit();
    expect((await a.send(r.id, 'lead', { type: 'ACKNOWLEDGE' })).status).toBe(200);
    expect((await a.send(r.id, 'officer', { type: 'COMMENT', text: 'Photos of the labels are attached.' })).status).toBe(200);

    const got = await eventually(
      'three events at /admin',
      () => receiver.to('/admin', r.id),
      (x) => x.length >= 3,
    );
    expect(got.map((x) => x.body.type).sort()).toEqual(['ACKNOWLEDGE', 'COMMENT', 'SUBMIT']);
    for (const x of got) expectValidSignature(x, adminHook.secret);
    const submit = got.find((x) => x.body.type === 'SUBMIT')!;
    expect(submit.body.data.suspects[0].idNumber).toBe(MASKED_SUSPECT_ID);
    expect(submit.raw).not.toContain(SUSPECT_ID);

    const hzPro = await eventually(
      'three events at /hz-pro',
      () => receiver.to('/hz-pro', r.id),
      (x) => x.length >= 3,
    );
    expect(hzPro.find((x) => x.body.type === 'SUBMIT')!.body.data.suspects[0].idNumber).toBe(MASKED_SUSPECT_ID);

    // The COMMENT (seq 3) has been fanned out (one statement writes every row of an event): the lead's hook,
    // subscribed to SUBMIT and ACKNOWLEDGE only, has no row for it, and the out-of-scope agencies have none at all.
    expect(await rowsOf(leadHook.id, r.id)).toEqual([
      { seq: 1, event_type: 'SUBMIT' },
      { seq: 2, event_type: 'ACKNOWLEDGE' },
    ]);
    expect(await rowsOf(nbHook.id, r.id)).toEqual([]);
    expect(await rowsOf(nbProHook, r.id)).toEqual([]);
    expect(await deliveries('nbOfficer', nbHook.id)).toEqual([]);
    await eventually(
      'both lead deliveries',
      () => receiver.to('/lead', r.id),
      (x) => x.length >= 2,
    );
    await new Promise((res) => setTimeout(res, 300)); // anything stray would have arrived by now
    // Deliveries run concurrently, so they may arrive in any order; occurredAt orders them for the receiver.
    expect(
      receiver
        .to('/lead', r.id)
        .map((x) => x.body.type)
        .sort(),
    ).toEqual(['ACKNOWLEDGE', 'SUBMIT']);
    expect(receiver.to('/nb')).toEqual([]);
    expect(receiver.to('/nb-pro')).toEqual([]);
  });

  it('an agency with a rectification task on the referral receives its events from then on', async () => {
    const r = await a.submit();
    const ok = async (user: keyof World['tokens'], event: Record<string, unknown>) =>
      expect((await a.send(r.id, user, event)).status).toBe(200);
    await ok('policeOfficer', { type: 'ACKNOWLEDGE' });
    await ok('policeOfficer', { type: 'RECORD_REVIEW', recommendation: 'file', opinion: 'The facts meet the filing threshold.' });
    await ok('lead', { type: 'ACCEPT', caseNumber: 'HZ-2026-0099' });
    await ok('lead', {
      type: 'START_JOINT_RECTIFICATION',
      dueAt: new Date(Date.now() + 30 * DAY).toISOString(),
      tasks: [{ agencyId: w.agencies.nbAmr, description: 'Inspect Ningbo distributors' }],
    });
    const got = await eventually(
      'START_JOINT_RECTIFICATION at /nb',
      () => receiver.to('/nb', r.id),
      (x) => x.length >= 1,
    );
    expect(got[0].body).toMatchObject({
      type: 'START_JOINT_RECTIFICATION',
      referral: { id: r.id, state: 'joint-rectification' },
    });
    expect(got[0].body.data.tasks[0].agencyId).toBe(w.agencies.nbAmr);
    // Nothing from before the task existed (seq 1-4).
    expect((await deliveries('nbOfficer', nbHook.id)).filter((d) => d.referralId === r.id).map((d) => d.seq)).toEqual([5]);
  });

  it('follows a FORWARD: the old target gets events up to the FORWARD, the new one from it on; a repeated fan-out adds nothing', async () => {
    const allHook = await subscribe('lead', '/lead-all', ['*']); // hz-psb, the first target
    const nbHook = await subscribe('nbLead', '/nb', ['*']); // nb-psb, the target after the FORWARD (a unit hz-psb does not stand above)
    const r = await a.submit();
    const fwd = await a.send(r.id, 'policeOfficer', {
      type: 'FORWARD',
      toAgencyId: w.agencies.nbPsb,
      reason: 'Ningbo case',
    });
    expect(fwd.status).toBe(200);
    expect((await a.send(r.id, 'nbLead', { type: 'COMMENT', text: 'Taken over by Ningbo.' })).status).toBe(200);

    const west = await eventually(
      'FORWARD and COMMENT at /nb',
      () => receiver.to('/nb', r.id),
      (x) => x.length >= 2,
    );
    expect(west.map((x) => x.body.type).sort()).toEqual(['COMMENT', 'FORWARD']);
    expect(west.find((x) => x.body.type === 'FORWARD')!.body).toMatchObject({
      referral: { id: r.id, state: 'submitted' },
      data: { toAgencyId: w.agencies.nbPsb, reason: 'Ningbo case' },
    });
    for (const x of west) expectValidSignature(x, nbHook.secret);
    // seq 3 is fanned out: the old target has SUBMIT and FORWARD, not the COMMENT made after it left.
    expect(await rowsOf(allHook.id, r.id)).toEqual([
      { seq: 1, event_type: 'SUBMIT' },
      { seq: 2, event_type: 'FORWARD' },
    ]);
    expect(await rowsOf(nbHook.id, r.id)).toEqual([
      { seq: 2, event_type: 'FORWARD' },
      { seq: 3, event_type: 'COMMENT' },
    ]);
    await eventually(
      'SUBMIT and FORWARD at /lead-all',
      () => receiver.to('/lead-all', r.id),
      (x) => x.length >= 2,
    );

    // The same fan-out job again, late: scope is as at the event, rows are unique, nothing new is sent.
    const before = receiver.requests.length;
    await t.app.get(WebhookProcessor).fanout({ referralId: r.id, seq: 1 });
    await t.app.get(WebhookProcessor).fanout({ referralId: r.id, seq: 2 });
    expect(await rowsOf(nbHook.id, r.id)).toEqual([
      { seq: 2, event_type: 'FORWARD' },
      { seq: 3, event_type: 'COMMENT' },
    ]);
    expect(await rowsOf(allHook.id, r.id)).toHaveLength(2);
    await new Promise((res) => setTimeout(res, 300));
    expect(receiver.requests.length).toBe(before);
  });

  it('retries a failing receiver with backoff, with the same delivery id and body, until it succeeds', async () => {
    const hook = await subscribe('officer', '/flaky', ['SUBMIT']); // the source agency
    receiver.failNext('/flaky', 2);
    const r = await a.submit();
    const got = await eventually(
      'three attempts at /flaky',
      () => receiver.to('/flaky', r.id),
      (x) => x.length >= 3,
    );
    expect(got.map((x) => x.answered)).toEqual([500, 500, 200]);
    expect(new Set(got.map((x) => x.headers['x-caselink-delivery'])).size).toBe(1);
    expect(new Set(got.map((x) => x.raw)).size).toBe(1); // the same bytes every time
    for (const x of got) expectValidSignature(x, hook.secret);
    expect(got[0].body.data.suspects[0].idNumber).toBe(SUSPECT_ID); // the source sees it in full

    const [d] = await eventually(
      'succeeded after retries',
      () => deliveries('officer', hook.id),
      (x) => x[0]?.status === 'succeeded',
    );
    expect(d).toMatchObject({
      id: got[0].headers['x-caselink-delivery'],
      status: 'succeeded',
      attempts: 3,
      lastStatusCode: 200,
      lastError: null,
    });
    expect(d.deliveredAt).not.toBeNull();
    await new Promise((res) => setTimeout(res, 500));
    expect(receiver.to('/flaky', r.id)).toHaveLength(3); // no attempt after the success
  });

  it('marks a delivery dead after the last attempt and shows it in the deliveries list', async () => {
    const hook = await subscribe('lead', '/down', ['SUBMIT']);
    receiver.failNext('/down', Infinity);
    const r = await a.submit();
    const [d] = await eventually(
      'dead',
      () => deliveries('lead', hook.id),
      (x) => x[0]?.status === 'dead',
    );
    expect(d).toMatchObject({
      referralId: r.id,
      eventType: 'SUBMIT',
      seq: 1,
      status: 'dead',
      attempts: 3,
      lastStatusCode: 500,
      deliveredAt: null,
    });
    // The status and its reason phrase only: the target's body is its own business, not the deliveries list's.
    expect(d.lastError).toBe('HTTP 500 Internal Server Error');
    const got = receiver.to('/down', r.id);
    expect(got).toHaveLength(3);
    expect(new Set(got.map((x) => x.headers['x-caselink-delivery']))).toEqual(new Set([d.id]));
    await new Promise((res) => setTimeout(res, 1000)); // backoff would have been 800 ms for a 4th try
    expect(receiver.to('/down', r.id)).toHaveLength(3);
    expect((await deliveries('lead', hook.id))[0].status).toBe('dead');
    receiver.failNext('/down', 0);
  });

  it('DELETE stops deliveries; another agency cannot see or delete the subscription', async () => {
    const hook = await subscribe('lead', '/gone', ['SUBMIT']);
    const first = await a.submit();
    await eventually(
      'a delivery before delete',
      () => receiver.to('/gone', first.id),
      (x) => x.length === 1,
    );

    const del = (user: keyof World['tokens'], id: string) =>
      t.http().delete(`/api/v1/webhooks/${id}`).set('Authorization', a.auth(user));
    expect((await del('officer', hook.id)).status).toBe(404); // hz-amr's officer: not theirs
    expect((await t.http().get(`/api/v1/webhooks/${hook.id}/deliveries`).set('Authorization', a.auth('officer'))).status).toBe(
      404,
    );
    expect((await del('lead', 'not-a-uuid')).status).toBe(404);
    const ok = await del('lead', hook.id);
    expect(ok.status).toBe(204);
    expect(ok.text).toBe('');
    expect((await del('lead', hook.id)).status).toBe(404);
    const list = (await t.http().get('/api/v1/webhooks').set('Authorization', a.auth('lead'))).body.items.map(
      (h: { id: string }) => h.id,
    );
    expect(list).toContain(leadHook.id);
    expect(list).not.toContain(hook.id);
    expect((await t.http().get(`/api/v1/webhooks/${hook.id}/deliveries`).set('Authorization', a.auth('lead'))).status).toBe(404);

    const second = await a.submit();
    // The lead's live hook gets it, so the fan-out of this SUBMIT is done.
    await eventually(
      'the live hook got the second referral',
      () => receiver.to('/lead', second.id),
      (x) => x.length >= 1,
    );
    expect(await rowsOf(hook.id, second.id)).toEqual([]);
    expect(receiver.to('/gone', second.id)).toEqual([]);
    const [{ deleted_at }] = await t.db.query(`SELECT deleted_at FROM webhook_subscriptions WHERE id = $1`, [hook.id]);
    expect(deleted_at).toBeInstanceOf(Date); // soft delete: the row and its history stay
  });

  it('validates the subscription and refuses roles that may not subscribe', async () => {
    const bad = async (body: Record<string, unknown>, field: string) => {
      const res = await create('lead', body);
      expect(res.status).toBe(400);
      expect(res.headers['content-type']).toMatch(/application\/problem\+json/);
      expect(res.body.code).toBe('VALIDATION_FAILED');
      expect(res.body.errors.map((e: { field: string }) => e.field)).toContain(field);
    };
    await bad({ url: 'ftp://127.0.0.1/hook', eventTypes: ['SUBMIT'] }, 'url');
    await bad({ url: 'file:///etc/passwd', eventTypes: ['SUBMIT'] }, 'url');
    await bad({ url: 'not a url', eventTypes: ['SUBMIT'] }, 'url');
    await bad({ url: receiver.url('/' + 'x'.repeat(2000)), eventTypes: ['SUBMIT'] }, 'url');
    await bad({ url: receiver.url('/x'), eventTypes: ['NOPE'] }, 'eventTypes');
    await bad({ url: receiver.url('/x'), eventTypes: [] }, 'eventTypes');
    await bad({ url: receiver.url('/x'), eventTypes: ['SUBMIT', 'SUBMIT'] }, 'eventTypes');
    await bad({ url: receiver.url('/x'), eventTypes: 'SUBMIT' }, 'eventTypes');
    await bad({ url: receiver.url('/x'), eventTypes: ['SUBMIT'], secret: 'mine' }, 'secret');
    // system event types and '*' are fine
    expect(
      (await create('lead', { url: receiver.url('/sys'), eventTypes: ['DEADLINE_REMINDER', 'DEADLINE_EXPIRED'] })).status,
    ).toBe(201);

    for (const user of ['procurator', 'supervisor', 'policeOfficer'] as const) {
      const res = await create(user, { url: receiver.url('/x'), eventTypes: ['*'] });
      expect(res.status).toBe(403);
      expect(res.body.code).toBe('FORBIDDEN');
      expect((await t.http().get('/api/v1/webhooks').set('Authorization', a.auth(user))).status).toBe(403);
    }
    expect(
      (
        await t
          .http()
          .post('/api/v1/webhooks')
          .send({ url: receiver.url('/x'), eventTypes: ['*'] })
      ).status,
    ).toBe(401);
    const count = await t.db.query(`SELECT count(*)::int AS n FROM webhook_subscriptions WHERE url = $1`, [receiver.url('/x')]);
    expect(count[0].n).toBe(0);
  });

  describe('without WEBHOOK_ALLOW_PRIVATE_TARGETS', () => {
    let t2: TestApp;
    let w2: World;
    beforeAll(async () => {
      t2 = await createTestApp({ WEBHOOK_BACKOFF_MS: '200', WEBHOOK_MAX_ATTEMPTS: '3' }, { world: true });
      w2 = await buildWorld(t2);
    });
    afterAll(() => t2?.close());

    it('refuses loopback and private targets at creation', async () => {
      for (const url of [
        receiver.url('/private'),
        'http://[::1]:8080/',
        'http://localhost:8080/',
        'http://10.1.2.3/',
        'http://169.254.169.254/latest',
        'http://[::ffff:127.0.0.1]/',
      ]) {
        const res = await t2
          .http()
          .post('/api/v1/webhooks')
          .set('Authorization', `Bearer ${w2.tokens.lead}`)
          .send({ url, eventTypes: ['*'] });
        expect({ url, status: res.status, code: res.body.code, field: res.body.errors?.[0]?.field }).toEqual({
          url,
          status: 400,
          code: 'VALIDATION_FAILED',
          field: 'url',
        });
      }
      const [{ n }] = await t2.db.query(`SELECT count(*)::int AS n FROM webhook_subscriptions`);
      expect(n).toBe(0);
    });

    it('checks again at delivery time: a target that now resolves privately is dead at once, never called', async () => {
      // As if the name had resolved publicly at creation and been rebound since: the row holds a loopback URL.
      const [{ id }] = await t2.db.query(
        `INSERT INTO webhook_subscriptions (agency_id, url, event_types, secret) VALUES ($1, $2, '{*}', 's') RETURNING id`,
        [w2.agencies.hzPsb, receiver.url('/rebound')],
      );
      const r = await actions(t2, w2).submit();
      const read = async () =>
        (await t2.http().get(`/api/v1/webhooks/${id}/deliveries`).set('Authorization', `Bearer ${w2.tokens.lead}`)).body
          .items as any[];
      const [d] = await eventually('the refused delivery', read, (x) => x[0]?.status === 'dead');
      expect(d).toMatchObject({ referralId: r.id, status: 'dead', attempts: 1, lastStatusCode: null, deliveredAt: null });
      expect(d.lastError).toMatch(/refused/);
      await new Promise((res) => setTimeout(res, 600)); // no retry after the backoff either
      expect(receiver.to('/rebound')).toEqual([]);
      expect((await read())[0].attempts).toBe(1);
    });
  });
});
