import { DomainException } from '../common/problem';
import { importRows, parseCsv } from './admin-case-import';

const csv = (text: string) => importRows('text/csv', Buffer.from(text, 'utf8'));
const fieldsOf = (fn: () => unknown) => {
  try {
    fn();
  } catch (e) {
    return ((e as DomainException).extra.errors as { field: string }[]).map((x) => x.field);
  }
  throw new Error('no error');
};

describe('parseCsv', () => {
  it('reads quotes, doubled quotes, commas and line breaks inside quotes, CRLF and LF, and skips blank lines', () => {
    expect(parseCsv('a,b\r\n"x, y","say ""hi"""\n\n"two\nlines",\n')).toEqual([
      { line: 1, cells: ['a', 'b'] },
      { line: 2, cells: ['x, y', 'say "hi"'] },
      { line: 4, cells: ['two\nlines', ''] },
    ]);
  });

  it('refuses a quote never closed', () => {
    expect(fieldsOf(() => parseCsv('a\n"open'))).toEqual(['body']);
  });
});

describe('importRows', () => {
  it('maps Chinese headers and values onto a POST body, after a BOM', () => {
    const [row] = importRows(
      'text/csv',
      Buffer.from(
        '\ufeff案件编号,领域,当事人类型,当事人,证件号码,处罚种类,罚款金额,既往处罚,物品,数量,单位\n' +
          'A-1,环境,单位;个人,某公司;张三,91330100MA2B3C4D12;,罚款、没收,1000,2025-06-01 环境,危险废物,3.5,t\n',
        'utf8',
      ),
    );
    expect(row).toEqual({
      line: 2,
      body: {
        caseNo: 'A-1',
        domain: 'environment',
        parties: [
          { kind: 'organization', name: '某公司', idNumber: '91330100MA2B3C4D12' },
          { kind: 'person', name: '张三' },
        ],
        facts: { quantities: [{ item: 'hazardous-waste', amount: '3.5', unit: 't' }] },
        penalty: { kinds: ['fine', 'confiscation'], fineAmount: '1000' },
        priorPenalties: [{ decidedAt: '2025-06-01', domain: 'environment' }],
      },
    });
  });

  it('rejects a row of the wrong width by itself, and an unusable header as a whole', () => {
    expect(csv('caseNo,title\nA,B,C\nD,E')).toEqual([
      { line: 2, errors: [{ field: 'row', message: '3 cells where the header has 2' }] },
      { line: 3, body: expect.objectContaining({ caseNo: 'D', title: 'E' }) },
    ]);
    expect(fieldsOf(() => csv('caseNo,CASENO\nA,B'))).toEqual(['header.2']);
    expect(fieldsOf(() => csv('title\nA'))).toEqual(['header']);
    expect(fieldsOf(() => importRows('text/plain', Buffer.from('x')))).toEqual(['Content-Type']);
    expect(fieldsOf(() => importRows('text/csv', Buffer.from('  \n')))).toEqual(['body']);
  });

  it('reads NDJSON line by line with the strict JSON rules', () => {
    const rows = importRows('application/x-ndjson', Buffer.from('{"caseNo":"A"}\n\n{"__proto__":{}}\n[]\nnope\n', 'utf8'));
    expect(rows.map((r) => [r.line, r.body ? 'body' : r.errors![0].field])).toEqual([
      [1, 'body'],
      [3, ''],
      [4, ''],
      [5, ''],
    ]);
  });
});
