import { MigrationInterface, QueryRunner } from 'typeorm';
import { randomUUID } from 'node:crypto';
import { identify, type StatedParty } from '../../../workflows/parties/party-identity';

// Parties (issue 11): the suspects of referrals and the parties of administrative
// cases, each known by a checked identifier or, failing one, by a normalised name;
// case_parties says which case states which party. Existing cases are backfilled
// here, in batches, with the same pure identify() the service uses.
export class Parties1765400000000 implements MigrationInterface {
  name = 'Parties1765400000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE parties (
        id uuid PRIMARY KEY,
        kind text NOT NULL CHECK (kind IN ('person', 'organization')),
        identifier text,
        name_key text NOT NULL,
        name text NOT NULL,
        created_at timestamptz NOT NULL
      )`);
    await q.query(`CREATE UNIQUE INDEX parties_identifier ON parties (kind, identifier) WHERE identifier IS NOT NULL`);
    await q.query(`CREATE UNIQUE INDEX parties_name_only ON parties (kind, name_key) WHERE identifier IS NULL`);
    // "possible" matches: organisations of the same normalised name
    await q.query(`CREATE INDEX parties_name_key ON parties (kind, name_key)`);
    await q.query(`
      CREATE TABLE case_parties (
        party_id uuid NOT NULL REFERENCES parties(id),
        referral_id uuid REFERENCES referrals(id),
        admin_case_id uuid REFERENCES admin_cases(id),
        created_at timestamptz NOT NULL,
        CHECK ((referral_id IS NULL) <> (admin_case_id IS NULL))
      )`);
    await q.query(
      `CREATE UNIQUE INDEX case_parties_referral ON case_parties (referral_id, party_id) WHERE referral_id IS NOT NULL`,
    );
    await q.query(
      `CREATE UNIQUE INDEX case_parties_admin_case ON case_parties (admin_case_id, party_id) WHERE admin_case_id IS NOT NULL`,
    );
    // the most recently linked cases of a party first (a hub party is stated by thousands)
    await q.query(`CREATE INDEX case_parties_party ON case_parties (party_id, created_at DESC)`);
    await backfill(q, `SELECT id, suspects AS parties, created_at FROM referrals WHERE workflow = 'referral'`, 'referral_id');
    await backfill(q, `SELECT id, parties, created_at FROM admin_cases`, 'admin_case_id');
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE IF EXISTS case_parties`);
    await q.query(`DROP TABLE IF EXISTS parties`);
  }
}

async function backfill(q: QueryRunner, select: string, column: 'referral_id' | 'admin_case_id'): Promise<void> {
  const BATCH = 1000;
  for (let after = '00000000-0000-0000-0000-000000000000'; ;) {
    const rows: { id: string; parties: StatedParty[]; created_at: Date }[] = await q.query(
      `SELECT * FROM (${select}) s WHERE s.id > $1 ORDER BY s.id LIMIT ${BATCH}`,
      [after],
    );
    if (rows.length === 0) return;
    for (const row of rows) {
      for (const stated of Array.isArray(row.parties) ? row.parties : []) {
        if (stated?.kind !== 'person' && stated?.kind !== 'organization') continue;
        const p = identify(stated);
        const [{ id }] = await q.query(
          `WITH new AS (
             INSERT INTO parties (id, kind, identifier, name_key, name, created_at) VALUES ($1, $2, $3, $4, $5, $6)
             ON CONFLICT DO NOTHING RETURNING id)
           SELECT id FROM new
           UNION ALL SELECT id FROM parties WHERE kind = $2 AND identifier IS NOT DISTINCT FROM $3
                                              AND ($3::text IS NOT NULL OR name_key = $4)
           LIMIT 1`,
          [randomUUID(), p.kind, p.identifier, p.nameKey, stated.name, row.created_at],
        );
        await q.query(`INSERT INTO case_parties (party_id, ${column}, created_at) VALUES ($1, $2, $3) ON CONFLICT DO NOTHING`, [
          id,
          row.id,
          row.created_at,
        ]);
      }
    }
    after = rows[rows.length - 1].id;
  }
}
