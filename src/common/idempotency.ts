// Idempotency-Key on creating POSTs (API.md): the key is claimed in the creating
// transaction; a concurrent request with the same key waits until the first
// commits; a repeat with the same body gets the first answer's body, with another
// body 409. The hash names the resource (every one but the referral's, whose stored
// keys predate it), so a key reused across resources is "a different body".
import { createHash } from 'node:crypto';
import { canonicalJson } from '../audit/hash-chain';
import { DomainException, validationFailed } from './problem';
import type { Queryable } from './sql-params';

export const requestHash = (resource: string | null, body: unknown) =>
  createHash('sha256')
    .update(resource ? `${resource}\n${canonicalJson(body)}` : canonicalJson(body))
    .digest('hex');

/** null: the key is new and now held by this transaction; otherwise the first response's body. */
export async function claimIdempotencyKey(
  tx: Queryable,
  userId: string,
  key: string,
  hash: string,
): Promise<Record<string, unknown> | null> {
  if (key.length > 200) throw validationFailed([{ field: 'Idempotency-Key', message: 'at most 200 characters' }]);
  const [inserted] = await tx.query(
    `INSERT INTO idempotency_keys (user_id, key, request_hash) VALUES ($1, $2, $3) ON CONFLICT DO NOTHING RETURNING key`,
    [userId, key, hash],
  );
  if (inserted) return null;
  const [first] = await tx.query(`SELECT request_hash, response_body FROM idempotency_keys WHERE user_id = $1 AND key = $2`, [
    userId,
    key,
  ]);
  if (first.request_hash !== hash) {
    throw new DomainException('IDEMPOTENCY_KEY_REUSED', 'This Idempotency-Key was used with a different body');
  }
  return first.response_body;
}

/** Records the answer of the request that claimed the key (instances store {referralId}: their id). */
export async function recordIdempotentResponse(
  tx: Queryable,
  userId: string,
  key: string,
  status: number,
  body: Record<string, unknown>,
): Promise<void> {
  await tx.query(`UPDATE idempotency_keys SET response_status = $3, response_body = $4 WHERE user_id = $1 AND key = $2`, [
    userId,
    key,
    status,
    body,
  ]);
}
