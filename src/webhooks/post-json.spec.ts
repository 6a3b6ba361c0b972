import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { postJson } from './post-json';

describe('postJson', () => {
  let server: Server;
  let port: number;
  const seen: { headers: IncomingHttpHeaders; body: string }[] = [];
  let answer = { status: 204, body: '' };

  beforeAll(async () => {
    server = createServer((req, res) => {
      let body = '';
      req.on('data', (c) => (body += c));
      req.on('end', () => {
        seen.push({ headers: req.headers, body });
        res.writeHead(answer.status).end(answer.body);
      });
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    port = (server.address() as AddressInfo).port;
  });
  afterAll(() => new Promise((r) => server.close(r)));

  it('connects to the pinned address whatever the name would resolve to, keeping the name as Host', async () => {
    // .invalid never resolves (RFC 6761): only the pinned address can have carried this request
    const url = new URL(`http://hooks.caselink.invalid:${port}/in`);
    const res = await postJson(url, { 'content-type': 'application/json' }, '{"a":1}', {
      address: '127.0.0.1',
      timeoutMs: 5000,
    });
    expect(res.status).toBe(204);
    expect(seen.at(-1)).toMatchObject({ body: '{"a":1}', headers: { host: `hooks.caselink.invalid:${port}` } });
  });

  it("returns the status and its reason phrase of a failing answer, never the target's body", async () => {
    answer = { status: 500, body: 'secret stack trace '.repeat(50) };
    const res = await postJson(new URL(`http://127.0.0.1:${port}/in`), {}, '{}', { timeoutMs: 5000 });
    expect(res).toEqual({ status: 500, reason: 'Internal Server Error' });
  });

  it('gives up after the time limit', async () => {
    const silent = createServer(() => undefined);
    await new Promise<void>((r) => silent.listen(0, '127.0.0.1', r));
    const url = new URL(`http://127.0.0.1:${(silent.address() as AddressInfo).port}/`);
    await expect(postJson(url, {}, '{}', { timeoutMs: 200 })).rejects.toMatchObject({ name: 'TimeoutError' });
    silent.closeAllConnections();
    await new Promise((r) => silent.close(r));
  });
});
