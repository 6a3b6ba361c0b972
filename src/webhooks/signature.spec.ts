import { createHmac } from 'node:crypto';
import { computeSignature, signatureHeader, verifySignature } from './signature';

describe('webhook signature', () => {
  const secret = 'c2VjcmV0LXNlY3JldC1zZWNyZXQtc2VjcmV0LXNlY3JldA';
  const body = '{"id":"d1","type":"SUBMIT","data":{"title":"假冒白酒"}}';
  const t = 1767225600;

  it('is HMAC-SHA256 over "<t>.<raw body>" keyed by the secret, in hex', () => {
    const expected = createHmac('sha256', secret).update(`${t}.${body}`).digest('hex');
    expect(computeSignature(secret, t, body)).toBe(expected);
    expect(signatureHeader(secret, body, t)).toBe(`t=${t},v1=${expected}`);
    // A known vector, so that a change of the scheme cannot pass unnoticed.
    expect(computeSignature('key', 0, 'x')).toBe(createHmac('sha256', 'key').update('0.x').digest('hex'));
    expect(computeSignature('key', 0, 'x')).toMatch(/^[0-9a-f]{64}$/);
  });

  it('changes with the body, the time and the secret', () => {
    const base = computeSignature(secret, t, body);
    expect(computeSignature(secret, t, body + ' ')).not.toBe(base);
    expect(computeSignature(secret, t + 1, body)).not.toBe(base);
    expect(computeSignature(secret + 'x', t, body)).not.toBe(base);
  });

  it('refuses a timestamp that is not whole unix seconds', () => {
    expect(() => signatureHeader(secret, body, 1.5)).toThrow();
    expect(() => signatureHeader(secret, body, -1)).toThrow();
  });

  it('verifies what it signs, and nothing else', () => {
    const header = signatureHeader(secret, body, t);
    expect(verifySignature(header, secret, body, { now: t + 10 })).toBe(true);
    expect(verifySignature(header, 'other', body, { now: t })).toBe(false);
    expect(verifySignature(header, secret, body.replace('SUBMIT', 'ACCEPT'), { now: t })).toBe(false);
    expect(verifySignature(header, secret, body, { now: t + 301 })).toBe(false); // replay window
    expect(verifySignature(header.replace(`t=${t}`, `t=${t + 1}`), secret, body, { now: t })).toBe(false);
    expect(verifySignature(`v1=${computeSignature(secret, t, body)}`, secret, body, { now: t })).toBe(false);
    expect(verifySignature('garbage', secret, body, { now: t })).toBe(false);
    // Several v1 values (a rotation) pass when one matches.
    expect(verifySignature(`t=${t},v1=${'0'.repeat(64)},v1=${computeSignature(secret, t, body)}`, secret, body, { now: t })).toBe(
      true,
    );
  });
});
