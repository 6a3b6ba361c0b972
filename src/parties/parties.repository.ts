// The parties and case_parties tables' SQL: the only FROM of either. A party is
// found by its checked identifier or, without one, by its normalised name; two
// cases are linked when they state the same party ("confirmed" when it has an
// identifier, "possible" when it is known by name only) or organisations of the
// same normalised name where one of them has no identifier ("possible").
import type { PartyIdentity } from '../../workflows/parties/party-identity';
import { SqlParams, type Queryable } from '../common/sql-params';

/** A case as the parties tables name it: an instance (a referral) or an administrative case. */
export type CaseRef = { type: 'referral'; id: string } | { type: 'admin-case'; id: string };

export interface PartyRow {
  id: string;
  kind: 'person' | 'organization';
  identifier: string | null;
  nameKey: string;
  name: string;
}

const toParty = (r: Record<string, any>): PartyRow => ({
  id: r.id,
  kind: r.kind,
  identifier: r.identifier,
  nameKey: r.name_key,
  name: r.name,
});

const column = (c: CaseRef) => (c.type === 'referral' ? 'referral_id' : 'admin_case_id');

/** The party of this identity, created when new (concurrent creators meet on the unique indexes). */
export async function upsertParty(q: Queryable, id: string, p: PartyIdentity, name: string, at: Date): Promise<string> {
  const [row] = await q.query(
    `WITH new AS (
       INSERT INTO parties (id, kind, identifier, name_key, name, created_at) VALUES ($1, $2, $3, $4, $5, $6)
       ON CONFLICT DO NOTHING RETURNING id)
     SELECT id FROM new
     UNION ALL
     SELECT id FROM parties WHERE kind = $2 AND identifier IS NOT DISTINCT FROM $3 AND ($3::text IS NOT NULL OR name_key = $4)
     LIMIT 1`,
    [id, p.kind, p.identifier, p.nameKey, name, at],
  );
  if (row) return row.id;
  // Inserted by a concurrent transaction not yet visible to ON CONFLICT's snapshot: read again.
  const [again] = await q.query(
    `SELECT id FROM parties WHERE kind = $1 AND identifier IS NOT DISTINCT FROM $2 AND ($2::text IS NOT NULL OR name_key = $3)`,
    [p.kind, p.identifier, p.nameKey],
  );
  return again.id;
}

export async function attachParties(q: Queryable, c: CaseRef, partyIds: string[], at: Date): Promise<void> {
  if (partyIds.length === 0) return;
  await q.query(
    `INSERT INTO case_parties (party_id, ${column(c)}, created_at)
     SELECT unnest($1::uuid[]), $2, $3 ON CONFLICT DO NOTHING`,
    [partyIds, c.id, at],
  );
}

/** Replaces a case's parties (an administrative case re-imported with other parties). */
export async function detachParties(q: Queryable, c: CaseRef): Promise<void> {
  await q.query(`DELETE FROM case_parties WHERE ${column(c)} = $1`, [c.id]);
}

export async function partiesOf(q: Queryable, c: CaseRef): Promise<PartyRow[]> {
  const rows = await q.query(
    `SELECT p.* FROM parties p JOIN case_parties cp ON cp.party_id = p.id WHERE cp.${column(c)} = $1 ORDER BY p.kind, p.name_key, p.id`,
    [c.id],
  );
  return rows.map(toParty);
}

export async function readParty(q: Queryable, id: string): Promise<PartyRow | null> {
  const [row] = await q.query(`SELECT * FROM parties WHERE id = $1`, [id]);
  return row ? toParty(row) : null;
}

/** One other case sharing (or possibly sharing) a party with the given ones. */
export interface SharedCase {
  case: CaseRef;
  /** This side's party that links it. */
  partyId: string;
  /** The other case's party (the same one unless matched by name). */
  otherPartyId: string;
  match: 'confirmed' | 'possible';
}

/**
 * The cases other than `except` that state one of `partyIds`, or an organisation of
 * the same name where one has no identifier: the `limit` most recently linked (a party
 * stated by thousands of cases is a hub, and a list of thousands helps no one).
 */
export async function casesSharing(q: Queryable, partyIds: string[], except?: CaseRef, limit = 200): Promise<SharedCase[]> {
  if (partyIds.length === 0) return [];
  const params = new SqlParams();
  const mine = params.add(partyIds);
  const notThis = except ? `AND cp.${column(except)} IS DISTINCT FROM ${params.add(except.id)}` : '';
  const rows = await q.query(
    `WITH mine AS (SELECT * FROM parties WHERE id = ANY(${mine}::uuid[])),
          matched AS (
            SELECT m.id AS party_id, m.id AS other_party_id,
                   CASE WHEN m.identifier IS NOT NULL THEN 'confirmed' ELSE 'possible' END AS match
              FROM mine m
            UNION
            SELECT m.id, o.id, 'possible'
              FROM mine m JOIN parties o
                ON o.kind = 'organization' AND m.kind = 'organization' AND o.name_key = m.name_key AND o.id <> m.id
               AND (o.identifier IS NULL OR m.identifier IS NULL))
     SELECT mt.party_id, mt.other_party_id, mt.match, cp.referral_id, cp.admin_case_id
       FROM matched mt JOIN case_parties cp ON cp.party_id = mt.other_party_id
      WHERE TRUE ${notThis}
      ORDER BY cp.created_at DESC, cp.referral_id, cp.admin_case_id, mt.party_id
      LIMIT ${params.add(limit)}`,
    params.values,
  );
  return rows.map((r: Record<string, any>) => ({
    case: r.referral_id ? { type: 'referral', id: r.referral_id } : { type: 'admin-case', id: r.admin_case_id },
    partyId: r.party_id,
    otherPartyId: r.other_party_id,
    match: r.match,
  }));
}

/** Two of the given referrals that share a party (or possibly do: an organisation of the same name), and by which. */
export interface SharedPartyPair {
  referralId: string;
  otherReferralId: string;
  partyId: string;
  otherPartyId: string;
  match: 'confirmed' | 'possible';
}

/**
 * Every pair among `referralIds` linked through their parties, both ways round, by the
 * matches of casesSharing (a case group's members must each be linked to another).
 */
export async function sharedPartiesAmong(q: Queryable, referralIds: string[]): Promise<SharedPartyPair[]> {
  if (referralIds.length < 2) return [];
  const rows = await q.query(
    `WITH cp AS (SELECT c.party_id, c.referral_id, p.kind, p.identifier, p.name_key
                   FROM case_parties c JOIN parties p ON p.id = c.party_id
                  WHERE c.referral_id = ANY($1::uuid[]))
     SELECT a.referral_id, b.referral_id AS other_referral_id, a.party_id, b.party_id AS other_party_id,
            CASE WHEN a.party_id = b.party_id AND a.identifier IS NOT NULL THEN 'confirmed' ELSE 'possible' END AS match
       FROM cp a JOIN cp b ON a.referral_id <> b.referral_id
        AND (a.party_id = b.party_id
             OR (a.kind = 'organization' AND b.kind = 'organization' AND a.name_key = b.name_key
                 AND (a.identifier IS NULL OR b.identifier IS NULL)))
      ORDER BY a.referral_id, b.referral_id, a.party_id, b.party_id`,
    [referralIds],
  );
  return rows.map((r: Record<string, any>) => ({
    referralId: r.referral_id,
    otherReferralId: r.other_referral_id,
    partyId: r.party_id,
    otherPartyId: r.other_party_id,
    match: r.match,
  }));
}

/** The parties of these ids (a case group's shared parties). */
export async function partiesByIds(q: Queryable, ids: string[]): Promise<PartyRow[]> {
  if (ids.length === 0) return [];
  const rows = await q.query(`SELECT * FROM parties WHERE id = ANY($1::uuid[]) ORDER BY kind, name_key, id`, [ids]);
  return rows.map(toParty);
}

/** Which of the given cases state which parties: one row per case and party (the campaign dashboard joins them). */
export async function partiesOfCases(
  q: Queryable,
  referralIds: string[],
  adminCaseIds: string[],
): Promise<{ partyId: string; case: CaseRef }[]> {
  if (referralIds.length === 0 && adminCaseIds.length === 0) return [];
  const rows = await q.query(
    `SELECT party_id, referral_id, admin_case_id FROM case_parties
      WHERE referral_id = ANY($1::uuid[]) OR admin_case_id = ANY($2::uuid[])`,
    [referralIds, adminCaseIds],
  );
  return rows.map((r: Record<string, any>) => ({
    partyId: r.party_id,
    case: r.referral_id ? { type: 'referral', id: r.referral_id } : { type: 'admin-case', id: r.admin_case_id },
  }));
}
