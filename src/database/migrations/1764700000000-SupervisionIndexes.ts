import { MigrationInterface, QueryRunner } from 'typeorm';

// The supervision overdue view reads two ordered streams and merges them:
// unresolved breaches, and pending deadlines whose due time has passed. Each has
// a partial index in (due_at, id) order, the view's sort and cursor key, so a page
// is an index range scan plus a merge, whatever the size of the deadlines table.
export class SupervisionIndexes1764700000000 implements MigrationInterface {
  name = 'SupervisionIndexes1764700000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(
      `CREATE INDEX IF NOT EXISTS deadlines_breached_open_due ON deadlines (due_at, id) WHERE status = 'breached' AND resolved_at IS NULL`,
    );
    await q.query(`CREATE INDEX IF NOT EXISTS deadlines_pending_due ON deadlines (due_at, id) WHERE status = 'pending'`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP INDEX IF EXISTS deadlines_pending_due`);
    await q.query(`DROP INDEX IF EXISTS deadlines_breached_open_due`);
  }
}
