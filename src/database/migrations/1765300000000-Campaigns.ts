import { MigrationInterface, QueryRunner } from 'typeorm';

// The campaign register (issue 11 §4): a campaign such as Kunlun 2023 with its period,
// its fields (domains), the regions it runs in and its leading agencies. Referrals and
// administrative cases keep naming a campaign by its code (their `campaign` column, as
// before); the code is checked against this register when they are written, so no
// foreign key: rows written before the register existed keep their codes. An
// administrative case records the campaign suggested for it (period, field and region
// match) in `suggested_campaign`; a referral in its `facts`.
export class Campaigns1765300000000 implements MigrationInterface {
  name = 'Campaigns1765300000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE campaigns (
        id uuid PRIMARY KEY,
        code text NOT NULL UNIQUE CHECK (code ~ '^[a-z0-9-]{1,64}$'),
        name text NOT NULL CHECK (char_length(name) BETWEEN 1 AND 100),
        starts_on date NOT NULL,
        ends_on date NOT NULL CHECK (ends_on >= starts_on),
        domains text[] NOT NULL CHECK (cardinality(domains) >= 1),
        region_codes text[] NOT NULL CHECK (cardinality(region_codes) >= 1),
        leading_agency_ids uuid[] NOT NULL DEFAULT '{}',
        created_by uuid REFERENCES users(id),
        created_at timestamptz NOT NULL,
        updated_at timestamptz NOT NULL,
        version int NOT NULL DEFAULT 1
      )`);
    // The list, newest first; the suggestion reads the campaigns running on a date.
    await q.query(`CREATE INDEX campaigns_created ON campaigns (created_at DESC, id DESC)`);
    await q.query(`CREATE INDEX campaigns_period ON campaigns (starts_on, ends_on)`);
    await q.query(`ALTER TABLE admin_cases ADD COLUMN suggested_campaign text`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE admin_cases DROP COLUMN suggested_campaign`);
    await q.query(`DROP TABLE campaigns`);
  }
}
