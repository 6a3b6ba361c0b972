// Idempotency-Key on creating POSTs (API.md): the first request with a key claims
// it in the caller's transaction; a repeat with the same body answers with what the
// first created, a different body is 409.
import { createHash } from 'node:crypto';
import type { EntityManager } from 'typeorm';
import { canonicalJson } from '../audit/hash-chain';
import { DomainException, validationFailed } from './problem';

export const requestHashOf = (body: unknown) => createHash('sha256').update(canonicalJson(body)).digest('hex');

/** null: the key is new and now claimed; otherwise the id the first request created. */
export async function claimIdempotencyKey(
  tx: EntityManager,
  userId: string,
  key: string,
  requestHash: string,
): Promise<string | null> {
  if (key.length > 200) throw validationFailed([{ field: 'Idempotency-Key', message: 'at most 200 characters' }]);
  // A concurrent request with the same key waits here until the first commits.
  const [inserted] = await tx.query(
    `INSERT INTO idempotency_keys (user_id, key, request_hash) VALUES ($1, $2, $3) ON CONFLICT DO NOTHING RETURNING key`,
    [userId, key, requestHash],
  );
  if (inserted) return null;
  const [first] = await tx.query(`SELECT request_hash, response_body FROM idempotency_keys WHERE user_id = $1 AND key = $2`, [
    userId,
    key,
  ]);
  if (first.request_hash !== requestHash) {
    throw new DomainException('IDEMPOTENCY_KEY_REUSED', 'This Idempotency-Key was used with a different body');
  }
  return first.response_body.referralId as string;
}

/** Remembers what the claimed key created (any workflow's instance id, stored as referralId). */
export async function recordIdempotentResult(tx: EntityManager, userId: string, key: string, instanceId: string) {
  await tx.query(`UPDATE idempotency_keys SET response_status = 201, response_body = $3 WHERE user_id = $1 AND key = $2`, [
    userId,
    key,
    { referralId: instanceId },
  ]);
}
