// The campaign dashboard as CSV (pure): one record per group, then the total, with the
// supervision export's stringifier (BOM, CRLF, formulas neutralised).
import { csvStringifier, neutraliseFormula } from '../supervision/supervision-csv';
import type { CampaignDashboard, CampaignFigures } from './campaign.dto';

export const DASHBOARD_CSV_COLUMNS = [
  'key',
  'transfers',
  'acceptances',
  'acceptanceRate',
  'medianHoursToDecision',
  'breaches',
  'screeningFlagged',
  'screeningNear',
  'recommendations',
  'linkedParties',
  'chains',
] as const;

const record = (key: string, f: CampaignFigures): (string | number)[] =>
  [
    key,
    f.transfers,
    f.acceptances,
    f.acceptanceRate ?? '',
    f.medianHoursToDecision ?? '',
    f.breaches,
    f.screeningFlagged,
    f.screeningNear,
    f.recommendations,
    f.linkedParties,
    f.chains,
  ].map(neutraliseFormula);

/** The CSV text of a dashboard: its groups in order, the last record keyed `total`. */
export async function dashboardCsv(d: CampaignDashboard): Promise<string> {
  const csv = csvStringifier(DASHBOARD_CSV_COLUMNS);
  const chunks: Buffer[] = [];
  csv.on('data', (chunk: Buffer | string) => chunks.push(Buffer.from(chunk)));
  const done = new Promise<void>((resolve, reject) => {
    csv.on('end', resolve);
    csv.on('error', reject);
  });
  for (const g of d.groups) csv.write(record(g.key, g));
  csv.write(record('total', d.total));
  csv.end();
  await done;
  return Buffer.concat(chunks).toString('utf8');
}
