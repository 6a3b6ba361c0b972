import { MigrationInterface, QueryRunner } from 'typeorm';

// Evidence files attached to referrals (the bytes live content-addressed under
// DATA_DIR/attachments, these rows say what they are) and API keys for
// system-to-system clients.
export class EvidenceAndKeys1764600000000 implements MigrationInterface {
  name = 'EvidenceAndKeys1764600000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE attachments (
        id uuid PRIMARY KEY,
        referral_id uuid NOT NULL REFERENCES referrals(id),
        kind text NOT NULL CHECK (kind IN ('transfer-letter', 'investigation-report', 'item-inventory', 'test-report', 'other')),
        filename text NOT NULL,
        content_type text NOT NULL,
        size bigint NOT NULL CHECK (size > 0),
        sha256 char(64) NOT NULL CHECK (sha256 ~ '^[0-9a-f]{64}$'), -- names the stored file
        uploaded_by uuid NOT NULL REFERENCES users(id),
        agency_id uuid NOT NULL REFERENCES agencies(id), -- the uploader's agency at the time
        created_at timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(`CREATE INDEX attachments_referral ON attachments (referral_id, created_at, id)`);
    // Which rows share a stored file (content-addressed: equal bytes are stored once).
    await q.query(`CREATE INDEX attachments_sha256 ON attachments (sha256)`);

    await q.query(`
      CREATE TABLE api_keys (
        id uuid PRIMARY KEY,
        name text NOT NULL,
        key_prefix text NOT NULL, -- the first characters, to tell keys apart in listings
        -- SHA-256 of the whole key, not a slow salted hash: the key is 32 random bytes
        -- (256 bits), so guessing it from the hash is as hopeless as guessing the key,
        -- and an unsalted digest can be looked up through this unique index per request.
        key_hash char(64) NOT NULL UNIQUE,
        roles text[] NOT NULL,
        agency_id uuid NOT NULL REFERENCES agencies(id),
        -- The user row the key acts as: timeline attribution and idempotency keys
        -- refer to users. It has an unusable password, so nobody can log in as it.
        user_id uuid NOT NULL UNIQUE REFERENCES users(id),
        created_by uuid REFERENCES users(id),
        created_at timestamptz NOT NULL DEFAULT now(),
        revoked_at timestamptz,
        last_used_at timestamptz
      )`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE IF EXISTS api_keys`);
    await q.query(`DROP TABLE IF EXISTS attachments`);
  }
}
