// Each timeline row's hash covers the previous row's hash and the canonical form
// of the event, so any later change to a row breaks the chain from there on.
import { createHash } from 'node:crypto';

export const GENESIS_HASH = '0'.repeat(64);

export interface ChainedEvent {
  referralId: string;
  seq: number;
  type: string;
  actor: { userId: string | null; agencyId: string | null; system: boolean };
  fromState: string | null;
  toState: string;
  payload: unknown;
  occurredAt: string; // ISO-8601, millisecond precision
}

/** JSON with object keys sorted at every level: the same event always hashes the same, whatever jsonb did to key order. */
export function canonicalJson(value: unknown): string {
  if (value === null || typeof value !== 'object') return JSON.stringify(value) ?? 'null';
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  const entries = Object.entries(value as Record<string, unknown>)
    .filter(([, v]) => v !== undefined)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`;
}

export function chainHash(prevHash: string, event: ChainedEvent): string {
  return createHash('sha256').update(prevHash).update('\n').update(canonicalJson(event)).digest('hex');
}
