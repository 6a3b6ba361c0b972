import { MigrationInterface, QueryRunner } from 'typeorm';

// Administrative cases (cases an agency handled itself, with their penalty) and the
// versions of the screening rules they are checked against (issue 10). A case keeps
// the outcome of its last screening in columns, so the procuratorate's screening
// list is an index scan: region, flag, most serious first. The shipped rules are
// not inserted here: they are data in workflows/screening and loaded at boot when
// missing (ScreeningService.loadShippedRules), so a later shipped version needs no
// new migration.
export class AdminCases1765100000000 implements MigrationInterface {
  name = 'AdminCases1765100000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE screening_rules (
        code text NOT NULL CHECK (code ~ '^[a-z0-9-]{1,64}$'),
        version int NOT NULL CHECK (version >= 1),
        offence text NOT NULL,
        legal_basis text NOT NULL,
        domain text,
        effective_from date NOT NULL,
        effective_to date CHECK (effective_to IS NULL OR effective_to >= effective_from),
        condition jsonb NOT NULL,
        source text NOT NULL CHECK (source IN ('shipped', 'admin')),
        created_by uuid REFERENCES users(id),
        created_at timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (code, version)
      )`);
    await q.query(`
      CREATE TABLE admin_cases (
        id uuid PRIMARY KEY,
        agency_id uuid NOT NULL REFERENCES agencies(id),
        region_code text NOT NULL CHECK (region_code ~ '^[0-9]{6}$'),
        case_no text NOT NULL,
        domain text NOT NULL,
        title text NOT NULL,
        summary text NOT NULL,
        parties jsonb NOT NULL,
        facts jsonb NOT NULL,
        penalty jsonb NOT NULL,
        decided_at date NOT NULL,
        prior_penalties jsonb NOT NULL DEFAULT '[]',
        campaign text,
        act_date date NOT NULL,
        screening_flag text CHECK (screening_flag IN ('flagged', 'near')),
        screening_severity numeric(12,4) NOT NULL DEFAULT 0,
        screening_reasons jsonb NOT NULL DEFAULT '[]',
        screened_at timestamptz,
        content_hash char(64) NOT NULL,
        created_by uuid REFERENCES users(id),
        created_at timestamptz NOT NULL,
        updated_at timestamptz NOT NULL,
        version int NOT NULL DEFAULT 1,
        UNIQUE (agency_id, case_no)
      )`);
    // The lists: an agency's own cases, an overseer's region (LIKE prefix), newest first.
    await q.query(`CREATE INDEX admin_cases_agency_created ON admin_cases (agency_id, created_at DESC, id DESC)`);
    await q.query(`CREATE INDEX admin_cases_region_created ON admin_cases (region_code text_pattern_ops, created_at DESC)`);
    await q.query(`CREATE INDEX admin_cases_decided ON admin_cases (decided_at)`);
    await q.query(`CREATE INDEX admin_cases_campaign ON admin_cases (campaign) WHERE campaign IS NOT NULL`);
    // The screening list (flag=flagged|near): one flag, a region, most serious first.
    await q.query(`
      CREATE INDEX admin_cases_screening ON admin_cases
        (screening_flag, region_code text_pattern_ops, screening_severity DESC, id)
        WHERE screening_flag IS NOT NULL`);
    // Re-screening after a rule change reads the cases of a domain acted on in the rule's window.
    await q.query(`CREATE INDEX admin_cases_domain_act ON admin_cases (domain, act_date)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE IF EXISTS admin_cases`);
    await q.query(`DROP TABLE IF EXISTS screening_rules`);
  }
}
