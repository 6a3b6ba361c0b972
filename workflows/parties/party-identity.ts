// Who a party is, from what a case states about it: a person by resident ID
// number (GB 11643: 18 characters, the last a check digit), an organisation by
// unified social credit code (GB 32100: 18 characters, the last a check
// character), anyone else by a normalised name. Pure: no database.
//
// An identifier whose check fails identifies nobody (a typo would link strangers
// or split one party in two): the party is then known by its name only, as a
// "possible" match, and the case still records what was stated.

export type PartyKind = 'person' | 'organization';

export interface StatedParty {
  kind: PartyKind;
  name: string;
  idNumber?: string;
}

export interface PartyIdentity {
  kind: PartyKind;
  /** The checked identifier (upper case), or null: known by name only. */
  identifier: string | null;
  /** The name as compared: full-width folded, spaces, punctuation and company suffixes gone. */
  nameKey: string;
}

const ID_WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
const ID_CHECK = '10X98765432';

/** GB 11643-1999: 17 digits (region, birth date, sequence) and a check digit over them (mod 11). */
export function isResidentId(value: string): boolean {
  const s = value.toUpperCase();
  if (!/^\d{17}[\dX]$/.test(s)) return false;
  const sum = ID_WEIGHTS.reduce((acc, w, i) => acc + w * Number(s[i]), 0);
  return ID_CHECK[sum % 11] === s[17];
}

const CODE_CHARS = '0123456789ABCDEFGHJKLMNPQRTUWXY'; // no I, O, S, V, Z
const CODE_WEIGHTS = [1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28];

/** GB 32100-2015: 17 characters of the code set and a check character over them (mod 31). */
export function isCreditCode(value: string): boolean {
  const s = value.toUpperCase();
  if (s.length !== 18 || [...s].some((c) => !CODE_CHARS.includes(c))) return false;
  const sum = CODE_WEIGHTS.reduce((acc, w, i) => acc + w * CODE_CHARS.indexOf(s[i]), 0);
  return CODE_CHARS[(31 - (sum % 31)) % 31] === s[17];
}

/** The check character a 17-character prefix needs (for tests and fixtures). */
export const creditCodeCheck = (prefix17: string): string =>
  CODE_CHARS[(31 - (CODE_WEIGHTS.reduce((a, w, i) => a + w * CODE_CHARS.indexOf(prefix17[i]), 0) % 31)) % 31];
export const residentIdCheck = (prefix17: string): string =>
  ID_CHECK[ID_WEIGHTS.reduce((a, w, i) => a + w * Number(prefix17[i]), 0) % 11];

// Longest first, so 股份有限公司 goes before 有限公司 before 公司.
const COMPANY_SUFFIXES = [
  '有限责任公司',
  '股份有限公司',
  '有限公司',
  '分公司',
  '集团',
  '公司',
  '商行',
  '厂',
  'company limited',
  'co ltd',
  'limited',
  'company',
  'corp',
  'inc',
  'llc',
  'ltd',
  'co',
];

/** 'ＡＢＣ 贸易 有限公司' and 'abc贸易公司' are one name: NFKC folds full-width forms, then spaces, punctuation and suffixes go. */
export function normaliseName(name: string, kind: PartyKind): string {
  let s = name.normalize('NFKC').toLowerCase();
  s = s.replace(/[\s\p{P}\p{S}]+/gu, ' ').trim();
  if (kind === 'organization') {
    for (let changed = true; changed;) {
      changed = false;
      for (const suffix of COMPANY_SUFFIXES) {
        if (s.endsWith(suffix) && s.length > suffix.length) {
          s = s.slice(0, -suffix.length).trim();
          changed = true;
        }
      }
    }
  }
  return s.replace(/ /g, '');
}

/** A stated party's identity: its identifier when the check holds, its normalised name always. */
export function identify(p: StatedParty): PartyIdentity {
  const id = p.idNumber?.trim().toUpperCase();
  const valid = id ? (p.kind === 'person' ? isResidentId(id) : isCreditCode(id)) : false;
  return { kind: p.kind, identifier: valid ? id! : null, nameKey: normaliseName(p.name, p.kind) };
}
