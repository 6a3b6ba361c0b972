import { validationFailed } from './problem';

/** If-Match: "3", 3 or W/"3" → 3; anything else is 400 (API.md "Concurrency"). */
export function parseIfMatch(header: string | undefined): number | undefined {
  if (header === undefined) return undefined;
  const m = /^\s*(?:W\/)?"?(\d+)"?\s*$/.exec(header);
  if (!m) throw validationFailed([{ field: 'If-Match', message: 'If-Match must be a version such as "3"' }]);
  return Number(m[1]);
}
