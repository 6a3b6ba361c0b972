// Findings of the hardening review (issue 7, items 1, 3, 4 and 5): masking that
// does not depend on the stored shape, bad input that used to reach PostgreSQL
// or class-transformer and answered 500, evidence on finished referrals.
import { randomUUID } from 'node:crypto';
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import request from 'supertest';
import { asSuperuserBypassingTriggers, countRows, expectProblem, expectValidationFailed, kit } from './kit/e2e-kit';
import { createTestApp, type TestApp } from './support/test-app';
import { buildWorld, referralBody, type World } from './support/world';

const ID = '330102199001011234';
const cursorOf = (at: string) => Buffer.from(JSON.stringify([at, randomUUID()])).toString('base64url');
const nested = (depth: number) => '['.repeat(depth) + ']'.repeat(depth);

function filesUnder(dir: string): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((e) => e.isFile())
    .map((e) => e.name);
}

describe('hardening', () => {
  let t: TestApp;
  let w: World;
  let k: ReturnType<typeof kit>;

  beforeAll(async () => {
    t = await createTestApp({}, { world: true });
    w = await buildWorld(t);
    k = kit(t, w);
  });
  afterAll(() => t?.close());

  describe('ID numbers are masked whatever shape they are stored in', () => {
    let referralId: string;
    beforeAll(async () => {
      referralId = (await k.submit({ suspects: [{ kind: 'person', name: 'Zhang San', idNumber: ID }] })).id;
      // A stored value of an unexpected shape, as an earlier version accepted: [[{...}]] stored as [{"0": {...}}].
      const odd = JSON.stringify([{ '0': { kind: 'person', name: 'Zhang San', idNumber: ID } }]);
      await t.db.query(`UPDATE referrals SET suspects = $2::jsonb WHERE id = $1`, [referralId, odd]);
      await asSuperuserBypassingTriggers(
        t,
        `UPDATE referral_events SET payload = jsonb_set(payload, '{suspects}', $2::jsonb) WHERE referral_id = $1`,
        [referralId, odd],
      );
    });

    it('in the referral a supervisor reads', async () => {
      const res = await k.get(referralId, 'supervisor').expect(200);
      expect(JSON.stringify(res.body)).not.toContain(ID);
      expect(JSON.stringify(res.body.suspects)).toContain('3301************34');
    });

    it('in the referral list and the timeline a procurator reads', async () => {
      const list = await k.list('procurator').expect(200);
      expect(JSON.stringify(list.body)).not.toContain(ID);
      const timeline = await k.timeline(referralId, 'procurator').expect(200);
      expect(JSON.stringify(timeline.body)).not.toContain(ID);
      expect(JSON.stringify(timeline.body.items[0].payload)).toContain('3301************34');
    });

    it('but in full to the two parties', async () => {
      expect(JSON.stringify((await k.get(referralId, 'officer').expect(200)).body)).toContain(ID);
      expect(JSON.stringify((await k.timeline(referralId, 'lead').expect(200)).body)).toContain(ID);
    });
  });

  describe('cursors PostgreSQL would refuse are 400', () => {
    const BAD = ['2026-02-30T00:00:00.000Z', '+275760-09-13T00:00:00.000Z', '1', '2026-13-01T00:00:00Z', '2026-01-01T24:00:00Z'];
    const LISTS = ['/api/v1/referrals', '/api/v1/notifications', '/api/v1/supervision/overdue'];
    it.each(LISTS.flatMap((path) => BAD.map((at) => [path, at] as const)))('%s with a cursor at %s', async (path, at) => {
      const res = await t
        .http()
        .get(path)
        .query({ cursor: cursorOf(at) })
        .set('Authorization', k.auth('supervisor'));
      expectValidationFailed(res, 'cursor');
    });

    it('a cursor the service wrote still pages', async () => {
      for (let i = 0; i < 3; i++) await k.submit();
      const first = await k.list('officer', { limit: '2' }).expect(200);
      expect(first.body.nextCursor).toEqual(expect.any(String));
      const second = await k.list('officer', { limit: '2', cursor: first.body.nextCursor }).expect(200);
      expect(second.body.items.length).toBeGreaterThan(0);
    });
  });

  describe('JSON bodies are checked before anything else', () => {
    const post = (path: string, raw: string, user: 'officer' | null = 'officer') => {
      const req = t.http().post(path).set('Content-Type', 'application/json');
      if (user) req.set('Authorization', k.auth(user));
      return req.send(raw);
    };

    it.each([65, 100_000])('nesting %d levels deep is 400 on submit, events and login, and writes nothing', async (depth) => {
      const before = await countRows(t);
      const referralId = (await t.db.query(`SELECT id FROM referrals LIMIT 1`))[0].id;
      for (const [path, user] of [
        ['/api/v1/referrals', 'officer'],
        [`/api/v1/referrals/${referralId}/events`, 'officer'],
        ['/api/v1/auth/login', null],
      ] as const) {
        const res = await post(path, `{"title": ${nested(depth)}}`, user);
        expectValidationFailed(res, 'body');
        expect(res.body.errors[0].message).toMatch(/nested deeper than 64/);
      }
      expect(await countRows(t)).toEqual(before);
    });

    it('64 levels are parsed (and then judged by the DTO)', async () => {
      const res = await post('/api/v1/auth/login', `{"username": ${nested(63)}, "password": "x"}`, null);
      expectValidationFailed(res, 'username');
    });

    it.each([
      [
        'a COMMENT text',
        (id: string): [string, string] => [`/api/v1/referrals/${id}/events`, '{"type":"COMMENT","text":"bad \\ud800 text"}'],
      ],
      [
        'a lone low surrogate',
        (id: string): [string, string] => [`/api/v1/referrals/${id}/events`, '{"type":"COMMENT","text":"\\udc00"}'],
      ],
      [
        'a suspect name (jsonb)',
        (): [string, string] => [
          '/api/v1/referrals',
          JSON.stringify(referralBody(w.agencies.hzPsb, { suspects: [{ kind: 'person', name: 'X' }] })).replace(
            '"X"',
            '"\\ud83d"',
          ),
        ],
      ],
      [
        'an object key',
        (id: string): [string, string] => [`/api/v1/referrals/${id}/events`, '{"type":"COMMENT","text":"x","\\ud800":1}'],
      ],
    ])('a lone UTF-16 surrogate in %s is refused, not stored as U+FFFD', async (_name, build) => {
      const referralId = (await k.submit()).id;
      const before = await countRows(t);
      const [path, raw] = build(referralId);
      const res = await post(path, raw);
      expectValidationFailed(res, 'body');
      expect(res.body.errors[0].message).toMatch(/surrogate/);
      expect(await countRows(t)).toEqual(before);
    });

    it('a well-formed surrogate pair (an emoji) is fine', async () => {
      const referralId = (await k.submit()).id;
      const res = await post(`/api/v1/referrals/${referralId}/events`, '{"type":"COMMENT","text":"ok \\ud83d\\ude00"}');
      expect(res.status).toBe(200);
    });

    it.each(['__proto__', 'constructor', 'prototype'])('a "%s" key anywhere is 400, not silently dropped', async (key) => {
      const referralId = (await k.submit()).id;
      const before = await countRows(t);
      for (const raw of [
        `{"type":"COMMENT","text":"x","${key}":{"admin":true}}`,
        `{"type":"COMMENT","text":"x","nested":{"${key}":1}}`,
      ]) {
        const res = await post(`/api/v1/referrals/${referralId}/events`, raw);
        expectValidationFailed(res, 'body');
        expect(res.body.errors[0].message).toContain(key);
      }
      const login = await post('/api/v1/auth/login', `{"username":"admin","password":"x","${key}":{}}`, null);
      expectValidationFailed(login, 'body');
      expect(await countRows(t)).toEqual(before);
    });

    it('bytes that are not UTF-8 are 400', async () => {
      const referralId = (await k.submit()).id;
      const res = await t
        .http()
        .post(`/api/v1/referrals/${referralId}/events`)
        .set('Authorization', k.auth('officer'))
        .set('Content-Type', 'application/json')
        .serialize((bytes: Buffer) => bytes as unknown as string) // sent as they are, not JSON.stringify-ed
        .send(Buffer.concat([Buffer.from('{"type":"COMMENT","text":"'), Buffer.from([0xc3, 0x28]), Buffer.from('"}')]));
      expectValidationFailed(res, 'body');
    });
  });

  it.each(['__proto__', 'constructor', 'toString', 'hasOwnProperty', 'valueOf'])(
    'GET /workflows/%s/diagram is 404',
    async (name) => {
      const res = await t.http().get(`/api/v1/workflows/${name}/diagram`).set('Authorization', k.auth('officer'));
      expectProblem(res, 404, 'NOT_FOUND');
    },
  );

  it('oversized headers are a problem+json 431 with a request id', async () => {
    const res = await request(t.app.getHttpServer()).get('/api/v1/auth/me').set('X-Padding', 'x'.repeat(40_000));
    expect(res.status).toBe(431);
    expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(res.headers['x-request-id']).toEqual(expect.any(String));
    expect(res.body).toMatchObject({ status: 431, code: 'VALIDATION_FAILED' });
  });

  describe('finished referrals take no new evidence', () => {
    const upload = (id: string) =>
      t
        .http()
        .post(`/api/v1/referrals/${id}/attachments`)
        .set('Authorization', k.auth('officer'))
        .field('kind', 'other')
        .attach('file', Buffer.from('%PDF-1.4 late evidence'), { filename: 'late.pdf', contentType: 'application/pdf' });

    it('withdrawn: 409 TRANSITION_NOT_ALLOWED, no row and no file', async () => {
      const r = await k.submit();
      await k.must(r.id, 'officer', { type: 'WITHDRAW', reason: 'Sent to the wrong unit' });
      const files = filesUnder(join(t.config.DATA_DIR, 'attachments'));
      const res = await upload(r.id);
      expectProblem(res, 409, 'TRANSITION_NOT_ALLOWED');
      expect(res.body.allowedEvents).toEqual(['COMMENT']);
      expect(await t.db.query(`SELECT id FROM attachments WHERE referral_id = $1`, [r.id])).toEqual([]);
      expect(filesUnder(join(t.config.DATA_DIR, 'attachments'))).toEqual(files);
      // and a comment is still accepted
      await k.must(r.id, 'officer', { type: 'COMMENT', text: 'For the record' });
    });

    it('closed: 409 as well', async () => {
      const r = await k.reviewed();
      await k.must(r.id, 'lead', { type: 'DECLINE', reasons: 'No criminal facts found in the materials', legalBasis: 'art. 8' });
      await k.must(r.id, 'officer', { type: 'ACCEPT_DECISION' });
      expectProblem(await upload(r.id), 409, 'TRANSITION_NOT_ALLOWED');
      expect(await t.db.query(`SELECT id FROM attachments WHERE referral_id = $1`, [r.id])).toEqual([]);
    });
  });

  it('a deactivated police unit takes no new referral, neither submitted nor forwarded', async () => {
    const created = await t
      .http()
      .post('/api/v1/agencies')
      .set('Authorization', k.auth('admin'))
      .send({ code: `closed-psb-${randomUUID().slice(0, 8)}`, name: 'Closed police unit', kind: 'police', regionCode: '330100' })
      .expect(201);
    await t
      .http()
      .patch(`/api/v1/agencies/${created.body.id}`)
      .set('Authorization', k.auth('admin'))
      .send({ active: false })
      .expect(200);
    const before = await countRows(t);
    const submit = await t
      .http()
      .post('/api/v1/referrals')
      .set('Authorization', k.auth('officer'))
      .send(referralBody(created.body.id));
    expectValidationFailed(submit, 'targetAgencyId');
    expect(await countRows(t)).toEqual(before);
    const r = await k.submit();
    const forward = await k.send(r.id, 'policeOfficer', { type: 'FORWARD', toAgencyId: created.body.id, reason: 'Not ours' });
    expectValidationFailed(forward, 'toAgencyId');
  });
});
