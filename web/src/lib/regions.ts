// Region containment as the service reads it (docs/api.md "Roles and scope"): a code
// ending in 0000 covers its province, one ending in 00 its prefecture, any other itself.

export type RegionLevel = 'national' | 'province' | 'prefecture' | 'district';

export function regionLevel(code: string): RegionLevel {
  if (code === '000000') return 'national'; // the admin agency's code: every region
  return code.endsWith('0000') ? 'province' : code.endsWith('00') ? 'prefecture' : 'district';
}

export function regionPrefix(code: string): string {
  const level = regionLevel(code);
  if (level === 'national') return '';
  return level === 'province' ? code.slice(0, 2) : level === 'prefecture' ? code.slice(0, 4) : code;
}

/** Does `region` contain `code`? */
export function covers(region: string, code: string): boolean {
  return code.startsWith(regionPrefix(region));
}

/**
 * The regions a caller may narrow to: its own, and the prefectures and districts under it
 * that agencies of the directory sit in (with their prefecture and province, where covered), broadest first.
 */
export function regionsWithin(own: string | null, agencyRegions: string[]): string[] {
  const found = new Set<string>();
  for (const code of agencyRegions) {
    if (!/^\d{6}$/.test(code)) continue;
    const wider = [`${code.slice(0, 4)}00`, `${code.slice(0, 2)}0000`];
    for (const c of [code, ...wider]) {
      if (c !== '000000' && (own === null || covers(own, c))) found.add(c);
    }
  }
  if (own) found.add(own);
  return [...found].sort((a, b) => regionPrefix(a).length - regionPrefix(b).length || a.localeCompare(b));
}
