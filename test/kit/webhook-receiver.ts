// A real HTTP receiver on 127.0.0.1 for webhook deliveries: records every request,
// answers 500 to the next n requests of a path when told to.
import { createHmac } from 'node:crypto';
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface Received {
  path: string;
  method: string;
  headers: IncomingHttpHeaders;
  raw: string;
  body: any;
  answered: number;
}

export class WebhookReceiver {
  readonly requests: Received[] = [];
  private readonly failures = new Map<string, number>();
  private server?: Server;
  private port = 0;

  /** A started receiver. */
  static async start(): Promise<WebhookReceiver> {
    const r = new WebhookReceiver();
    await r.start();
    return r;
  }

  async start(): Promise<void> {
    this.server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c) => chunks.push(c));
      req.on('end', () => {
        const raw = Buffer.concat(chunks).toString('utf8');
        const path = req.url ?? '/';
        const left = this.failures.get(path) ?? 0;
        const status = left > 0 ? 500 : 200;
        if (left > 0) this.failures.set(path, left - 1);
        let body: unknown = null;
        try {
          body = JSON.parse(raw);
        } catch {
          body = null;
        }
        this.requests.push({ path, method: req.method ?? '', headers: req.headers, raw, body, answered: status });
        res.writeHead(status, { 'content-type': 'text/plain' }).end(status === 200 ? 'ok' : 'receiver is down');
      });
    });
    const server = this.server;
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    this.port = (server.address() as AddressInfo).port;
  }

  url(path: string): string {
    return `http://127.0.0.1:${this.port}${path}`;
  }

  /** The next `n` requests to `path` get a 500 (Infinity: all of them). */
  failNext(path: string, n: number): void {
    this.failures.set(path, n);
  }

  to(path: string, referralId?: string): Received[] {
    return this.requests.filter((r) => r.path === path && (!referralId || r.body?.referral?.id === referralId));
  }

  async stop(): Promise<void> {
    const server = this.server;
    if (!server) return;
    this.server = undefined;
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }
}

/** `X-Caselink-Signature: t=<unix seconds>,v1=<HMAC-SHA256 of "<t>.<raw body>">` with `secret`, recent, and no other secret's. */
export function expectValidSignature(r: Pick<Received, 'headers' | 'raw'>, secret: string): void {
  const header = String(r.headers['x-caselink-signature']);
  const m = /^t=(\d+),v1=([0-9a-f]{64})$/.exec(header);
  expect(m).not.toBeNull();
  const t = Number(m![1]);
  expect(Math.abs(t - Date.now() / 1000)).toBeLessThan(60);
  expect(m![2]).toBe(createHmac('sha256', secret).update(`${t}.${r.raw}`).digest('hex'));
  // …and it would not match another body or secret.
  expect(m![2]).not.toBe(
    createHmac('sha256', secret + 'x')
      .update(`${t}.${r.raw}`)
      .digest('hex'),
  );
}
