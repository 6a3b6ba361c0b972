// Suspect ID numbers are shown in full only to the two parties of a transfer
// (auth/scope.ts seesSuspectIds). Masking walks the stored value itself, so a
// value of an unexpected shape (a nested array, a stray object) cannot carry an
// ID number past it: every `idNumber` key at any depth is masked.

/** 91330100MA2XXXXX12 → 9133************12: keeps the first four and last two characters. */
export function maskIdNumber(id: string): string {
  if (id.length <= 6) return '*'.repeat(id.length);
  return id.slice(0, 4) + '*'.repeat(id.length - 6) + id.slice(-2);
}

const ID_KEY = 'idnumber';

/** A copy of `value` with every `idNumber` (any case, any depth) masked; anything not a string there becomes stars. */
export function maskIdNumbers<T>(value: T): T {
  if (Array.isArray(value)) return value.map(maskIdNumbers) as T;
  if (value === null || typeof value !== 'object') return value;
  const copy: Record<string, unknown> = {};
  for (const [key, v] of Object.entries(value as Record<string, unknown>)) {
    if (key.toLowerCase() !== ID_KEY) copy[key] = maskIdNumbers(v);
    else if (typeof v === 'string' || typeof v === 'number') copy[key] = maskIdNumber(String(v));
    else copy[key] = v === null ? null : '******';
  }
  return copy as T;
}
