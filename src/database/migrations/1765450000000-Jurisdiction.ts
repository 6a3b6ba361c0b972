import { MigrationInterface, QueryRunner } from 'typeorm';

// Elevated and designated jurisdiction (issue 11 §2): a referral taken over by a
// superior police unit, or assigned by one to another unit, keeps the units it left
// readable. The list is the machine's context.formerTargetIds, written with every step
// like target_agency_id, so the access policy reads it in SQL. A constant default: no
// rewrite of the table.
export class Jurisdiction1765450000000 implements MigrationInterface {
  name = 'Jurisdiction1765450000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE referrals ADD COLUMN former_target_ids uuid[] NOT NULL DEFAULT '{}'`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE referrals DROP COLUMN former_target_ids`);
  }
}
