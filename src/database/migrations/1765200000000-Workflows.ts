import { MigrationInterface, QueryRunner } from 'typeorm';

// Several procedures on one instance table (docs/architecture.md "Workflows"):
// `workflow` names the procedure a row runs, `facts` holds what that procedure
// records beyond the shared columns, typed by its DTO; `origin_id` links an
// instance to the one it came from (a referral submitted on a recommendation, a
// reverse transfer after a referral), `admin_case_id` to the administrative case.
// Reference numbers are counted per series, so each procedure numbers its own.
export class Workflows1765200000000 implements MigrationInterface {
  name = 'Workflows1765200000000';

  async up(q: QueryRunner): Promise<void> {
    // Constant defaults: no table rewrite, existing rows are referrals.
    await q.query(`
      ALTER TABLE referrals
        ADD COLUMN workflow text NOT NULL DEFAULT 'referral' CHECK (workflow ~ '^[a-z][a-z0-9-]{0,63}$'),
        ADD COLUMN facts jsonb NOT NULL DEFAULT '{}',
        ADD COLUMN origin_id uuid REFERENCES referrals(id),
        ADD COLUMN admin_case_id uuid`);
    await q.query(`CREATE INDEX referrals_origin ON referrals (origin_id) WHERE origin_id IS NOT NULL`);
    await q.query(`CREATE INDEX referrals_admin_case ON referrals (admin_case_id) WHERE admin_case_id IS NOT NULL`);
    // Lists of the other procedures; referrals keep using the source/target/region indexes.
    await q.query(
      `CREATE INDEX referrals_workflow_created ON referrals (workflow, created_at DESC, id DESC) WHERE workflow <> 'referral'`,
    );
    await q.query(`ALTER TABLE reference_counters ADD COLUMN series text NOT NULL DEFAULT 'referral'`);
    await q.query(`ALTER TABLE reference_counters DROP CONSTRAINT reference_counters_pkey`);
    await q.query(`ALTER TABLE reference_counters ADD PRIMARY KEY (series, region_code, year)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DELETE FROM reference_counters WHERE series <> 'referral'`);
    await q.query(`ALTER TABLE reference_counters DROP CONSTRAINT reference_counters_pkey`);
    await q.query(`ALTER TABLE reference_counters DROP COLUMN series`);
    await q.query(`ALTER TABLE reference_counters ADD PRIMARY KEY (region_code, year)`);
    await q.query(`DROP INDEX IF EXISTS referrals_workflow_created`);
    await q.query(`DROP INDEX IF EXISTS referrals_admin_case`);
    await q.query(`DROP INDEX IF EXISTS referrals_origin`);
    await q.query(
      `ALTER TABLE referrals DROP COLUMN workflow, DROP COLUMN facts, DROP COLUMN origin_id, DROP COLUMN admin_case_id`,
    );
  }
}
