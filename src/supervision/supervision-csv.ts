// The export's columns and how one database row becomes one CSV record (pure).
// Suspects are not exported at all, so no ID number can leak through the file.
import { stringify, type Stringifier } from 'csv-stringify';

export const CSV_COLUMNS = [
  'referenceNo',
  'title',
  'state',
  'outcome',
  'domain',
  'sourceAgency',
  'targetAgency',
  'regionCode',
  'amountInvolved',
  'campaign',
  'createdAt',
  'overdueDeadlines',
  'workflow',
] as const;

/** What the export query selects for each referral. */
export interface ExportRow {
  reference_no: string;
  title: string;
  state: string;
  outcome: string | null;
  domain: string;
  source_agency_name: string;
  target_agency_name: string;
  region_code: string;
  amount_involved: string | null;
  campaign: string | null;
  created_at: Date;
  overdue_deadlines: number;
  workflow: string;
}

// A cell a spreadsheet would run: a formula sign (= + - @), a DDE pipe, or a tab/CR, also after
// leading spaces (ASCII, no-break or ideographic) or a line break, which spreadsheets skip.
const FORMULA_START = /^[\s\u00a0\u3000]*[=+\-@|]|^[\t\r]/;

/** Text that would start a formula gets a leading apostrophe (OWASP's CSV-injection advice); numbers stay numbers. */
export function neutraliseFormula(value: string | number): string | number {
  return typeof value === 'string' && FORMULA_START.test(value) ? `'${value}` : value;
}

export function csvRecord(row: ExportRow): (string | number)[] {
  return [
    row.reference_no,
    row.title,
    row.state,
    row.outcome ?? '',
    row.domain,
    row.source_agency_name,
    row.target_agency_name,
    row.region_code,
    row.amount_involved ?? '',
    row.campaign ?? '',
    row.created_at.toISOString(),
    row.overdue_deadlines,
    row.workflow,
  ].map(neutraliseFormula);
}

/**
 * RFC 4180 output (CRLF, fields with a comma, quote or line break quoted, quotes doubled),
 * a UTF-8 byte order mark first so that spreadsheet software reads Chinese text as UTF-8,
 * and formulas neutralised by csvRecord (escape_formulas as a second guard on the first character).
 */
export function csvStringifier(columns: readonly string[] = CSV_COLUMNS): Stringifier {
  return stringify({
    bom: true,
    header: true,
    columns: [...columns],
    record_delimiter: 'windows',
    quote_record_delimiter: true,
    escape_formulas: true,
  });
}
