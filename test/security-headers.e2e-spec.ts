// The Content-Security-Policy of every API and console response (helmet), checked on a bare Express app:
// what a React single-page console from the same origin needs, nothing else, and no
// upgrade-insecure-requests over plain HTTP (it breaks pages opened on a LAN address).
import express from 'express';
import request from 'supertest';
import { securityHeaders } from '../src/ops/ops.setup';

function app() {
  const a = express();
  a.set('trust proxy', 'loopback'); // as TRUST_PROXY does behind the compose file's load balancer
  a.use(securityHeaders());
  a.get(/.*/, (_req, res) => void res.send('ok'));
  return a;
}

function directives(header: string | undefined): Record<string, string[]> {
  return Object.fromEntries(
    (header ?? '')
      .split(';')
      .map((d) => d.trim().split(/\s+/))
      .filter((parts) => parts[0])
      .map(([name, ...values]) => [name, values]),
  );
}

describe('security headers', () => {
  it('over plain HTTP: the console policy, without upgrade-insecure-requests', async () => {
    const res = await request(app()).get('/console/referrals/1');
    expect(directives(res.headers['content-security-policy'])).toEqual({
      'default-src': ["'self'"],
      'base-uri': ["'self'"],
      'connect-src': ["'self'"],
      'font-src': ["'self'", 'data:'],
      'form-action': ["'self'"],
      'frame-ancestors': ["'self'"],
      'img-src': ["'self'", 'data:'],
      'manifest-src': ["'self'"],
      'object-src': ["'none'"],
      'script-src': ["'self'"],
      'script-src-attr': ["'none'"],
      'style-src': ["'self'", "'unsafe-inline'"], // antd's run-time <style> elements, Mermaid's SVG <style>
      'worker-src': ["'self'", 'blob:'],
    });
    // Nothing from elsewhere, nothing evaluated, no inline script.
    expect(res.headers['content-security-policy']).not.toMatch(/https:|\*|unsafe-eval|upgrade-insecure-requests/);
    expect(directives(res.headers['content-security-policy'])['script-src']).not.toContain("'unsafe-inline'");
  });

  it('over HTTPS (here: behind a trusted proxy that says so) the same policy also upgrades insecure requests', async () => {
    const res = await request(app()).get('/api/v1/referrals').set('X-Forwarded-Proto', 'https');
    const csp = directives(res.headers['content-security-policy']);
    expect(csp).toHaveProperty('upgrade-insecure-requests');
    expect(csp['script-src']).toEqual(["'self'"]);
  });

  it('keeps the other helmet headers, and no CSP on the Swagger UI and Bull Board pages', async () => {
    const api = await request(app()).get('/api/v1/referrals');
    expect(api.headers['x-content-type-options']).toBe('nosniff');
    expect(api.headers['x-frame-options']).toBe('SAMEORIGIN'); // as frame-ancestors 'self'
    for (const path of ['/docs', '/docs/index.html', '/admin/queues']) {
      expect((await request(app()).get(path)).headers['content-security-policy']).toBeUndefined();
    }
  });
});
