import { MigrationInterface, QueryRunner } from 'typeorm';

// The user lifecycle of API.md: users can be deactivated, and every token
// carries the user's token generation, bumped on a password change or reset,
// a role or agency change and (de)activation, so that older tokens stop
// working (a counter, not a time: JWT `iat` has one-second granularity and the
// token returned by a password change in the same second must still work).
// revoked_tokens is the logout denylist, kept until the token would expire anyway.
// Agencies can be deactivated too (PATCH /agencies/:id): no new users or keys join them.
export class UserLifecycle1764800000000 implements MigrationInterface {
  name = 'UserLifecycle1764800000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE agencies ADD COLUMN active boolean NOT NULL DEFAULT true`);
    await q.query(`ALTER TABLE users ADD COLUMN active boolean NOT NULL DEFAULT true`);
    await q.query(`ALTER TABLE users ADD COLUMN token_generation integer NOT NULL DEFAULT 0`);
    await q.query(`ALTER TABLE users ADD COLUMN tokens_valid_after timestamptz`);
    // The admin's user list pages in (created_at, id) order.
    await q.query(`CREATE INDEX users_created ON users (created_at, id)`);
    await q.query(`
      CREATE TABLE revoked_tokens (
        token_id uuid PRIMARY KEY,
        user_id uuid NOT NULL REFERENCES users(id),
        expires_at timestamptz NOT NULL
      )`);
    await q.query(`CREATE INDEX revoked_tokens_user ON revoked_tokens (user_id, expires_at)`);
    await q.query(`CREATE INDEX revoked_tokens_expiry ON revoked_tokens (expires_at)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE revoked_tokens`);
    await q.query(`DROP INDEX users_created`);
    await q.query(`ALTER TABLE users DROP COLUMN tokens_valid_after`);
    await q.query(`ALTER TABLE users DROP COLUMN token_generation`);
    await q.query(`ALTER TABLE users DROP COLUMN active`);
    await q.query(`ALTER TABLE agencies DROP COLUMN active`);
  }
}
