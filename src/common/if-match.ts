// If-Match: "<version>" (API.md), as the referrals controller reads it; for the
// resources added after it. (src/referrals keeps its own copy until it moves here.)
import { validationFailed } from './problem';

export function parseIfMatch(header: string | undefined): number | undefined {
  if (header === undefined) return undefined;
  const m = /^\s*(?:W\/)?"?(\d+)"?\s*$/.exec(header);
  if (!m) throw validationFailed([{ field: 'If-Match', message: 'If-Match must be a version such as "3"' }]);
  return Number(m[1]);
}
