// POSTs a webhook body. When the SSRF guard hands over the address it checked, the
// connection goes to exactly that address (the URL's name still sets Host and TLS
// SNI/certificate checks), so a name that resolves elsewhere a moment later (DNS
// rebinding) cannot turn the request towards a private address.
import { request as httpRequest, type RequestOptions } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { isIP, type LookupFunction } from 'node:net';

export interface PostResult {
  status: number;
  /** The first bytes of the answer, for the deliveries list; the rest is drained. */
  snippet: string;
}

export interface PostOptions {
  address?: string;
  timeoutMs: number;
  snippetBytes: number;
}

function pinnedLookup(address: string): LookupFunction {
  const family = isIP(address);
  return ((_hostname: string, options: { all?: boolean }, callback: (...args: unknown[]) => void) =>
    options?.all ? callback(null, [{ address, family }]) : callback(null, address, family)) as unknown as LookupFunction;
}

export function postJson(url: URL, headers: Record<string, string>, body: string, options: PostOptions): Promise<PostResult> {
  return new Promise((resolve, reject) => {
    const send = url.protocol === 'https:' ? httpsRequest : httpRequest;
    const requestOptions: RequestOptions = {
      method: 'POST',
      headers: { ...headers, 'content-length': String(Buffer.byteLength(body)) },
      ...(options.address ? { lookup: pinnedLookup(options.address) } : {}),
    };
    const req = send(url, requestOptions, (res) => {
      const chunks: Buffer[] = [];
      let size = 0;
      res.on('data', (chunk: Buffer) => {
        if (size < options.snippetBytes) chunks.push(chunk);
        size += chunk.length;
      });
      res.on('end', () => {
        clearTimeout(timer);
        const text = Buffer.concat(chunks).subarray(0, options.snippetBytes).toString('utf8');
        resolve({ status: res.statusCode ?? 0, snippet: text.replace(/\s+/g, ' ').trim() });
      });
      res.on('error', fail);
    });
    // One limit for the whole exchange, not per socket read.
    const timer = setTimeout(() => {
      const timeout = new Error(`no answer within ${options.timeoutMs / 1000} s`);
      timeout.name = 'TimeoutError';
      req.destroy(timeout);
    }, options.timeoutMs);
    function fail(e: Error) {
      clearTimeout(timer);
      reject(e);
    }
    req.on('error', fail);
    req.end(body);
  });
}
