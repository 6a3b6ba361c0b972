// Pure parts of the supervision views: the [from, to) window and the CSV shape.
import { DomainException } from '../common/problem';
import { CSV_COLUMNS, csvRecord, csvStringifier, type ExportRow } from './supervision-csv';
import { resolveRange } from './supervision-range';

const TZ = 'Asia/Shanghai';
const NOW = new Date('2026-05-20T10:00:00.000Z');

function fieldsOf(fn: () => unknown): string[] {
  try {
    fn();
  } catch (e) {
    expect(e).toBeInstanceOf(DomainException);
    expect((e as DomainException).code).toBe('VALIDATION_FAILED');
    return ((e as DomainException).extra.errors as { field: string }[]).map((x) => x.field);
  }
  throw new Error('expected a validation failure');
}

describe('resolveRange', () => {
  it('defaults to the 30 days before now', () => {
    expect(resolveRange(undefined, undefined, NOW, TZ)).toEqual({ from: new Date('2026-04-20T10:00:00.000Z'), to: NOW });
  });

  it('reads a date as 00:00 in the service time zone, to exclusive', () => {
    expect(resolveRange('2026-03-01', '2026-04-01', NOW, TZ)).toEqual({
      from: new Date('2026-02-28T16:00:00.000Z'),
      to: new Date('2026-03-31T16:00:00.000Z'),
    });
  });

  it('reads date-times with their offset', () => {
    expect(resolveRange('2026-03-01T08:00:00+08:00', '2026-03-02T00:00:00.5Z', NOW, TZ)).toEqual({
      from: new Date('2026-03-01T00:00:00.000Z'),
      to: new Date('2026-03-02T00:00:00.500Z'),
    });
  });

  it('refuses one bound without the other, an empty or reversed window, and non-dates', () => {
    expect(fieldsOf(() => resolveRange('2026-03-01', undefined, NOW, TZ))).toEqual(['to']);
    expect(fieldsOf(() => resolveRange(undefined, '2026-03-01', NOW, TZ))).toEqual(['from']);
    expect(fieldsOf(() => resolveRange('2026-03-01', '2026-03-01', NOW, TZ))).toEqual(['to']);
    expect(fieldsOf(() => resolveRange('2026-03-02', '2026-03-01', NOW, TZ))).toEqual(['to']);
    expect(fieldsOf(() => resolveRange('2026-02-30', '2026-03-01', NOW, TZ))).toEqual(['from']);
    expect(fieldsOf(() => resolveRange('2026-03-01', '2026-03-05T10:00:00', NOW, TZ))).toEqual(['to']); // no offset
    expect(fieldsOf(() => resolveRange('yesterday', '2026-03-05', NOW, TZ))).toEqual(['from']);
  });
});

describe('CSV', () => {
  const row: ExportRow = {
    reference_no: '330100-2026-000001',
    title: '假冒白酒案, "quoted"',
    state: 'closed',
    outcome: null,
    domain: 'food',
    source_agency_name: '杭州市市场监督管理局',
    target_agency_name: 'Hangzhou PSB',
    region_code: '330100',
    amount_involved: '182000.00',
    campaign: null,
    created_at: new Date('2026-03-01T02:03:04.005Z'),
    overdue_deadlines: 2,
    workflow: 'referral',
  };

  it('maps a row to the columns in order, nulls as empty fields', () => {
    expect(csvRecord(row)).toEqual([
      '330100-2026-000001',
      '假冒白酒案, "quoted"',
      'closed',
      '',
      'food',
      '杭州市市场监督管理局',
      'Hangzhou PSB',
      '330100',
      '182000.00',
      '',
      '2026-03-01T02:03:04.005Z',
      2,
      'referral',
    ]);
  });

  it('writes a BOM, the header, CRLF records, quoted fields and neutralised formulas', async () => {
    const csv = csvStringifier();
    const chunks: Buffer[] = [];
    csv.on('data', (c: Buffer) => chunks.push(Buffer.from(c)));
    const done = new Promise((resolve) => csv.on('end', resolve));
    csv.write(csvRecord(row));
    csv.write(csvRecord({ ...row, title: '=HYPERLINK("x")\n第二行', overdue_deadlines: 0 }));
    csv.end();
    await done;
    const bytes = Buffer.concat(chunks);
    expect([...bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    expect(bytes.subarray(3).toString('utf8')).toBe(
      `${CSV_COLUMNS.join(',')}\r\n` +
        `330100-2026-000001,"假冒白酒案, ""quoted""",closed,,food,杭州市市场监督管理局,Hangzhou PSB,330100,182000.00,,2026-03-01T02:03:04.005Z,2,referral\r\n` +
        `330100-2026-000001,"'=HYPERLINK(""x"")\n第二行",closed,,food,杭州市市场监督管理局,Hangzhou PSB,330100,182000.00,,2026-03-01T02:03:04.005Z,0,referral\r\n`,
    );
  });

  it.each([' =1+1', '\n=1', '\t=1', '|calc', '  @SUM(A1)', '\u3000+1', '-2+3', '\r=1'])(
    'neutralises a formula also after leading whitespace or a newline and after |: %j',
    async (title) => {
      const csv = csvStringifier();
      const chunks: Buffer[] = [];
      csv.on('data', (c: Buffer) => chunks.push(Buffer.from(c)));
      const done = new Promise((resolve) => csv.on('end', resolve));
      csv.write(csvRecord({ ...row, title }));
      csv.end();
      await done;
      const record = Buffer.concat(chunks).subarray(3).toString('utf8').split('\r\n')[1];
      // The title field starts with the apostrophe, inside quotes or not.
      expect(record).toMatch(/^330100-2026-000001,"?'/);
    },
  );

  it('leaves ordinary text and amounts alone', () => {
    expect(csvRecord({ ...row, title: '假冒白酒 = 案' })[1]).toBe('假冒白酒 = 案');
  });
});
