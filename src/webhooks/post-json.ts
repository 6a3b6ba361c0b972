// POSTs a webhook body. When the SSRF guard hands over the address it checked, the
// connection goes to exactly that address (the URL's name still sets Host and TLS
// SNI/certificate checks), so a name that resolves elsewhere a moment later (DNS
// rebinding) cannot turn the request towards a private address.
import { request as httpRequest, type RequestOptions } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { isIP, type LookupFunction } from 'node:net';

export interface PostResult {
  status: number;
  /** The status line's reason phrase, for the deliveries list; the body is drained unread (it is the target's business). */
  reason: string;
}

export interface PostOptions {
  address?: string;
  timeoutMs: number;
}

const MAX_REASON_CHARS = 64;

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
      res.resume(); // drain without keeping anything
      res.on('end', () => {
        clearTimeout(timer);
        // eslint-disable-next-line no-control-regex -- a reason phrase is shown as text: no control characters
        const reason = (res.statusMessage ?? '').replace(/[\u0000-\u001f\u007f]/g, '').trim();
        resolve({ status: res.statusCode ?? 0, reason: [...reason].slice(0, MAX_REASON_CHARS).join('') });
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
