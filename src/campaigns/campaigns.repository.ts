// The campaigns table's SQL: the only `FROM campaigns` in the code. The register is
// reference data every authenticated caller may read, so its reads take no visibility;
// who may write a campaign is the service's to check.
import { regionColumnCoversSql } from '../auth/regions';
import { SqlParams, type Queryable } from '../common/sql-params';

export interface CampaignRow {
  id: string;
  code: string;
  name: string;
  startsOn: string;
  endsOn: string;
  domains: string[];
  regionCodes: string[];
  leadingAgencyIds: string[];
  createdBy: string | null;
  createdAt: Date;
  updatedAt: Date;
  version: number;
}

/** What a create writes and a change replaces. */
export type CampaignContent = Pick<CampaignRow, 'name' | 'startsOn' | 'endsOn' | 'domains' | 'regionCodes' | 'leadingAgencyIds'>;

const toCampaign = (r: Record<string, any>): CampaignRow => ({
  id: r.id,
  code: r.code,
  name: r.name,
  startsOn: r.starts_on_text,
  endsOn: r.ends_on_text,
  domains: r.domains,
  regionCodes: r.region_codes,
  leadingAgencyIds: r.leading_agency_ids,
  createdBy: r.created_by,
  createdAt: r.created_at,
  updatedAt: r.updated_at,
  version: r.version,
});

// Dates as text: a `date` read as a JS Date is local midnight, which a time zone can shift.
const COLUMNS = `k.*, k.starts_on::text AS starts_on_text, k.ends_on::text AS ends_on_text`;

/** SQL: campaign alias `k` covers the region code `code` (a $n placeholder): one of its codes contains it. */
const coversRegion = (code: string) =>
  `EXISTS (SELECT 1 FROM unnest(k.region_codes) rc WHERE ${regionColumnCoversSql('rc', code)})`;

/** Inserts a campaign; null when the code is taken. */
export async function insertCampaign(
  q: Queryable,
  row: { id: string; code: string; createdBy: string; at: Date },
  c: CampaignContent,
): Promise<CampaignRow | null> {
  const rows = await q.query(
    `INSERT INTO campaigns AS k (id, code, name, starts_on, ends_on, domains, region_codes, leading_agency_ids,
                                 created_by, created_at, updated_at, version)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $10, 1)
     ON CONFLICT (code) DO NOTHING
     RETURNING ${COLUMNS}`,
    [row.id, row.code, c.name, c.startsOn, c.endsOn, c.domains, c.regionCodes, c.leadingAgencyIds, row.createdBy, row.at],
  );
  return rows.length > 0 ? toCampaign(rows[0]) : null;
}

/** The campaign of this code, locked FOR UPDATE when `lock`; null when there is none. */
export async function readCampaign(q: Queryable, code: string, { lock = false } = {}): Promise<CampaignRow | null> {
  const rows = await q.query(`SELECT ${COLUMNS} FROM campaigns k WHERE k.code = $1${lock ? ' FOR UPDATE' : ''}`, [code]);
  return rows.length > 0 ? toCampaign(rows[0]) : null;
}

/** Replaces a campaign's content: version + 1. */
export async function updateCampaign(q: Queryable, id: string, c: CampaignContent, at: Date): Promise<CampaignRow> {
  const [[row]] = await q.query(
    `UPDATE campaigns k SET name = $2, starts_on = $3, ends_on = $4, domains = $5, region_codes = $6,
                            leading_agency_ids = $7, updated_at = $8, version = version + 1
      WHERE k.id = $1 RETURNING ${COLUMNS}`,
    [id, c.name, c.startsOn, c.endsOn, c.domains, c.regionCodes, c.leadingAgencyIds, at],
  );
  return toCampaign(row);
}

export interface CampaignFilter {
  /** The period contains this date. */
  activeOn?: string;
  domain?: string;
  /** One of its region codes covers this one. */
  region?: string;
  /** Keyset: strictly before this (created_at, id). */
  before?: { at: string; id: string };
}

/** Newest first, at most `limit` rows. */
export async function listCampaigns(q: Queryable, f: CampaignFilter, limit: number): Promise<CampaignRow[]> {
  const params = new SqlParams();
  const where = ['TRUE'];
  if (f.activeOn) {
    const on = params.add(f.activeOn);
    where.push(`k.starts_on <= ${on}::date AND k.ends_on >= ${on}::date`);
  }
  if (f.domain) where.push(`${params.add(f.domain)} = ANY(k.domains)`);
  if (f.region) where.push(coversRegion(`${params.add(f.region)}::text`));
  if (f.before) where.push(`(k.created_at, k.id) < (${params.add(f.before.at)}::timestamptz, ${params.add(f.before.id)}::uuid)`);
  const rows = await q.query(
    `SELECT ${COLUMNS} FROM campaigns k WHERE ${where.join(' AND ')}
      ORDER BY k.created_at DESC, k.id DESC LIMIT ${params.add(limit)}`,
    params.values,
  );
  return rows.map(toCampaign);
}

/** The codes among `codes` that are in the register. */
export async function registeredCodes(q: Queryable, codes: string[]): Promise<Set<string>> {
  const rows: { code: string }[] = await q.query(`SELECT k.code FROM campaigns k WHERE k.code = ANY($1)`, [codes]);
  return new Set(rows.map((r) => r.code));
}

/** The codes of the campaigns running on `date` whose fields include `domain` and whose regions cover `regionCode` (at most two: enough to tell one from several). */
export async function matchingCampaignCodes(
  q: Queryable,
  m: { date: string; domain: string; regionCode: string },
): Promise<string[]> {
  const params = new SqlParams();
  const on = params.add(m.date);
  const rows: { code: string }[] = await q.query(
    `SELECT k.code FROM campaigns k
      WHERE k.starts_on <= ${on}::date AND k.ends_on >= ${on}::date AND ${params.add(m.domain)} = ANY(k.domains)
        AND ${coversRegion(`${params.add(m.regionCode)}::text`)}
      ORDER BY k.code LIMIT 2`,
    params.values,
  );
  return rows.map((r) => r.code);
}
