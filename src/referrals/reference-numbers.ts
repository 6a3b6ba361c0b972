// Reference numbers: counted per series (one per procedure), region and year, in
// the caller's transaction, so a number is never given twice or skipped by a rollback.
import type { EntityManager } from 'typeorm';

/** '330100-2026-000042' for a referral; other series put their prefix first ('JY-330100-2026-000007'). */
export async function nextReferenceNo(
  tx: EntityManager,
  series: { name: string; prefix?: string },
  regionCode: string,
  year: number,
): Promise<string> {
  const [{ last_value }] = await tx.query(
    `INSERT INTO reference_counters (series, region_code, year, last_value) VALUES ($1, $2, $3, 1)
     ON CONFLICT (series, region_code, year) DO UPDATE SET last_value = reference_counters.last_value + 1
     RETURNING last_value`,
    [series.name, regionCode, year],
  );
  return `${series.prefix ? `${series.prefix}-` : ''}${regionCode}-${year}-${String(last_value).padStart(6, '0')}`;
}
