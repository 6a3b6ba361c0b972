// A small keep-alive HTTP/1.1 JSON client on node:http (cheaper per request than fetch, and the bench
// shares the machine's cores with the service it measures).
import { Agent, request } from 'node:http';

export interface Reply {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: any;
}

export class HttpClient {
  readonly agent: Agent;
  private readonly host: string;
  private readonly port: number;

  constructor(baseUrl: string, maxSockets = 64) {
    const url = new URL(baseUrl);
    this.host = url.hostname;
    this.port = Number(url.port);
    this.agent = new Agent({ keepAlive: true, maxSockets, maxFreeSockets: maxSockets });
  }

  async send(method: string, path: string, body?: unknown, headers: Record<string, string> = {}): Promise<Reply> {
    const payload = body === undefined ? undefined : Buffer.from(JSON.stringify(body));
    try {
      return await this.once(method, path, payload, headers);
    } catch (err) {
      // A kept-alive socket the server closed (its keep-alive timeout) just as this request went out on it: the
      // server never read the request, so sending it once more on a fresh socket is safe (Node's documented
      // pattern for `request.reusedSocket`). Seen when a loaded machine leaves some sockets idle for over 5 s.
      if ((err as { retryable?: boolean }).retryable) return this.once(method, path, payload, headers);
      throw err;
    }
  }

  private once(method: string, path: string, payload: Buffer | undefined, headers: Record<string, string>): Promise<Reply> {
    return new Promise((resolve, reject) => {
      const req = request(
        {
          host: this.host,
          port: this.port,
          method,
          path,
          agent: this.agent,
          headers: {
            accept: 'application/json',
            ...(payload ? { 'content-type': 'application/json', 'content-length': String(payload.length) } : {}),
            ...headers,
          },
        },
        (res) => {
          const chunks: Buffer[] = [];
          res.on('data', (c: Buffer) => chunks.push(c));
          res.on('end', () => {
            const text = Buffer.concat(chunks).toString('utf8');
            let parsed: unknown = text;
            if (text && String(res.headers['content-type'] ?? '').includes('json')) {
              try {
                parsed = JSON.parse(text);
              } catch {
                parsed = text;
              }
            }
            resolve({ status: res.statusCode ?? 0, headers: res.headers, body: parsed });
          });
          res.on('error', reject);
        },
      );
      req.on('error', (err: NodeJS.ErrnoException) => {
        if (req.reusedSocket && err.code === 'ECONNRESET') Object.assign(err, { retryable: true });
        reject(err);
      });
      req.end(payload);
    });
  }

  get(path: string, token?: string) {
    return this.send('GET', path, undefined, token ? { authorization: `Bearer ${token}` } : {});
  }

  post(path: string, body: unknown, token?: string, headers: Record<string, string> = {}) {
    return this.send('POST', path, body, { ...(token ? { authorization: `Bearer ${token}` } : {}), ...headers });
  }

  close() {
    this.agent.destroy();
  }
}
