// Keyset pagination: the cursor is the (createdAt, id) of the last item, opaque to clients.
import { validationFailed } from './problem';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export interface Cursor {
  at: string;
  id: string;
}

export function encodeCursor(at: Date | string, id: string): string {
  const iso = at instanceof Date ? at.toISOString() : at;
  return Buffer.from(JSON.stringify([iso, id])).toString('base64url');
}

export function decodeCursor(cursor: string | undefined): Cursor | null {
  if (!cursor) return null;
  try {
    const [at, id] = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
    if (typeof at !== 'string' || !UUID.test(String(id)) || Number.isNaN(Date.parse(at))) throw new Error();
    return { at, id };
  } catch {
    throw validationFailed([{ field: 'cursor', message: 'cursor is not valid' }]);
  }
}
