// The data-access rules of DESIGN.md as a test: each table's SQL lives in its
// repository (the only `FROM`/`JOIN <table>` in the code), and the access policy
// is written once, in src/auth. A violation is reported as file:line.
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';

const ROOT = join(__dirname, '..');

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const path = join(dir, e.name);
    if (e.isDirectory()) return e.name === 'migrations' ? [] : sourceFiles(path);
    return e.name.endsWith('.ts') && !e.name.endsWith('.spec.ts') ? [relative(ROOT, path)] : [];
  });
}

interface Rule {
  what: string;
  pattern: RegExp;
  /** The files that may contain it. */
  allowed: string[];
}

/** Every line of `files` that matches a rule's pattern outside the files it allows, as file:line: text. */
export function violations(rules: Rule[], files: { path: string; text: string }[]): string[] {
  const found: string[] = [];
  for (const { path, text } of files) {
    text.split('\n').forEach((line, i) => {
      for (const rule of rules) {
        if (rule.pattern.test(line) && !rule.allowed.includes(path)) found.push(`${path}:${i + 1}: ${rule.what}: ${line.trim()}`);
      }
    });
  }
  return found;
}

const reads = (table: string) => new RegExp(`\\b(FROM|JOIN)\\s+${table}\\b`);

// Tables whose SQL is not all in one repository yet: the timeline's reads for its views
// and fan-out, and the outbox's consumers. Each entry goes when that code moves.
const ALSO_READ_BY = {
  referral_events: [
    'src/audit/referral-events.repository.ts',
    'src/audit/audit.service.ts',
    'src/webhooks/webhook.processor.ts',
    // the timeline facts stats and notification texts need (the decision, the event's time)
    'src/referrals/referrals.repository.ts',
    'src/deadlines/deadlines.repository.ts',
  ],
  outbox: [
    'src/outbox/outbox.repository.ts',
    'src/outbox/outbox.relay.ts',
    // the calendar reminder is written once per year: its query skips years already in the outbox
    'src/deadlines/deadlines.repository.ts',
    'src/notifications/notification.processor.ts',
    'src/ops/metrics.service.ts',
  ],
};

const RULES: Rule[] = [
  {
    what: 'reads referrals',
    pattern: reads('referrals'),
    allowed: ['src/referrals/referrals.repository.ts'],
  },
  {
    what: 'reads deadlines',
    pattern: reads('deadlines'),
    allowed: ['src/deadlines/deadlines.repository.ts'],
  },
  { what: 'reads admin_cases', pattern: reads('admin_cases'), allowed: ['src/admin-cases/admin-cases.repository.ts'] },
  { what: 'reads campaigns', pattern: reads('campaigns'), allowed: ['src/campaigns/campaigns.repository.ts'] },
  { what: 'reads screening_rules', pattern: reads('screening_rules'), allowed: ['src/screening/screening-rules.repository.ts'] },
  { what: 'reads parties', pattern: reads('parties'), allowed: ['src/parties/parties.repository.ts'] },
  { what: 'reads case_parties', pattern: reads('case_parties'), allowed: ['src/parties/parties.repository.ts'] },
  { what: 'reads case_groups', pattern: reads('case_groups'), allowed: ['src/case-groups/case-groups.repository.ts'] },
  {
    what: 'reads case_group_members',
    pattern: reads('case_group_members'),
    allowed: ['src/case-groups/case-groups.repository.ts'],
  },
  { what: 'reads notifications', pattern: reads('notifications'), allowed: ['src/notifications/notifications.repository.ts'] },
  { what: 'reads referral_events', pattern: reads('referral_events'), allowed: ALSO_READ_BY.referral_events },
  { what: 'reads outbox', pattern: reads('outbox'), allowed: ALSO_READ_BY.outbox },
  // The access policy: region arithmetic, the scope condition and the masking decision, once each.
  { what: 'region SQL', pattern: /region_prefix\s*\(/, allowed: ['src/auth/regions.ts'] },
  { what: 'region arithmetic', pattern: /endsWith\(\s*'0{2,4}'\s*\)/, allowed: ['src/auth/regions.ts'] },
  {
    what: 'scope SQL',
    pattern: /\.condition\(|scopeCondition|rectification_tasks st\b/,
    allowed: [
      'src/auth/scope.ts',
      'src/referrals/referrals.repository.ts',
      'src/admin-cases/admin-cases.repository.ts',
      // a case group is visible through its members: the referrals' visibility, composed in its SQL
      'src/case-groups/case-groups.repository.ts',
    ],
  },
  { what: 'masking decision', pattern: /\bmaskIdNumbers\b/, allowed: ['src/auth/scope.ts', 'src/common/mask.ts'] },
];

describe('architecture', () => {
  const files = sourceFiles(join(ROOT, 'src')).map((path) => ({ path, text: readFileSync(join(ROOT, path), 'utf8') }));

  it('each table is read only by its repository, and the access policy lives in src/auth', () => {
    expect(violations(RULES, files)).toEqual([]);
  });

  it('catches a stray read and names where it is', () => {
    const stray = {
      path: 'src/elsewhere.ts',
      text: 'const a = 1;\nq.query(`SELECT * FROM referrals r JOIN deadlines d ON d.referral_id = r.id`);',
    };
    expect(violations(RULES, [stray])).toEqual([
      'src/elsewhere.ts:2: reads referrals: q.query(`SELECT * FROM referrals r JOIN deadlines d ON d.referral_id = r.id`);',
      'src/elsewhere.ts:2: reads deadlines: q.query(`SELECT * FROM referrals r JOIN deadlines d ON d.referral_id = r.id`);',
    ]);
  });

  it('sees the repositories themselves (the scan reads the real files)', () => {
    const owners = files.filter((f) => f.path.endsWith('.repository.ts')).map((f) => f.path);
    expect(owners).toEqual(
      expect.arrayContaining([
        'src/referrals/referrals.repository.ts',
        'src/deadlines/deadlines.repository.ts',
        'src/notifications/notifications.repository.ts',
        'src/campaigns/campaigns.repository.ts',
      ]),
    );
    const referrals = files.find((f) => f.path === 'src/referrals/referrals.repository.ts')!;
    expect(reads('referrals').test(referrals.text)).toBe(true);
  });
});
