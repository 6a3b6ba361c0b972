import { MigrationInterface, QueryRunner } from 'typeorm';

// Case groups (并案, issue 11 §2): referrals that share parties, grouped under a lead
// police unit so that their states and deadlines are read together. The members stay
// separate procedures: nothing here touches the referrals' rows or machines. A
// membership row is never deleted: removal and dissolution stamp it (who, when, why),
// so the group's history is its rows. A referral is in at most one open group: one
// membership row without removed_at (a dissolved group's rows are stamped too).
export class CaseGroups1765530000000 implements MigrationInterface {
  name = 'CaseGroups1765530000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE case_groups (
        id uuid PRIMARY KEY,
        name text NOT NULL CHECK (char_length(name) BETWEEN 1 AND 200),
        lead_agency_id uuid NOT NULL REFERENCES agencies(id),
        reason text NOT NULL,
        created_by uuid,
        created_agency_id uuid NOT NULL REFERENCES agencies(id),
        created_at timestamptz NOT NULL,
        updated_at timestamptz NOT NULL,
        version int NOT NULL DEFAULT 1,
        dissolved_at timestamptz,
        dissolved_by uuid,
        dissolved_agency_id uuid REFERENCES agencies(id),
        dissolve_reason text,
        CHECK ((dissolved_at IS NULL) = (dissolve_reason IS NULL))
      )`);
    await q.query(`CREATE INDEX case_groups_created ON case_groups (created_at DESC, id DESC)`);
    await q.query(`
      CREATE TABLE case_group_members (
        id uuid PRIMARY KEY,
        group_id uuid NOT NULL REFERENCES case_groups(id),
        referral_id uuid NOT NULL REFERENCES referrals(id),
        added_by uuid,
        added_agency_id uuid NOT NULL REFERENCES agencies(id),
        added_at timestamptz NOT NULL,
        added_reason text NOT NULL,
        removed_at timestamptz,
        removed_by uuid,
        removed_agency_id uuid REFERENCES agencies(id),
        removed_reason text,
        -- removed: taken out of a group that goes on; dissolved: the group ended with it
        removal text CHECK (removal IN ('removed', 'dissolved')),
        CHECK ((removed_at IS NULL) = (removal IS NULL))
      )`);
    await q.query(`CREATE UNIQUE INDEX case_group_members_open ON case_group_members (referral_id) WHERE removed_at IS NULL`);
    await q.query(`CREATE INDEX case_group_members_group ON case_group_members (group_id, added_at)`);
    await q.query(`CREATE INDEX case_group_members_referral ON case_group_members (referral_id)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE IF EXISTS case_group_members`);
    await q.query(`DROP TABLE IF EXISTS case_groups`);
  }
}
