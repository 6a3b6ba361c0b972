import { MigrationInterface, QueryRunner } from 'typeorm';

// The controllable clock's offset lives here, not in Redis alone: a Redis flush
// or restart must never move the service clock back. One row; the offset only grows.
// Deadlines say whether they were counted on the provisional calendar of a year
// not yet published, and the sweeper finds those quickly to remind the admins.
export class Reliability1764900000000 implements MigrationInterface {
  name = 'Reliability1764900000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE test_clock (
        id boolean PRIMARY KEY DEFAULT true CHECK (id),
        offset_ms bigint NOT NULL DEFAULT 0 CHECK (offset_ms >= 0),
        updated_at timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(`ALTER TABLE deadlines ADD COLUMN provisional boolean NOT NULL DEFAULT false`);
    await q.query(
      `CREATE INDEX deadlines_open_incomplete ON deadlines (due_at) WHERE calendar_incomplete AND status IN ('pending', 'paused')`,
    );
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP INDEX IF EXISTS deadlines_open_incomplete`);
    await q.query(`ALTER TABLE deadlines DROP COLUMN IF EXISTS provisional`);
    await q.query(`DROP TABLE IF EXISTS test_clock`);
  }
}
