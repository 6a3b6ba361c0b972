// Evidence attachments over HTTP against a real PostgreSQL and a real DATA_DIR:
// streamed upload and verified download, content-addressed storage, the
// ATTACHMENT_ADDED timeline row in the hash chain, the transfer-package
// checklist, content-type rules, the upload limit, tamper detection and scope.
import { Logger } from '@nestjs/common';
import { createHash, randomBytes } from 'node:crypto';
import { request as httpRequest, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { chmodSync, existsSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Response } from 'supertest';
import { expectProblem, expectValidationFailed, kit } from './kit/e2e-kit';
import { until } from './support/processes';
import { createTestApp, type TestApp } from './support/test-app';
import { buildWorld, type World } from './support/world';

type Caller = keyof World['tokens'];

const sha256 = (bytes: Buffer) => createHash('sha256').update(bytes).digest('hex');
// Random bodies: the store is content-addressed, so no two tests may share a file by accident.
const pdf = (size = 2048) => Buffer.concat([Buffer.from('%PDF-1.7\n'), randomBytes(size - 9)]);
const png = (size = 1024) =>
  Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), randomBytes(size - 8)]);
const csv = () => Buffer.from(`item,quantity\ncounterfeit baijiu 500ml,${1000 + Math.floor(Math.random() * 1000)}\n`);

/** superagent: keep a file body as raw bytes; a problem+json answer is still parsed. */
function bytes(res: Response, done: (err: Error | null, body: unknown) => void) {
  const stream = res as unknown as NodeJS.ReadableStream & { headers: Record<string, string> };
  const chunks: Buffer[] = [];
  stream.on('data', (c: Buffer) => chunks.push(c));
  stream.on('end', () => {
    const body = Buffer.concat(chunks);
    done(null, /json/.test(stream.headers['content-type'] ?? '') ? JSON.parse(body.toString('utf8')) : body);
  });
}

/** Every file below `dir` (relative paths); none if it does not exist. */
function filesUnder(dir: string): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((e) => e.isFile())
    .map((e) => join(e.parentPath ?? (e as unknown as { path: string }).path, e.name));
}

interface Uploaded {
  id: string;
  filename: string;
  contentType: string;
  size: number;
  sha256: string;
  kind: string;
}

function harness(t: TestApp, w: World) {
  const k = kit(t, w);
  const auth = (user: Caller) => `Bearer ${w.tokens[user]}`;
  const base = (referralId: string) => `/api/v1/referrals/${referralId}/attachments`;
  return {
    k,
    upload(
      referralId: string,
      user: Caller,
      kind: string | null,
      body: Buffer,
      filename: string,
      contentType: string,
      fileFirst = false,
    ) {
      const req = t.http().post(base(referralId)).set('Authorization', auth(user));
      if (fileFirst) req.attach('file', body, { filename, contentType });
      if (kind !== null) req.field('kind', kind);
      if (!fileFirst) req.attach('file', body, { filename, contentType });
      return req;
    },
    async mustUpload(referralId: string, user: Caller, kind: string, body: Buffer, filename: string, contentType: string) {
      const res = await this.upload(referralId, user, kind, body, filename, contentType);
      if (res.status !== 201) throw new Error(`upload: ${res.status} ${JSON.stringify(res.body)}`);
      return res.body as Uploaded;
    },
    list(referralId: string, user: Caller) {
      return t.http().get(base(referralId)).set('Authorization', auth(user));
    },
    download(referralId: string, attachmentId: string, user: Caller) {
      return t
        .http()
        .get(`${base(referralId)}/${attachmentId}/content`)
        .set('Authorization', auth(user))
        .buffer(true)
        .parse(bytes);
    },
    storedPath: (sha: string) => join(t.config.DATA_DIR, 'attachments', sha.slice(0, 2), sha),
    attachmentRows: async () => (await t.db.query(`SELECT count(*)::int AS n FROM attachments`))[0].n as number,
  };
}

describe('attachments', () => {
  let t: TestApp;
  let w: World;
  let h: ReturnType<typeof harness>;

  beforeAll(async () => {
    t = await createTestApp({}, { world: true });
    w = await buildWorld(t);
    h = harness(t, w);
  });
  afterAll(() => t?.close());

  test('round trip: the bytes and SHA-256 that went up come down, stored once under DATA_DIR by content', async () => {
    const r = await h.k.submit();
    const content = pdf(300 * 1024); // several chunks on the way in and out
    const filename = '涉嫌犯罪案件移送书 (2026) 第12号.pdf';
    const res = await h.upload(r.id, 'officer', 'transfer-letter', content, filename, 'application/pdf');
    expect(res.status).toBe(201);
    expect(res.body).toEqual(
      expect.objectContaining({
        id: expect.any(String),
        filename,
        contentType: 'application/pdf',
        size: content.length,
        sha256: sha256(content),
        kind: 'transfer-letter',
      }),
    );
    expect(existsSync(h.storedPath(sha256(content)))).toBe(true);

    // the target police reads it
    const down = await h.download(r.id, res.body.id, 'policeOfficer');
    expect(down.status).toBe(200);
    expect(down.headers['content-type']).toBe('application/pdf');
    expect(Number(down.headers['content-length'])).toBe(content.length);
    expect(down.headers['content-disposition']).toContain(
      `filename*=UTF-8''${encodeURIComponent(filename).replace(/[()]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`)}`,
    );
    expect(down.headers['x-content-type-options']).toBe('nosniff');
    expect(down.headers.etag).toBe(`"${sha256(content)}"`);
    expect(Buffer.compare(down.body as Buffer, content)).toBe(0);
    expect(sha256(down.body as Buffer)).toBe(res.body.sha256);

    // the file part may come before the kind field too
    const report = png();
    const second = await h.upload(r.id, 'policeOfficer', 'test-report', report, 'scan.png', 'image/png', true);
    expect(second.status).toBe(201);
    expect(sha256((await h.download(r.id, second.body.id, 'officer')).body)).toBe(sha256(report));

    // nothing is left in the upload area
    expect(filesUnder(join(t.config.DATA_DIR, 'tmp'))).toEqual([]);
  });

  test('the same content uploaded twice is two attachments and one stored file', async () => {
    const r = await h.k.submit();
    const content = pdf();
    const a1 = await h.mustUpload(r.id, 'officer', 'investigation-report', content, 'report.pdf', 'application/pdf');
    const a2 = await h.mustUpload(r.id, 'policeOfficer', 'other', content, 'report-copy.pdf', 'application/pdf');
    expect(a1.id).not.toBe(a2.id);
    expect(a1.sha256).toBe(a2.sha256);
    const dir = join(t.config.DATA_DIR, 'attachments', a1.sha256.slice(0, 2));
    expect(readdirSync(dir).filter((name) => name === a1.sha256)).toHaveLength(1);
    for (const a of [a1, a2]) expect(Buffer.compare((await h.download(r.id, a.id, 'officer')).body, content)).toBe(0);
  });

  test('listing: every attachment of the referral, oldest first, for anyone in scope', async () => {
    const r = await h.k.submit();
    const letter = await h.mustUpload(r.id, 'officer', 'transfer-letter', pdf(), 'letter.pdf', 'application/pdf');
    const inventory = await h.mustUpload(r.id, 'officer', 'item-inventory', csv(), 'inventory.csv', 'text/csv');
    const report = await h.mustUpload(r.id, 'policeOfficer', 'test-report', png(), 'report.png', 'image/png');

    for (const user of ['officer', 'lead', 'procurator', 'supervisor', 'admin'] as Caller[]) {
      const res = await h.list(r.id, user);
      expect({ user, status: res.status }).toEqual({ user, status: 200 });
      expect(res.body.items).toEqual([letter, inventory, report].map((a) => expect.objectContaining(a)));
    }
    const [first] = (await h.list(r.id, 'officer')).body.items;
    expect(first).toMatchObject({
      uploadedBy: { userId: w.userIds.officer, agencyId: w.agencies.hzAmr },
      createdAt: expect.any(String),
    });

    expectProblem(await h.list(r.id, 'nbOfficer'), 404, 'NOT_FOUND');
    expectProblem(await h.list('00000000-0000-4000-8000-000000000000', 'officer'), 404, 'NOT_FOUND');
    expectProblem(await h.list('not-a-uuid', 'officer'), 404, 'NOT_FOUND');
  });

  test('an upload is an ATTACHMENT_ADDED timeline row in the hash chain; the state and version stay', async () => {
    const r = await h.k.submit();
    await h.k.must(r.id, 'policeOfficer', { type: 'ACKNOWLEDGE' });
    const content = pdf();
    const a = await h.mustUpload(r.id, 'policeOfficer', 'other', content, 'minutes.pdf', 'application/pdf');

    const items = (await h.k.timeline(r.id, 'officer')).body.items;
    expect(items.map((e: { seq: number; type: string }) => [e.seq, e.type])).toEqual([
      [1, 'SUBMIT'],
      [2, 'ACKNOWLEDGE'],
      [3, 'ATTACHMENT_ADDED'],
    ]);
    expect(items[2]).toMatchObject({
      actor: { userId: w.userIds.policeOfficer, agencyId: w.agencies.hzPsb, system: false },
      fromState: 'under-review',
      toState: 'under-review',
      payload: {
        attachmentId: a.id,
        kind: 'other',
        filename: 'minutes.pdf',
        contentType: 'application/pdf',
        size: content.length,
        sha256: a.sha256,
      },
      prevHash: items[1].hash,
    });
    const verify = await h.k.verify(r.id, 'officer');
    expect(verify.body).toEqual({ valid: true, events: 3, headHash: items[2].hash });

    // not a workflow step: the version (and with it If-Match) is unchanged, and the next step chains on
    const got = await h.k.get(r.id, 'officer');
    expect({ version: got.body.version, etag: got.headers.etag, state: got.body.state }).toEqual({
      version: 2,
      etag: '"2"',
      state: 'under-review',
    });
    const next = await h.k.send(r.id, 'officer', { type: 'COMMENT', text: 'originals follow by courier' }, 2);
    expect(next.status).toBe(200);
    expect((await h.k.verify(r.id, 'officer')).body).toMatchObject({ valid: true, events: 4 });

    // and it is handed to the outbox for the webhook fan-out
    const outbox = await t.db.query(`SELECT payload FROM outbox WHERE topic = 'timeline' AND dedupe_key = $1`, [
      `timeline:${r.id}:3`,
    ]);
    expect(outbox).toHaveLength(1);
  });

  test('the transfer-package checklist flips as documents arrive, in reads and in lists', async () => {
    const r = await h.k.submit();
    const none = { transferLetter: false, investigationReport: false, itemInventory: false, testReports: false };
    expect((await h.k.get(r.id, 'officer')).body.transferPackage).toEqual(none);

    await h.mustUpload(r.id, 'officer', 'transfer-letter', pdf(), 'letter.pdf', 'application/pdf');
    expect((await h.k.get(r.id, 'officer')).body.transferPackage).toEqual({ ...none, transferLetter: true });

    await h.mustUpload(r.id, 'officer', 'other', pdf(), 'photos.pdf', 'application/pdf'); // not on the checklist
    await h.mustUpload(r.id, 'officer', 'item-inventory', csv(), 'items.csv', 'text/csv');
    await h.mustUpload(r.id, 'officer', 'investigation-report', pdf(), 'report.pdf', 'application/pdf');
    await h.mustUpload(r.id, 'policeOfficer', 'test-report', png(), 'lab.png', 'image/png');
    const all = { transferLetter: true, investigationReport: true, itemInventory: true, testReports: true };
    expect((await h.k.get(r.id, 'lead')).body.transferPackage).toEqual(all);

    const listed = (await h.k.list('officer')).body.items as { id: string; transferPackage: unknown }[];
    expect(listed.find((x) => x.id === r.id)?.transferPackage).toEqual(all);
    expect(listed.every((x) => typeof x.transferPackage === 'object')).toBe(true);
  });

  test('content types are checked per kind and against the bytes; a refused upload leaves nothing', async () => {
    const r = await h.k.submit();
    const rowsBefore = await h.attachmentRows();
    const filesBefore = filesUnder(join(t.config.DATA_DIR, 'attachments')).length;

    // a spreadsheet is no transfer letter
    expectValidationFailed(await h.upload(r.id, 'officer', 'transfer-letter', csv(), 'letter.csv', 'text/csv'), 'file');
    // an executable is nothing
    expectValidationFailed(
      await h.upload(r.id, 'officer', 'other', randomBytes(64), 'x.exe', 'application/x-msdownload'),
      'file',
    );
    // the bytes must be what the type says
    expectValidationFailed(
      await h.upload(r.id, 'officer', 'transfer-letter', randomBytes(512), 'fake.pdf', 'application/pdf'),
      'file',
    );
    // an unknown or missing kind
    expectValidationFailed(await h.upload(r.id, 'officer', 'photo', pdf(), 'a.pdf', 'application/pdf'), 'kind');
    expectValidationFailed(await h.upload(r.id, 'officer', null, pdf(), 'a.pdf', 'application/pdf'), 'kind');
    // no file, an empty file, an unknown field
    expectValidationFailed(
      await t
        .http()
        .post(`/api/v1/referrals/${r.id}/attachments`)
        .set('Authorization', h.k.auth('officer'))
        .field('kind', 'other'),
      'file',
    );
    expectValidationFailed(await h.upload(r.id, 'officer', 'other', Buffer.alloc(0), 'empty.pdf', 'application/pdf'), 'file');
    expectValidationFailed(
      await t
        .http()
        .post(`/api/v1/referrals/${r.id}/attachments`)
        .set('Authorization', h.k.auth('officer'))
        .field('kind', 'other')
        .field('note', 'hello')
        .attach('file', pdf(), { filename: 'a.pdf', contentType: 'application/pdf' }),
      'note',
    );
    // not multipart at all
    expectValidationFailed(
      await t
        .http()
        .post(`/api/v1/referrals/${r.id}/attachments`)
        .set('Authorization', h.k.auth('officer'))
        .send({ kind: 'other' }),
      'body',
    );

    expect(await h.attachmentRows()).toBe(rowsBefore);
    expect(filesUnder(join(t.config.DATA_DIR, 'attachments'))).toHaveLength(filesBefore);
    expect(filesUnder(join(t.config.DATA_DIR, 'tmp'))).toEqual([]);
    expect((await h.k.timeline(r.id, 'officer')).body.items).toHaveLength(1);
  });

  test('a stored file whose bytes changed on disk is refused with 500 and an errorId that is logged', async () => {
    const r = await h.k.submit();
    const content = pdf(4096);
    const a = await h.mustUpload(r.id, 'officer', 'investigation-report', content, 'report.pdf', 'application/pdf');
    const path = h.storedPath(a.sha256);

    const logged = jest.spyOn(Logger.prototype, 'error').mockImplementation(() => undefined);
    try {
      // same length, one byte different
      const tampered = Buffer.from(content);
      tampered[100] ^= 0xff;
      chmodSync(path, 0o600);
      writeFileSync(path, tampered);
      const res = await h.download(r.id, a.id, 'officer');
      expect(res.status).toBe(500);
      expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
      const problem = res.body;
      expect(problem).toMatchObject({ status: 500, code: 'INTERNAL', errorId: expect.any(String) });
      expect(JSON.stringify(problem)).not.toContain(a.sha256); // no internals to the client
      const lines = logged.mock.calls.map((c) => String(c[0]));
      expect(lines.some((l) => l.includes(problem.errorId) && l.includes(a.id) && l.includes('does not match'))).toBe(true);

      // a missing file is refused the same way
      rmSync(path);
      const gone = await h.download(r.id, a.id, 'officer');
      expect(gone.status).toBe(500);
      expect(gone.body).toMatchObject({ status: 500, errorId: expect.any(String) });
    } finally {
      logged.mockRestore();
    }

    // uploading the genuine bytes again restores the stored copy
    await h.mustUpload(r.id, 'officer', 'other', content, 'report-again.pdf', 'application/pdf');
    const healed = await h.download(r.id, a.id, 'officer');
    expect(healed.status).toBe(200);
    expect(Buffer.compare(healed.body, content)).toBe(0);
  });

  test('a client that hangs up mid-upload leaves no temp file, no row and no timeline row', async () => {
    const r = await h.k.submit();
    const server: Server = t.app.getHttpServer();
    if (!server.listening) await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as AddressInfo;
    const boundary = 'caselink-test-boundary';
    const head = Buffer.from(
      `--${boundary}\r\nContent-Disposition: form-data; name="kind"\r\n\r\nother\r\n` +
        `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="half.pdf"\r\nContent-Type: application/pdf\r\n\r\n`,
    );
    const rowsBefore = await h.attachmentRows();
    const req = httpRequest({
      host: '127.0.0.1',
      port,
      method: 'POST',
      path: `/api/v1/referrals/${r.id}/attachments`,
      headers: {
        Authorization: h.k.auth('officer'),
        'Content-Type': `multipart/form-data; boundary=${boundary}`,
        'Content-Length': String(head.length + 1024 * 1024), // promised, never sent
      },
    });
    req.on('error', () => undefined);
    req.write(head);
    req.write(pdf(64 * 1024));
    // the upload has started streaming to the temp area …
    expect(
      await until(
        async () => filesUnder(join(t.config.DATA_DIR, 'tmp')),
        (files) => files.length === 1,
        10_000,
      ),
    ).toHaveLength(1);
    req.destroy(); // … and the client goes away
    expect(
      await until(
        async () => filesUnder(join(t.config.DATA_DIR, 'tmp')),
        (files) => files.length === 0,
        10_000,
      ),
    ).toEqual([]);
    expect(await h.attachmentRows()).toBe(rowsBefore);
    expect((await h.k.timeline(r.id, 'officer')).body.items).toHaveLength(1);
  });

  test('scope: outside it the files do not exist; in scope only the two parties upload', async () => {
    const r = await h.k.submit();
    const a = await h.mustUpload(r.id, 'officer', 'transfer-letter', pdf(), 'letter.pdf', 'application/pdf');

    // out of scope: 404 for reads and uploads
    expectProblem(await h.download(r.id, a.id, 'nbOfficer'), 404, 'NOT_FOUND');
    expectProblem(await h.download(r.id, a.id, 'jsSupervisor'), 404, 'NOT_FOUND');
    expectProblem(await h.upload(r.id, 'nbOfficer', 'other', pdf(), 'x.pdf', 'application/pdf'), 404, 'NOT_FOUND');

    // in scope but no party: may read, may not upload
    expect((await h.download(r.id, a.id, 'procurator')).status).toBe(200);
    expect((await h.download(r.id, a.id, 'supervisor')).status).toBe(200);
    expectProblem(await h.upload(r.id, 'procurator', 'other', pdf(), 'x.pdf', 'application/pdf'), 403, 'FORBIDDEN');
    expectProblem(await h.upload(r.id, 'supervisor', 'other', pdf(), 'x.pdf', 'application/pdf'), 403, 'FORBIDDEN');
    expectProblem(await h.upload(r.id, 'admin', 'other', pdf(), 'x.pdf', 'application/pdf'), 403, 'FORBIDDEN');

    // an attachment is only reachable through its own referral
    const other = await h.k.submit();
    expectProblem(await h.download(other.id, a.id, 'officer'), 404, 'NOT_FOUND');
    expectProblem(await h.download(r.id, '00000000-0000-4000-8000-000000000000', 'officer'), 404, 'NOT_FOUND');
    expectProblem(await h.download(r.id, 'not-a-uuid', 'officer'), 404, 'NOT_FOUND');

    // after a FORWARD to a unit it does not stand above, the old target has left the scope; the new one may upload
    await h.k.must(r.id, 'policeOfficer', {
      type: 'FORWARD',
      toAgencyId: w.agencies.nbPsb,
      reason: 'the warehouse is in Ningbo',
    });
    expectProblem(await h.download(r.id, a.id, 'policeOfficer'), 404, 'NOT_FOUND');
    expect((await h.upload(r.id, 'nbLead', 'test-report', png(), 'lab.png', 'image/png')).status).toBe(201);
    expect((await h.list(r.id, 'officer')).body.items).toHaveLength(2);

    // no token, no upload
    expect((await t.http().post(`/api/v1/referrals/${r.id}/attachments`).field('kind', 'other')).status).toBe(401);
  });
});

describe('attachments over the upload limit (MAX_UPLOAD_BYTES=1024)', () => {
  let t: TestApp;
  let w: World;
  let h: ReturnType<typeof harness>;

  beforeAll(async () => {
    t = await createTestApp({ MAX_UPLOAD_BYTES: '1024' }, { world: true });
    w = await buildWorld(t);
    h = harness(t, w);
  });
  afterAll(() => t?.close());

  test('one byte over: 413 PAYLOAD_TOO_LARGE, no row, no file, no timeline row', async () => {
    const r = await h.k.submit();
    const res = await h.upload(r.id, 'officer', 'transfer-letter', pdf(1025), 'big.pdf', 'application/pdf');
    expectProblem(res, 413, 'PAYLOAD_TOO_LARGE');
    expect(await h.attachmentRows()).toBe(0);
    expect(filesUnder(join(t.config.DATA_DIR, 'attachments'))).toEqual([]);
    expect(filesUnder(join(t.config.DATA_DIR, 'tmp'))).toEqual([]);
    expect((await h.k.timeline(r.id, 'officer')).body.items).toHaveLength(1);

    // far over, too: the connection still answers
    expectProblem(
      await h.upload(r.id, 'officer', 'transfer-letter', pdf(512 * 1024), 'huge.pdf', 'application/pdf'),
      413,
      'PAYLOAD_TOO_LARGE',
    );
    expect(await h.attachmentRows()).toBe(0);
    expect(filesUnder(join(t.config.DATA_DIR, 'attachments'))).toEqual([]);
  });

  test('exactly at the limit is accepted', async () => {
    const r = await h.k.submit();
    const content = pdf(1024);
    const a = await h.mustUpload(r.id, 'officer', 'transfer-letter', content, 'fits.pdf', 'application/pdf');
    expect(a.size).toBe(1024);
    expect(Buffer.compare((await h.download(r.id, a.id, 'officer')).body, content)).toBe(0);
  });
});
