// Keyset pagination: the cursor is the (createdAt, id) of the last item, opaque to clients.
// Decoding is strict: a timestamp PostgreSQL would refuse (2026-02-30, year +275760, "1")
// is a 400 here, never a database error.
import { validationFailed } from './problem';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
// ISO-8601 with an offset, as the service writes them (millisecond or microsecond precision).
const ISO_INSTANT = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})(?:\.\d{1,6})?(?:Z|([+-])(\d{2}):(\d{2}))$/;

export interface Cursor {
  at: string;
  id: string;
}

export function encodeCursor(at: Date | string, id: string): string {
  const iso = at instanceof Date ? at.toISOString() : at;
  return Buffer.from(JSON.stringify([iso, id])).toString('base64url');
}

/** A real instant in years 1970–9999: every field in range and the calendar date existing (round trip through Date.UTC). */
export function isStrictInstant(text: string): boolean {
  const m = ISO_INSTANT.exec(text);
  if (!m) return false;
  const [year, month, day, hour, minute, second] = m.slice(1, 7).map(Number);
  const date = new Date(Date.UTC(year, month - 1, day));
  const dateExists = date.getUTCFullYear() === year && date.getUTCMonth() === month - 1 && date.getUTCDate() === day;
  const offsetOk = m[7] === undefined || (Number(m[8]) <= 14 && Number(m[9]) <= 59);
  return year >= 1970 && dateExists && hour <= 23 && minute <= 59 && second <= 59 && offsetOk;
}

export function decodeCursor(cursor: string | undefined): Cursor | null {
  if (cursor === undefined || cursor === '') return null;
  try {
    if (!/^[A-Za-z0-9_-]+$/.test(cursor)) throw new Error('not base64url');
    const decoded: unknown = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
    if (!Array.isArray(decoded) || decoded.length !== 2) throw new Error('not a pair');
    const [at, id] = decoded;
    if (typeof at !== 'string' || typeof id !== 'string' || !UUID.test(id) || !isStrictInstant(at)) throw new Error('bad fields');
    return { at, id };
  } catch {
    throw validationFailed([{ field: 'cursor', message: 'cursor is not valid' }]);
  }
}
