// The console's strings: both languages have the same keys, and every key the
// code names — t('…') literally, or a family such as `state.${s}` over the
// API's values — exists.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import {
  ATTACHMENT_KINDS,
  DEADLINE_KINDS,
  DOMAINS,
  EVENT_TYPES,
  ROLES,
  AGENCY_KINDS,
  STATES,
  FINDINGS,
  PENALTY_DECISIONS,
  PENALTY_KINDS,
  RECOMMENDATION_OUTCOMES,
  RECOMMENDATION_STATES,
  REVERSE_BASES,
  REVERSE_OUTCOMES,
  REVERSE_STATES,
  SCREENING_FLAGS,
  WORKFLOW_DEADLINE_KINDS,
} from '../web/src/api/types';
import en from '../web/src/i18n/en';
import zh from '../web/src/i18n/zh';
import { WORKFLOW_FIELDS } from '../web/src/components/event-fields';
import { CLIENT_EVENT_TYPES as RECOMMENDATION_EVENTS } from '../workflows/transfer-recommendation/transfer-recommendation.types';
import { CLIENT_EVENT_TYPES as REVERSE_EVENTS } from '../workflows/reverse-transfer/reverse-transfer.types';

const SRC = join(__dirname, '..', 'web', 'src');

function keysOf(obj: object, prefix = ''): string[] {
  return Object.entries(obj).flatMap(([k, v]) => (typeof v === 'string' ? [`${prefix}${k}`] : keysOf(v, `${prefix}${k}.`)));
}

function sources(dir: string): string[] {
  return readdirSync(dir).flatMap((f) => {
    const p = join(dir, f);
    if (statSync(p).isDirectory()) return sources(p);
    return /\.tsx?$/.test(f) && !f.endsWith('.d.ts') ? [p] : [];
  });
}

const zhKeys = new Set(keysOf(zh));
const enKeys = new Set(keysOf(en));

test('Chinese and English have the same keys', () => {
  expect([...zhKeys].filter((k) => !enKeys.has(k))).toEqual([]);
  expect([...enKeys].filter((k) => !zhKeys.has(k))).toEqual([]);
});

test("every literal t('…') key and i18n key in the code exists", () => {
  const used = new Set<string>();
  for (const file of sources(SRC)) {
    const text = readFileSync(file, 'utf8');
    for (const m of text.matchAll(/\bt\(\s*'([a-zA-Z0-9_.-]+)'/g)) used.add(m[1]);
    for (const m of text.matchAll(/\b(?:nav|label): '([a-z]+\.[a-zA-Z0-9_.-]+)'/g)) used.add(m[1]);
  }
  expect(used.size).toBeGreaterThan(50);
  expect([...used].filter((k) => !zhKeys.has(k)).sort()).toEqual([]);
});

test('every value the API can send has its words', () => {
  const families: [string, readonly string[]][] = [
    ['state', STATES],
    ['domain', DOMAINS],
    ['event', EVENT_TYPES],
    ['deadlineKind', DEADLINE_KINDS],
    ['deadlineBasis', DEADLINE_KINDS],
    ['attachmentKind', ATTACHMENT_KINDS],
    ['role', ROLES],
    ['agencyKind', AGENCY_KINDS],
    ['tier', ['verification', 'complex', 'special']],
    ['recommendation', ['file', 'not-file']],
    ['outcome', ['prosecuted', 'investigation-terminated', 'reverse-transferred', 'declined', 'rectified']],
    ['deadlineStatus', ['pending', 'met', 'breached', 'paused', 'cancelled']],
    ['taskStatus', ['open', 'done']],
    ['substate', ['awaiting-procurator', 'reasons-required', 'reasons-submitted', 'filing-ordered']],
    // the administrative cases and the other workflows (their words under rec.* and rt.*: web/src/lib/workflows.ts)
    ['deadlineKind', WORKFLOW_DEADLINE_KINDS],
    ['deadlineBasis', WORKFLOW_DEADLINE_KINDS],
    ['penaltyKind', PENALTY_KINDS],
    ['finding', FINDINGS],
    ['screening', SCREENING_FLAGS],
    ['basis', REVERSE_BASES],
    ['decision', PENALTY_DECISIONS],
    ['rec.state', RECOMMENDATION_STATES],
    ['rec.outcome', RECOMMENDATION_OUTCOMES],
    ['rec.event', ['ISSUE', ...RECOMMENDATION_EVENTS, 'DEADLINE_REMINDER', 'DEADLINE_EXPIRED']],
    ['rt.state', REVERSE_STATES],
    ['rt.outcome', REVERSE_OUTCOMES],
    ['rt.event', [...REVERSE_EVENTS, 'DEADLINE_REMINDER', 'DEADLINE_EXPIRED']],
    ...['origin', 'follow-up', 'case'].map((r): [string, readonly string[]] => [
      `links.${r}`,
      ['referral', 'transfer-recommendation', 'reverse-transfer'],
    ]),
  ];
  const missing = families.flatMap(([family, values]) => values.map((v) => `${family}.${v}`).filter((k) => !zhKeys.has(k)));
  expect(missing).toEqual([]);
  const formLabels = Object.values(WORKFLOW_FIELDS).flatMap((table) =>
    Object.values(table).flatMap((fields) => fields.map((f) => f.label)),
  );
  expect(formLabels.filter((k) => !zhKeys.has(k))).toEqual([]);
});
