// The service serves the built console at / (files, and index.html with this
// response's style nonce for every page address a browser opens), while the
// API and the operational paths keep answering as before.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { serveConsole } from '../src/ops/console.setup';
import { createTestApp, type TestApp } from './support/test-app';

let t: TestApp;
const dir = mkdtempSync(join(tmpdir(), 'caselink-console-'));
const HTML = { Accept: 'text/html,application/xhtml+xml,*/*;q=0.8' };

beforeAll(async () => {
  mkdirSync(join(dir, 'assets'));
  writeFileSync(join(dir, 'index.html'), '<!doctype html><meta property="csp-nonce" nonce="__CSP_NONCE__"><div id="root"></div>');
  writeFileSync(join(dir, 'assets', 'index-abc123.js'), 'console.log(1)');
  writeFileSync(join(dir, 'favicon.svg'), '<svg xmlns="http://www.w3.org/2000/svg"/>');
  process.env.CONSOLE_DIR = dir;
  t = await createTestApp();
});
afterAll(async () => {
  delete process.env.CONSOLE_DIR;
  await t?.close();
  rmSync(dir, { recursive: true, force: true });
});

test('pages get index.html with the nonce of their own Content-Security-Policy', async () => {
  for (const path of ['/', '/referrals/4b1c0f5e-0000-4000-8000-000000000000', '/login?next=%2F']) {
    const res = await t.http().get(path).set(HTML).expect(200);
    expect(res.headers['content-type']).toMatch(/^text\/html/);
    expect(res.headers['cache-control']).toBe('no-cache');
    const nonce = /nonce="([^"]+)"/.exec(res.text)![1];
    expect(nonce).not.toBe('__CSP_NONCE__');
    expect(res.headers['content-security-policy']).toContain(`'nonce-${nonce}'`);
  }
});

test('files are served, hashed assets for a year; a missing asset is a 404, not the page', async () => {
  const asset = await t.http().get('/assets/index-abc123.js').expect(200);
  expect(asset.headers['cache-control']).toContain('immutable');
  await t.http().get('/favicon.svg').expect(200);
  await t.http().get('/assets/gone-123.js').set(HTML).expect(404);
});

test('the API and the operational paths keep their answers', async () => {
  await t.http().get('/api/v1/referrals').set(HTML).expect(401);
  await t.http().get('/api/v1/nothing-here').set(HTML).expect(404);
  await t.http().get('/health/live').set(HTML).expect(200);
  const docs = await t.http().get('/docs-json').set(HTML).expect(200);
  expect(docs.body.openapi).toBeDefined();
  await t.http().get('/admin/queues').set(HTML).expect(401);
  // A client asking for JSON at a wrong address gets the 404, not a web page.
  const json = await t.http().get('/no-such-page').set('Accept', 'application/json').expect(404);
  expect(json.headers['content-type']).toMatch(/problem\+json/);
});

test('without a built console the service runs API-only', () => {
  expect(serveConsole(t.app, join(dir, 'missing'))).toBe(false);
});
