// X-CaseLink-Signature: t=<unix seconds>,v1=<hex HMAC-SHA256(secret, "<t>.<raw body>")>
// The key is the subscription secret exactly as it was shown to the client
// (its UTF-8 bytes). The timestamp lets a receiver refuse replays.
import { createHmac, timingSafeEqual } from 'node:crypto';

export function computeSignature(secret: string, timestamp: number, rawBody: string): string {
  return createHmac('sha256', secret).update(`${timestamp}.${rawBody}`, 'utf8').digest('hex');
}

/** The header value for a body sent at `timestamp` (unix seconds). */
export function signatureHeader(secret: string, rawBody: string, timestamp: number): string {
  if (!Number.isInteger(timestamp) || timestamp < 0) throw new Error('timestamp must be whole unix seconds');
  return `t=${timestamp},v1=${computeSignature(secret, timestamp, rawBody)}`;
}

/**
 * What a receiver does: parse the header, recompute, compare in constant time,
 * and refuse timestamps further than `toleranceSeconds` from `now`.
 */
export function verifySignature(
  header: string,
  secret: string,
  rawBody: string,
  options: { now?: number; toleranceSeconds?: number } = {},
): boolean {
  const fields = new Map<string, string[]>();
  for (const part of header.split(',')) {
    const eq = part.indexOf('=');
    if (eq <= 0) return false;
    const key = part.slice(0, eq).trim();
    fields.set(key, [...(fields.get(key) ?? []), part.slice(eq + 1).trim()]);
  }
  const t = fields.get('t');
  if (!t || t.length !== 1 || !/^\d+$/.test(t[0])) return false;
  const timestamp = Number(t[0]);
  const now = options.now ?? Math.floor(Date.now() / 1000);
  if (Math.abs(now - timestamp) > (options.toleranceSeconds ?? 300)) return false;
  const expected = Buffer.from(computeSignature(secret, timestamp, rawBody), 'hex');
  return (fields.get('v1') ?? []).some((v) => {
    if (!/^[0-9a-f]{64}$/.test(v)) return false;
    return timingSafeEqual(Buffer.from(v, 'hex'), expected);
  });
}
