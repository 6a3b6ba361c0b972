// Reading an import (POST /admin-cases/import) into request bodies, one per row, each
// with the line it starts on: CSV (RFC 4180 quoting, UTF-8 with or without a BOM,
// English or Chinese header names, docs/api.md "Import") or NDJSON (one JSON body a
// line). Each body is then validated as a POST body would be. A file that cannot be
// read as a whole (not UTF-8, an unknown or repeated header) is a 400; a bad row is
// only that row's rejection.
import { parseStrictJson } from '../common/json-body';
import { validationFailed, type FieldError } from '../common/problem';

export const IMPORT_TYPES = ['text/csv', 'application/x-ndjson'] as const;

export interface ImportRow {
  line: number;
  /** the body as POST /admin-cases would take it, or why the row could not become one */
  body?: Record<string, unknown>;
  errors?: FieldError[];
}

/** Header names: the field first, then the Chinese names accepted for it. */
export const CSV_COLUMNS: Record<string, string[]> = {
  caseNo: ['案件编号', '案号'],
  domain: ['领域'],
  title: ['案件名称', '标题'],
  summary: ['案情摘要', '简要案情'],
  partyKind: ['当事人类型'],
  partyName: ['当事人', '当事人名称'],
  partyIdNumber: ['证件号码', '统一社会信用代码'],
  salesAmount: ['销售金额'],
  goodsValue: ['货值金额'],
  illegalGains: ['违法所得'],
  illegalBusinessVolume: ['非法经营数额', '非法经营额'],
  resourceValue: ['涉案资源价值', '动物价值', '矿产品价值'],
  findings: ['认定情形'],
  quantityItem: ['物品'],
  quantity: ['数量'],
  quantityUnit: ['单位'],
  decisionNo: ['处罚决定书文号', '决定书文号'],
  decidedAt: ['处罚决定日期', '决定日期'],
  penaltyKinds: ['处罚种类'],
  fineAmount: ['罚款金额'],
  priorPenalties: ['既往处罚'],
  campaign: ['专项行动'],
  actDate: ['违法行为发生日期', '发生日期'],
};

// Cell values a Chinese spreadsheet is likely to hold, mapped onto the API's values.
const VALUES: Record<string, Record<string, string>> = {
  domain: {
    食品: 'food',
    药品: 'drug',
    医疗器械: 'medical-device',
    化妆品: 'cosmetics',
    环境: 'environment',
    知识产权: 'intellectual-property',
    野生动物: 'wildlife',
    农业: 'agriculture',
    自然资源: 'natural-resources',
    生物安全: 'biosecurity',
    其他: 'other',
  },
  partyKind: { 个人: 'person', 自然人: 'person', 单位: 'organization', 企业: 'organization' },
  penaltyKinds: {
    警告: 'warning',
    罚款: 'fine',
    没收: 'confiscation',
    没收违法所得: 'confiscation',
    责令停产停业: 'suspension',
    吊销许可证: 'licence-revocation',
    吊销营业执照: 'licence-revocation',
    行政拘留: 'detention',
  },
  findings: {
    病死动物肉: 'sick-animal-meat',
    有毒有害非食品原料: 'toxic-non-food-substance',
    假药: 'fake-drug-confirmed',
    危险废物: 'hazardous-waste',
    珍贵濒危野生动物: 'protected-wildlife',
    违法狩猎: 'prohibited-hunting',
    无证采矿: 'unlicensed-mining',
    外来入侵物种: 'invasive-alien-species',
  },
};

const LIST = /[;；、|]/;
const list = (cell: string) =>
  cell
    .split(LIST)
    .map((s) => s.trim())
    .filter((s) => s !== '');
const valueOf = (column: string, v: string) => VALUES[column]?.[v] ?? v;

function decode(bytes: Buffer): string {
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true, ignoreBOM: false }).decode(bytes); // drops a leading BOM
  } catch {
    throw validationFailed([{ field: 'body', message: 'the import is not valid UTF-8' }]);
  }
  // PostgreSQL text cannot hold NUL: refused here rather than failing a row's write
  if (text.includes('\u0000')) throw validationFailed([{ field: 'body', message: 'the import contains NUL characters' }]);
  return text;
}

/** CSV records with the line each starts on; quoted fields may hold commas, quotes ("") and line breaks. */
export function parseCsv(text: string): { line: number; cells: string[] }[] {
  const records: { line: number; cells: string[] }[] = [];
  let cells: string[] = [];
  let cell = '';
  let quoted = false;
  let line = 1;
  let start = 1;
  let touched = false; // the record has content (a blank line is no record)
  for (let i = 0; i < text.length; i++) {
    const ch = text[i];
    if (quoted) {
      if (ch === '"' && text[i + 1] === '"') {
        cell += '"';
        i++;
      } else if (ch === '"') quoted = false;
      else {
        if (ch === '\n') line++;
        cell += ch;
      }
      continue;
    }
    if (ch === '"' && cell === '') {
      quoted = touched = true;
    } else if (ch === ',') {
      cells.push(cell);
      cell = '';
      touched = true;
    } else if (ch === '\n' || ch === '\r') {
      if (ch === '\r' && text[i + 1] === '\n') i++;
      if (touched || cell !== '') records.push({ line: start, cells: [...cells, cell] });
      cells = [];
      cell = '';
      touched = false;
      line++;
      start = line;
    } else {
      cell += ch;
      touched = true;
    }
  }
  if (quoted) throw validationFailed([{ field: 'body', message: `a quoted field opened on line ${start} is never closed` }]);
  if (touched || cell !== '') records.push({ line: start, cells: [...cells, cell] });
  return records;
}

/** The field each header cell names; a header naming nothing known, or a field twice, makes the file unreadable. */
function headerFields(header: string[]): string[] {
  const byName = new Map<string, string>();
  for (const [field, names] of Object.entries(CSV_COLUMNS)) {
    byName.set(field.toLowerCase(), field);
    for (const n of names) byName.set(n, field);
  }
  const fields = header.map((h) => byName.get(h.trim().toLowerCase()) ?? byName.get(h.trim()));
  const errors: FieldError[] = [];
  header.forEach((h, i) => {
    if (!fields[i]) errors.push({ field: `header.${i + 1}`, message: `unknown column "${h.trim()}"` });
    else if (fields.indexOf(fields[i]) !== i)
      errors.push({ field: `header.${i + 1}`, message: `column ${fields[i]} appears twice` });
  });
  if (!fields.includes('caseNo')) errors.push({ field: 'header', message: 'the header must name caseNo (案件编号)' });
  if (errors.length > 0) throw validationFailed(errors, 'The CSV header is not usable');
  return fields as string[];
}

/** One CSV row as a POST body: flat columns folded into parties, facts and penalty. */
function csvBody(row: Record<string, string>): Record<string, unknown> {
  const has = (k: string) => row[k] !== undefined && row[k].trim() !== '';
  const text = (k: string) => (has(k) ? row[k].trim() : undefined);
  const kinds = list(row.partyKind ?? '');
  const names = list(row.partyName ?? '');
  const ids = (row.partyIdNumber ?? '').split(LIST).map((s) => s.trim());
  const parties = names.map((name, i) => ({
    kind: valueOf('partyKind', kinds[i] ?? kinds[0] ?? 'organization'),
    name,
    ...(ids[i] ? { idNumber: ids[i] } : {}),
  }));
  const facts: Record<string, unknown> = {};
  for (const k of ['salesAmount', 'goodsValue', 'illegalGains', 'illegalBusinessVolume', 'resourceValue']) {
    if (has(k)) facts[k] = text(k);
  }
  if (has('findings')) facts.findings = list(row.findings).map((v) => valueOf('findings', v));
  if (has('quantity') || has('quantityItem')) {
    facts.quantities = [
      { item: valueOf('findings', text('quantityItem') ?? ''), amount: text('quantity'), unit: text('quantityUnit') },
    ];
  }
  const penalty: Record<string, unknown> = {
    decisionNo: text('decisionNo'),
    decidedAt: text('decidedAt'),
    kinds: list(row.penaltyKinds ?? '').map((v) => valueOf('penaltyKinds', v)),
  };
  if (has('fineAmount')) penalty.fineAmount = text('fineAmount');
  const body: Record<string, unknown> = {
    caseNo: text('caseNo'),
    domain: has('domain') ? valueOf('domain', text('domain')!) : undefined,
    title: text('title'),
    summary: text('summary'),
    parties,
    facts,
    penalty,
  };
  if (has('priorPenalties')) {
    // "2025-06-01 intellectual-property; 2024-11-02:食品"
    body.priorPenalties = list(row.priorPenalties).map((entry) => {
      const [decidedAt, domain] = entry.split(/[:：\s]+/);
      return { decidedAt, domain: valueOf('domain', domain ?? '') };
    });
  }
  if (has('campaign')) body.campaign = text('campaign');
  if (has('actDate')) body.actDate = text('actDate');
  // undefined members are dropped: a missing required field is then reported by validation
  return JSON.parse(JSON.stringify(body));
}

function csvRows(text: string): ImportRow[] {
  const [header, ...records] = parseCsv(text);
  if (!header) throw validationFailed([{ field: 'body', message: 'the CSV has no header line' }]);
  const fields = headerFields(header.cells);
  return records.map(({ line, cells }) => {
    if (cells.length !== fields.length) {
      return { line, errors: [{ field: 'row', message: `${cells.length} cells where the header has ${fields.length}` }] };
    }
    return { line, body: csvBody(Object.fromEntries(fields.map((f, i) => [f, cells[i]]))) };
  });
}

function ndjsonRows(text: string): ImportRow[] {
  const rows: ImportRow[] = [];
  text.split(/\r?\n/).forEach((raw, i) => {
    if (raw.trim() === '') return;
    const line = i + 1;
    try {
      const value = parseStrictJson(Buffer.from(raw, 'utf8'));
      if (value === null || typeof value !== 'object' || Array.isArray(value)) {
        rows.push({ line, errors: [{ field: '', message: 'each line must be a JSON object' }] });
      } else rows.push({ line, body: value as Record<string, unknown> });
    } catch (e) {
      const errors = ((e as { extra?: { errors?: FieldError[] } }).extra?.errors ?? [{ field: 'body', message: 'not JSON' }]).map(
        (x) => ({ ...x, field: x.field === 'body' ? '' : x.field }),
      );
      rows.push({ line, errors });
    }
  });
  return rows;
}

/** The rows of an import body of `contentType` (text/csv or application/x-ndjson). */
export function importRows(contentType: string | undefined, bytes: unknown): ImportRow[] {
  const type = (contentType ?? '').split(';')[0].trim().toLowerCase();
  const charset = /;\s*charset="?([^;\s"]+)/i.exec(contentType ?? '')?.[1]?.toLowerCase();
  if (!(IMPORT_TYPES as readonly string[]).includes(type) || !Buffer.isBuffer(bytes)) {
    throw validationFailed([{ field: 'Content-Type', message: `send the file as ${IMPORT_TYPES.join(' or ')}` }]);
  }
  if (charset && charset !== 'utf-8' && charset !== 'utf8') {
    throw validationFailed([{ field: 'Content-Type', message: `imports are UTF-8; charset ${charset} is not supported` }]);
  }
  const text = decode(bytes);
  if (text.trim() === '') throw validationFailed([{ field: 'body', message: 'the import is empty' }]);
  return type === 'text/csv' ? csvRows(text) : ndjsonRows(text);
}
