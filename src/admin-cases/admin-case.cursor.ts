// The list's keyset cursor, opaque to clients: newest first it is common/cursor's
// (createdAt, id); on the screening list (a flag given) it is (severity, id).
import { decodeCursor, encodeCursor } from '../common/cursor';
import { validationFailed } from '../common/problem';
import type { AdminCaseAfter, AdminCaseRow } from './admin-cases.repository';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export function encodeAdminCaseCursor(last: AdminCaseRow, bySeverity: boolean): string {
  if (!bySeverity) return encodeCursor(last.createdAt, last.id);
  return Buffer.from(JSON.stringify(['severity', last.screening.severity, last.id])).toString('base64url');
}

/** Strict: a cursor that does not decode, or one of the other order, is a 400. */
export function decodeAdminCaseCursor(cursor: string | undefined, bySeverity: boolean): AdminCaseAfter | null {
  if (cursor === undefined || cursor === '') return null;
  if (!bySeverity) {
    const c = decodeCursor(cursor)!;
    return { kind: 'created', at: c.at, id: c.id };
  }
  try {
    if (!/^[A-Za-z0-9_-]+$/.test(cursor)) throw new Error('not base64url');
    const decoded: unknown = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
    if (!Array.isArray(decoded) || decoded.length !== 3 || decoded[0] !== 'severity') throw new Error('not ours');
    const [, severity, id] = decoded;
    if (typeof severity !== 'number' || !Number.isFinite(severity) || severity < 0 || severity > 1e8) throw new Error('severity');
    if (typeof id !== 'string' || !UUID.test(id)) throw new Error('id');
    return { kind: 'severity', severity, id };
  } catch {
    throw validationFailed([{ field: 'cursor', message: 'cursor is not valid' }]);
  }
}
