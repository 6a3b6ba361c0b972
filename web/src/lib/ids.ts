// Client-side checks of suspects' identifiers by their check characters, so a
// typo is caught before the form is sent.

const RESIDENT_WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
const RESIDENT_CHECK = '10X98765432';

/** GB 11643-1999: 17 digits (region, birth date, sequence) and an ISO 7064 MOD 11-2 check character. */
export function isResidentId(value: string): boolean {
  const id = value.toUpperCase();
  if (!/^\d{17}[\dX]$/.test(id)) return false;
  const sum = RESIDENT_WEIGHTS.reduce((acc, w, i) => acc + w * Number(id[i]), 0);
  return RESIDENT_CHECK[sum % 11] === id[17];
}

const USCC_CHARS = '0123456789ABCDEFGHJKLMNPQRTUWXY'; // no I, O, S, V, Z
const USCC_WEIGHTS = [1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28];

/** GB 32100-2015: the unified social credit code, 18 characters with a MOD 31 check character. */
export function isSocialCreditCode(value: string): boolean {
  const code = value.toUpperCase();
  if (code.length !== 18 || [...code].some((c) => !USCC_CHARS.includes(c))) return false;
  const sum = USCC_WEIGHTS.reduce((acc, w, i) => acc + w * USCC_CHARS.indexOf(code[i]), 0);
  const check = (31 - (sum % 31)) % 31;
  return USCC_CHARS[check] === code[17];
}
