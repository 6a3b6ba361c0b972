// Supervision views (API.md "Supervision") against a brute-force recount.
//
// About 3000 referrals, their deadlines and timelines are generated with a seeded
// generator and written by direct SQL (the workflow does not run: RUN_WORKERS=false,
// so no sweeper touches the rows). The same rows are kept in memory, and every
// answer of the overdue view, the statistics and the CSV export is compared with a
// plain JavaScript filter/recount over them, per caller and region:
//
//   Zhejiang 330000 (supervisor zj-kunlun): Hangzhou 330100 (+ Xihu district 330106), Ningbo 330200
//   Jiangsu  320000 (supervisor js-kunlun, procuratorate js-pro): Nanjing 320100
//
// No generated due time lies within two hours of "now", so the set of overdue
// deadlines does not change while the suite runs; overdueBy is checked against the
// service clock read before and after each request.
import type { Response } from 'supertest';
import type { Principal } from '../src/auth/principal';
import { Clock } from '../src/common/clock';
import { DOMAINS } from '../src/referrals/referral.dto';
import { CSV_COLUMNS } from '../src/supervision/supervision-csv';
import { EXPORT_BATCH, SupervisionService } from '../src/supervision/supervision.service';
import { localDate, startOfLocalDay } from '../workflows/period-counting';
import { DEADLINE_KINDS } from '../workflows/referral/referral.deadlines';
import { expectProblem, expectValidationFailed } from './kit/e2e-kit';
import { createTestApp, type TestApp } from './support/test-app';
import { actions, buildWorld, type World } from './support/world';

const H = 3_600_000;
const D = 24 * H;
const TZ = 'Asia/Shanghai';
const SUSPECT_ID = '91330100MA2B3C4D12';
const QUOTED_TITLE = '假冒白酒案, "quoted"';
const FORMULA_TITLE = '=SUM(A1)\n第二行';
const N_REFERRALS = 3000;

// ---- the generated world -------------------------------------------------------

interface Ref {
  id: string;
  referenceNo: string;
  sourceAgencyId: string;
  targetAgencyId: string;
  regionCode: string;
  domain: string;
  title: string;
  state: string;
  outcome: string | null;
  amount: string | null;
  campaign: string | null;
  createdAt: Date;
}

interface Dl {
  id: string;
  referralId: string;
  kind: string;
  responsibleAgencyId: string;
  status: 'pending' | 'met' | 'breached' | 'paused' | 'cancelled';
  dueAt: Date;
  resolvedAt: Date | null;
  escalationLevel: number;
  createdAt: Date;
}

interface Ev {
  referralId: string;
  seq: number;
  type: string;
  occurredAt: Date;
}

type Caller = keyof World['tokens'];
type Agencies = World['agencies'] & { xhAmr: string; njAmr: string; njPsb: string };

let t: TestApp;
let w: World;
let clock: Clock;
let ag: Agencies;
let now0: number;
const refs: Ref[] = [];
const deadlines: Dl[] = [];
const events: Ev[] = [];
const refById = new Map<string, Ref>();
const dlByRef = new Map<string, Dl[]>();
const evByRef = new Map<string, Ev[]>();
const agencyName = new Map<string, string>();

/** mulberry32: a small seeded generator, so every run builds the same world. */
function seeded(seed: number) {
  return () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let x = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    x = (x + Math.imul(x ^ (x >>> 7), 61 | x)) ^ x;
    return ((x ^ (x >>> 14)) >>> 0) / 4294967296;
  };
}
const rand = seeded(20260501);
const between = (lo: number, hi: number) => lo + Math.floor(rand() * (hi - lo));
const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rand() * xs.length)];
const chance = (p: number) => rand() < p;
function uuid(): string {
  const hex = Array.from({ length: 32 }, () => Math.floor(rand() * 16).toString(16)).join('');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-4${hex.slice(13, 16)}-a${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
}

/** Keeps a time at least 2 hours away from `center`. */
function awayFrom(center: number, at: number): number {
  if (Math.abs(at - center) >= 2 * H) return at;
  return at < center ? at - 3 * H : at + 3 * H;
}

const STATES = [
  'submitted',
  'under-review',
  'supplement-requested',
  'reviewed',
  'accepted',
  'declined',
  'reconsideration',
  'procuratorial-supervision',
  'joint-rectification',
  'closed',
  'withdrawn',
] as const;
const DECIDED = new Set([
  'accepted',
  'declined',
  'reconsideration',
  'procuratorial-supervision',
  'joint-rectification',
  'closed',
]);
const SOURCE_KINDS = new Set(['supplement', 'evidence-handover', 'reconsideration-window', 'rectification']);

function generate(): void {
  const regions = [
    { code: '330100', upTo: 0.35, source: ag.hzAmr, targets: [ag.hzPsb, ag.hzPsbWest] },
    { code: '330106', upTo: 0.55, source: ag.xhAmr, targets: [ag.hzPsbWest, ag.hzPsb] },
    { code: '330200', upTo: 0.8, source: ag.nbAmr, targets: [ag.nbPsb] },
    { code: '320100', upTo: 1, source: ag.njAmr, targets: [ag.njPsb] },
  ];
  for (let i = 0; i < N_REFERRALS; i++) {
    const roll = rand();
    const region = i < 2 ? regions[0] : regions.find((r) => roll < r.upTo)!;
    const state = pick(STATES);
    let createdAt = now0 - between(H, 90 * D);
    createdAt = awayFrom(now0 - 30 * D, createdAt); // the default 30-day window starts there
    if (i === 0) createdAt = now0 - 20 * D;
    if (i === 1) createdAt = now0 - 21 * D;
    const ref: Ref = {
      id: uuid(),
      referenceNo: `${region.code}-2025-${String(i + 1).padStart(6, '0')}`,
      sourceAgencyId: region.source,
      targetAgencyId: pick(region.targets),
      regionCode: region.code,
      domain: pick(DOMAINS),
      title: i === 0 ? QUOTED_TITLE : i === 1 ? FORMULA_TITLE : `案件 ${i}: counterfeit goods`,
      state,
      outcome:
        state === 'closed'
          ? pick(['prosecuted', 'declined', 'rectified', 'investigation-terminated'])
          : state === 'withdrawn'
            ? 'withdrawn'
            : null,
      amount: chance(0.7) ? `${between(0, 5_000_000)}.${String(between(0, 100)).padStart(2, '0')}` : null,
      campaign: chance(0.5) ? 'kunlun-2026' : chance(0.4) ? 'spring-2026' : null,
      createdAt: new Date(createdAt),
    };
    refs.push(ref);

    // timeline: SUBMIT, maybe ACKNOWLEDGE, a decision (or two) for decided states, comments
    const stamps: { type: string; at: number }[] = [{ type: 'SUBMIT', at: createdAt }];
    if (state !== 'submitted') stamps.push({ type: 'ACKNOWLEDGE', at: createdAt + between(60_000, H) });
    const reviewDue = createdAt + between(D, 8 * D);
    if (DECIDED.has(state) && chance(0.9)) {
      const decidedAt = chance(0.06) ? reviewDue : createdAt + between(2 * H, 12 * D); // some exactly at the due time
      if (decidedAt < now0 - 60_000) {
        stamps.push({ type: pick(['ACCEPT', 'DECLINE']), at: decidedAt });
        const later = decidedAt + between(H, 5 * D);
        if (chance(0.2) && later < now0) stamps.push({ type: 'ACCEPT', at: later });
      }
    }
    const commentAt = createdAt + between(H, 20 * D);
    if (chance(0.3) && commentAt < now0) stamps.push({ type: 'COMMENT', at: commentAt });
    stamps.sort((a, b) => a.at - b.at);
    stamps.forEach((s, k) => events.push({ referralId: ref.id, seq: k + 1, type: s.type, occurredAt: new Date(s.at) }));

    // the review deadline: none, one, or two rows (an older cancelled/met one and a newer one)
    const reviewRows = chance(0.07) ? 0 : chance(0.12) ? 2 : 1;
    const dl = (kind: string, status: Dl['status'], dueAt: number, createdAtMs: number): Dl => {
      const due = status === 'breached' && dueAt > now0 ? now0 - between(3 * H, 30 * D) : awayFrom(now0, dueAt);
      const d: Dl = {
        id: uuid(),
        referralId: ref.id,
        kind,
        responsibleAgencyId: SOURCE_KINDS.has(kind) ? ref.sourceAgencyId : ref.targetAgencyId,
        status,
        dueAt: new Date(due),
        resolvedAt: null,
        escalationLevel: status === 'breached' ? pick([1, 1, 2]) : 0,
        createdAt: new Date(createdAtMs),
      };
      if (status === 'met') d.resolvedAt = new Date(Math.min(due - H, now0 - H));
      if (status === 'breached' && chance(0.35)) d.resolvedAt = new Date(Math.min(due + D, now0 - H));
      deadlines.push(d);
      return d;
    };
    const anyStatus = (): Dl['status'] => {
      const r = rand();
      return r < 0.37 ? 'pending' : r < 0.57 ? 'met' : r < 0.82 ? 'breached' : r < 0.9 ? 'paused' : 'cancelled';
    };
    if (reviewRows === 2) dl('review', pick(['cancelled', 'met'] as const), createdAt + 3 * D, createdAt);
    if (reviewRows >= 1) dl('review', anyStatus(), reviewDue, createdAt + (reviewRows === 2 ? between(H, 2 * D) : 0));
    const others = DEADLINE_KINDS.filter((k) => k !== 'review');
    const count = between(0, 4);
    const chosen = new Set<string>();
    while (chosen.size < count) chosen.add(pick(others));
    for (const kind of chosen) dl(kind, anyStatus(), now0 + between(-60 * D, 30 * D), createdAt + H);
  }

  // Six referrals with one created_at across the first export batch boundary: the keyset must break the tie by id.
  // (Each moves back a little, to the time of the first of them, so its timeline stays after its creation.)
  const ordered = [...refs].sort(byCreatedThenId);
  const moved = new Map<string, Date>();
  for (let k = EXPORT_BATCH - 1; k <= EXPORT_BATCH + 3; k++) {
    ordered[k].createdAt = ordered[EXPORT_BATCH - 2].createdAt;
    moved.set(ordered[k].id, ordered[k].createdAt);
  }
  for (const e of events) if (e.seq === 1 && moved.has(e.referralId)) e.occurredAt = moved.get(e.referralId)!;
}

const byCreatedThenId = (a: Ref, b: Ref) =>
  a.createdAt.getTime() - b.createdAt.getTime() || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);

async function insertAgency(code: string, name: string, kind: string, regionCode: string): Promise<string> {
  const [{ id }] = await t.db.query(`INSERT INTO agencies (code, name, kind, region_code) VALUES ($1, $2, $3, $4) RETURNING id`, [
    code,
    name,
    kind,
    regionCode,
  ]);
  return id;
}

async function insertAll(template: { machine_version: string; snapshot: unknown }): Promise<void> {
  const col = <T>(rows: T[], f: (x: T) => unknown) => rows.map(f);
  await t.db.query(
    `INSERT INTO referrals (id, reference_no, source_agency_id, target_agency_id, region_code, domain, title, summary,
                            suspects, amount_involved, campaign, state, state_detail, outcome, version, machine_version,
                            snapshot, created_at, updated_at)
     SELECT u.id, u.ref, u.src, u.tgt, u.region, u.domain, u.title, 'generated for the supervision suite',
            $12::jsonb, u.amount::numeric, u.campaign, u.state, u.state, u.outcome, 1, $13, $14::jsonb, u.created, u.created
       FROM unnest($1::uuid[], $2::text[], $3::uuid[], $4::uuid[], $5::text[], $6::text[], $7::text[], $8::text[],
                   $9::text[], $10::text[], $11::timestamptz[], $15::text[])
            AS u(id, ref, src, tgt, region, domain, title, amount, campaign, state, created, outcome)`,
    [
      col(refs, (r) => r.id),
      col(refs, (r) => r.referenceNo),
      col(refs, (r) => r.sourceAgencyId),
      col(refs, (r) => r.targetAgencyId),
      col(refs, (r) => r.regionCode),
      col(refs, (r) => r.domain),
      col(refs, (r) => r.title),
      col(refs, (r) => r.amount),
      col(refs, (r) => r.campaign),
      col(refs, (r) => r.state),
      col(refs, (r) => r.createdAt),
      JSON.stringify([{ kind: 'organization', name: 'Generated Trading Co.', idNumber: SUSPECT_ID }]),
      template.machine_version,
      JSON.stringify(template.snapshot),
      col(refs, (r) => r.outcome),
    ],
  );
  await t.db.query(
    `INSERT INTO deadlines (id, referral_id, kind, responsible_agency_id, legal_basis, starts_at, due_at, status,
                            breached_at, resolved_at, escalation_level, created_at, updated_at)
     SELECT u.id, u.referral, u.kind, u.agency, 'generated', u.created, u.due, u.status,
            CASE WHEN u.status = 'breached' THEN u.due END, u.resolved, u.level, u.created, u.created
       FROM unnest($1::uuid[], $2::uuid[], $3::text[], $4::uuid[], $5::timestamptz[], $6::text[], $7::timestamptz[],
                   $8::int[], $9::timestamptz[])
            AS u(id, referral, kind, agency, due, status, resolved, level, created)`,
    [
      col(deadlines, (d) => d.id),
      col(deadlines, (d) => d.referralId),
      col(deadlines, (d) => d.kind),
      col(deadlines, (d) => d.responsibleAgencyId),
      col(deadlines, (d) => d.dueAt),
      col(deadlines, (d) => d.status),
      col(deadlines, (d) => d.resolvedAt),
      col(deadlines, (d) => d.escalationLevel),
      col(deadlines, (d) => d.createdAt),
    ],
  );
  await t.db.query(
    `INSERT INTO referral_events (referral_id, seq, type, actor_system, to_state, payload, occurred_at, prev_hash, hash)
     SELECT u.referral, u.seq, u.type, false, 'generated', '{}'::jsonb, u.at, repeat('0', 64), repeat('0', 64)
       FROM unnest($1::uuid[], $2::int[], $3::text[], $4::timestamptz[]) AS u(referral, seq, type, at)`,
    [col(events, (e) => e.referralId), col(events, (e) => e.seq), col(events, (e) => e.type), col(events, (e) => e.occurredAt)],
  );
  await t.db.query('ANALYZE referrals, deadlines, referral_events, agencies');
}

/** The referral made through the API (for a valid snapshot) joins the in-memory world as the database holds it. */
async function adopt(referralId: string): Promise<void> {
  const [r] = await t.db.query(`SELECT * FROM referrals WHERE id = $1`, [referralId]);
  refs.push({
    id: r.id,
    referenceNo: r.reference_no,
    sourceAgencyId: r.source_agency_id,
    targetAgencyId: r.target_agency_id,
    regionCode: r.region_code,
    domain: r.domain,
    title: r.title,
    state: r.state,
    outcome: r.outcome,
    amount: r.amount_involved,
    campaign: r.campaign,
    createdAt: r.created_at,
  });
  for (const d of await t.db.query(`SELECT * FROM deadlines WHERE referral_id = $1`, [referralId])) {
    deadlines.push({
      id: d.id,
      referralId,
      kind: d.kind,
      responsibleAgencyId: d.responsible_agency_id,
      status: d.status,
      dueAt: d.due_at,
      resolvedAt: d.resolved_at,
      escalationLevel: d.escalation_level,
      createdAt: d.created_at,
    });
  }
  for (const e of await t.db.query(`SELECT * FROM referral_events WHERE referral_id = $1`, [referralId])) {
    events.push({ referralId, seq: e.seq, type: e.type, occurredAt: e.occurred_at });
  }
}

function index(): void {
  for (const r of refs) refById.set(r.id, r);
  for (const d of deadlines) dlByRef.set(d.referralId, [...(dlByRef.get(d.referralId) ?? []), d]);
  for (const e of events) evByRef.set(e.referralId, [...(evByRef.get(e.referralId) ?? []), e]);
}

beforeAll(async () => {
  t = await createTestApp({ CLOCK_MODE: 'controllable', RUN_WORKERS: 'false' }, { world: true });
  w = await buildWorld(t);
  clock = t.app.get(Clock);
  ag = {
    ...w.agencies,
    xhAmr: await insertAgency('xh-amr', '西湖区市场监督管理局', 'regulator', '330106'),
    njAmr: await insertAgency('nj-amr', '南京市市场监督管理局', 'regulator', '320100'),
    njPsb: await insertAgency('nj-psb', '南京市公安局', 'police', '320100'),
  };
  for (const a of await t.db.query(`SELECT id, name FROM agencies`)) agencyName.set(a.id, a.name);

  const viaApi = await actions(t, w).submit();
  const [template] = await t.db.query(`SELECT machine_version, snapshot FROM referrals WHERE id = $1`, [viaApi.id]);
  now0 = clock.now().getTime();
  generate();
  await insertAll(template);
  await adopt(viaApi.id);
  index();
}, 180_000);
afterAll(() => t?.close());

// ---- brute force ---------------------------------------------------------------

/** Which referral regions each caller oversees (API.md "Roles and scope"), written out, not computed. */
const SEES: Partial<Record<Caller, (regionCode: string) => boolean>> = {
  admin: () => true,
  supervisor: (c) => ['330100', '330106', '330200'].includes(c),
  procurator: (c) => ['330100', '330106'].includes(c),
  nbProcurator: (c) => c === '330200',
  jsSupervisor: (c) => c === '320100',
  jsProcurator: (c) => c === '320100',
};
const inScope = (caller: Caller, r: Ref) => SEES[caller]!(r.regionCode);

const isOverdue = (d: Dl, now: number) =>
  (d.status === 'breached' && !d.resolvedAt) || (d.status === 'pending' && d.dueAt.getTime() < now);

function covers(filter: string, regionCode: string): boolean {
  const prefix = filter.endsWith('0000') ? filter.slice(0, 2) : filter.endsWith('00') ? filter.slice(0, 4) : filter;
  return regionCode.startsWith(prefix);
}

interface OverdueFilter {
  regionCode?: string;
  agencyId?: string;
  domain?: string;
  kind?: string;
}

function expectedOverdue(caller: Caller, now: number, f: OverdueFilter = {}) {
  return deadlines
    .filter((d) => isOverdue(d, now))
    .map((d) => ({ d, r: refById.get(d.referralId)! }))
    .filter(({ r }) => inScope(caller, r))
    .filter(
      ({ d, r }) =>
        (!f.regionCode || covers(f.regionCode, r.regionCode)) && (!f.agencyId || d.responsibleAgencyId === f.agencyId),
    )
    .filter(({ d, r }) => (!f.domain || r.domain === f.domain) && (!f.kind || d.kind === f.kind))
    .sort((a, b) => a.d.dueAt.getTime() - b.d.dueAt.getTime() || (a.d.id < b.d.id ? -1 : 1));
}

function decisionOf(r: Ref): number | null {
  const first = (evByRef.get(r.id) ?? [])
    .filter((e) => e.type === 'ACCEPT' || e.type === 'DECLINE')
    .sort((a, b) => a.seq - b.seq)[0];
  return first ? first.occurredAt.getTime() : null;
}

function reviewDueOf(r: Ref): number | null {
  const rows = (dlByRef.get(r.id) ?? []).filter((d) => d.kind === 'review');
  rows.sort(
    (a, b) =>
      Number(a.status === 'cancelled') - Number(b.status === 'cancelled') ||
      b.createdAt.getTime() - a.createdAt.getTime() ||
      (a.id < b.id ? 1 : -1),
  );
  return rows[0] ? rows[0].dueAt.getTime() : null;
}

function median(xs: number[]): number | null {
  if (xs.length === 0) return null;
  const s = [...xs].sort((a, b) => a - b);
  const mid = (s.length - 1) / 2;
  return s[Math.floor(mid)] + (s[Math.ceil(mid)] - s[Math.floor(mid)]) * (mid - Math.floor(mid));
}

const GROUP_KEY = {
  state: (r: Ref) => r.state,
  domain: (r: Ref) => r.domain,
  targetAgency: (r: Ref) => r.targetAgencyId,
  sourceAgency: (r: Ref) => r.sourceAgencyId,
};

function inRange(caller: Caller, from: number, to: number): Ref[] {
  return refs.filter((r) => inScope(caller, r) && r.createdAt.getTime() >= from && r.createdAt.getTime() < to);
}

function recount(caller: Caller, groupBy: keyof typeof GROUP_KEY, from: number, to: number, now: number) {
  const groups = new Map<string, Ref[]>();
  for (const r of inRange(caller, from, to)) {
    const key = GROUP_KEY[groupBy](r);
    groups.set(key, [...(groups.get(key) ?? []), r]);
  }
  return [...groups.keys()].sort().map((key) => {
    const rs = groups.get(key)!;
    const decided = rs.filter((r) => decisionOf(r) !== null);
    const onTime = decided.filter((r) => {
      const due = reviewDueOf(r);
      return due !== null && decisionOf(r)! <= due;
    });
    return {
      key,
      total: rs.length,
      open: rs.filter((r) => r.state !== 'closed' && r.state !== 'withdrawn').length,
      overdue: rs.filter((r) => (dlByRef.get(r.id) ?? []).some((d) => isOverdue(d, now))).length,
      onTimeRate: decided.length ? onTime.length / decided.length : null,
      medianHoursToDecision: median(decided.map((r) => (decisionOf(r)! - r.createdAt.getTime()) / H)),
    };
  });
}

// ---- HTTP helpers --------------------------------------------------------------

const auth = (user: Caller) => `Bearer ${w.tokens[user]}`;
const get = (user: Caller, path: string, query: Record<string, string | number> = {}) =>
  t.http().get(`/api/v1/supervision/${path}`).query(query).set('Authorization', auth(user));

interface OverdueItem {
  referral: {
    id: string;
    workflow: string;
    referenceNo: string;
    title: string;
    state: string;
    domain: string;
    regionCode: string;
    sourceAgency: { id: string; name: string };
    targetAgency: { id: string; name: string };
  };
  deadline: { id: string; kind: string; dueAt: string; status: string; responsibleAgencyId: string };
  overdueBy: number;
  escalationLevel: number;
}

/** Follows nextCursor to the end; every page but the last is full. */
async function pageAll(user: Caller, query: Record<string, string | number>, limit: number) {
  const items: OverdueItem[] = [];
  let cursor: string | null = null;
  let pages = 0;
  const before = clock.now().getTime();
  do {
    const res: Response = await get(user, 'overdue', { ...query, limit, ...(cursor ? { cursor } : {}) });
    expect(res.status).toBe(200);
    cursor = res.body.nextCursor;
    if (cursor) expect(res.body.items).toHaveLength(limit);
    items.push(...res.body.items);
    pages++;
  } while (cursor && pages < 500);
  return { items, pages, before, after: clock.now().getTime() };
}

/** The view's items equal the brute-force list: same deadlines in the same order, same fields. */
function expectItems(got: { items: OverdueItem[]; before: number; after: number }, expected: ReturnType<typeof expectedOverdue>) {
  expect(got.items.map((i) => i.deadline.id)).toEqual(expected.map((e) => e.d.id));
  const agency = (id: string) => expect.objectContaining({ id, name: agencyName.get(id) });
  expect(got.items.map(({ overdueBy: _overdueBy, ...rest }) => rest)).toEqual(
    expected.map(({ d, r }) => ({
      referral: {
        id: r.id,
        workflow: 'referral',
        referenceNo: r.referenceNo,
        title: r.title,
        state: r.state,
        domain: r.domain,
        sourceAgency: agency(r.sourceAgencyId),
        targetAgency: agency(r.targetAgencyId),
        regionCode: r.regionCode,
      },
      deadline: {
        id: d.id,
        kind: d.kind,
        dueAt: d.dueAt.toISOString(),
        status: d.status,
        responsibleAgencyId: d.responsibleAgencyId,
      },
      escalationLevel: d.escalationLevel,
    })),
  );
  const outOfBracket = got.items.filter((item, k) => {
    const due = expected[k].d.dueAt.getTime();
    return item.overdueBy < Math.floor((got.before - due) / 1000) || item.overdueBy > Math.floor((got.after - due) / 1000);
  });
  expect(outOfBracket).toEqual([]);
}

const regionsOf = (items: OverdueItem[]) => [...new Set(items.map((i) => i.referral.regionCode))].sort();

// ---- overdue -------------------------------------------------------------------

describe('GET /supervision/overdue', () => {
  it('the generated world has overdue deadlines of every kind of status in every region', () => {
    const all = expectedOverdue('admin', now0);
    expect(refs).toHaveLength(N_REFERRALS + 1);
    expect(all.length).toBeGreaterThan(1000);
    expect(new Set(all.map((e) => e.d.status))).toEqual(new Set(['pending', 'breached']));
    expect(new Set(all.map((e) => e.r.regionCode))).toEqual(new Set(['330100', '330106', '330200', '320100']));
    // deadlines not overdue exist too: future pending, resolved breaches, met, paused, cancelled
    expect(deadlines.filter((d) => !isOverdue(d, now0)).length).toBeGreaterThan(1000);
  });

  it('a province supervisor sees the overdue deadlines of every city in the province and none outside, most overdue first', async () => {
    const got = await pageAll('supervisor', {}, 100);
    const expected = expectedOverdue('supervisor', got.before);
    expect(expected.length).toBeGreaterThan(500);
    expectItems(got, expected);
    expect(regionsOf(got.items)).toEqual(['330100', '330106', '330200']);
    const dues = got.items.map((i) => Date.parse(i.deadline.dueAt));
    expect(dues).toEqual([...dues].sort((a, b) => a - b));
    expect(got.items[0].overdueBy).toBeGreaterThan(got.items[got.items.length - 1].overdueBy);
    expect(got.pages).toBe(Math.ceil(expected.length / 100));
  });

  it('a city procuratorate sees its city and the districts in it only', async () => {
    const got = await pageAll('procurator', {}, 100);
    expectItems(got, expectedOverdue('procurator', got.before));
    expect(regionsOf(got.items)).toEqual(['330100', '330106']);
  });

  it.each([
    ['jsSupervisor', ['320100']],
    ['jsProcurator', ['320100']],
    ['nbProcurator', ['330200']],
  ] as const)('%s sees only its own region', async (caller, regions) => {
    const got = await pageAll(caller, {}, 100);
    expectItems(got, expectedOverdue(caller, got.before));
    expect(regionsOf(got.items)).toEqual(regions);
  });

  it('an admin sees every region', async () => {
    const got = await pageAll('admin', {}, 100);
    expectItems(got, expectedOverdue('admin', got.before));
    expect(regionsOf(got.items)).toEqual(['320100', '330100', '330106', '330200']);
  });

  it('pages through everything with a small page size, without gaps or repeats', async () => {
    const got = await pageAll('admin', {}, 37);
    const expected = expectedOverdue('admin', got.before);
    expect(new Set(got.items.map((i) => i.deadline.id)).size).toBe(got.items.length);
    expect(got.items.map((i) => i.deadline.id)).toEqual(expected.map((e) => e.d.id));
    expect(got.pages).toBe(Math.ceil(expected.length / 37));
  });

  it.each<[string, Caller, () => OverdueFilter]>([
    ['regionCode of a prefecture covers its districts', 'supervisor', () => ({ regionCode: '330100' })],
    ['regionCode of a district', 'supervisor', () => ({ regionCode: '330106' })],
    ['regionCode of another prefecture', 'supervisor', () => ({ regionCode: '330200' })],
    ['regionCode outside the scope finds nothing', 'supervisor', () => ({ regionCode: '320100' })],
    ['regionCode wider than the scope stays in scope', 'procurator', () => ({ regionCode: '330000' })],
    ['agencyId: the responsible agency (police)', 'supervisor', () => ({ agencyId: ag.hzPsbWest })],
    ['agencyId: the responsible agency (regulator)', 'supervisor', () => ({ agencyId: ag.nbAmr })],
    ['agencyId of an agency outside the scope finds nothing', 'supervisor', () => ({ agencyId: ag.njPsb })],
    ['domain', 'supervisor', () => ({ domain: 'drug' })],
    ['kind', 'supervisor', () => ({ kind: 'review' })],
    ['all four together', 'admin', () => ({ regionCode: '330100', agencyId: ag.hzPsb, domain: 'food', kind: 'acknowledge' })],
    ['kind and domain for Jiangsu', 'jsSupervisor', () => ({ kind: 'rectification', domain: 'wildlife' })],
  ])('filter: %s', async (_label, caller, filter) => {
    const f = filter();
    const limit = Math.min(100, Math.max(3, Math.ceil(expectedOverdue(caller, clock.now().getTime(), f).length / 5))); // five pages or more
    const got = await pageAll(caller, f as Record<string, string>, limit);
    const expected = expectedOverdue(caller, got.before, f);
    expectItems(got, expected);
    expect(got.pages).toBe(Math.max(1, Math.ceil(expected.length / limit)));
    if (f.regionCode === '320100' || f.agencyId === ag.njPsb) expect(expected).toEqual([]);
    else expect(expected.length).toBeGreaterThan(0);
  });
});

// ---- roles and validation --------------------------------------------------------

describe('who may call the supervision endpoints', () => {
  const paths = ['overdue', 'stats', 'export.csv'];
  it.each(['officer', 'policeOfficer', 'lead', 'westLead', 'nbOfficer', 'nbLead'] as Caller[])(
    '%s gets 403 on every endpoint',
    async (caller) => {
      for (const path of paths) expectProblem(await get(caller, path), 403, 'FORBIDDEN');
    },
  );

  it('without a token: 401', async () => {
    for (const path of paths) expectProblem(await t.http().get(`/api/v1/supervision/${path}`), 401, 'UNAUTHENTICATED');
  });

  it.each([
    ['overdue', { status: 'open' }, 'status'],
    ['overdue', { regionCode: '3301' }, 'regionCode'],
    ['overdue', { regionCode: '33010x' }, 'regionCode'],
    ['overdue', { agencyId: 'hz-psb' }, 'agencyId'],
    ['overdue', { domain: 'tobacco' }, 'domain'],
    ['overdue', { kind: 'lunch' }, 'kind'],
    ['overdue', { limit: 0 }, 'limit'],
    ['overdue', { limit: 101 }, 'limit'],
    ['overdue', { cursor: 'not-a-cursor' }, 'cursor'],
    ['stats', { groupBy: 'city' }, 'groupBy'],
    ['stats', { from: '2026-03-01' }, 'to'],
    ['stats', { from: '2026-03-05', to: '2026-03-01' }, 'to'],
    ['stats', { from: '2026-02-30', to: '2026-03-01' }, 'from'],
    ['stats', { from: '2026-03-01T00:00:00', to: '2026-03-02T00:00:00' }, 'from'],
    ['stats', { from: 'yesterday', to: 'today' }, 'from'],
    ['stats', { region: '330100' }, 'region'],
    ['export.csv', { to: '2026-03-01' }, 'from'],
    ['export.csv', { format: 'xlsx' }, 'format'],
  ] as const)('%s?%o → 400 naming %s', async (path, query, field) => {
    expectValidationFailed(await get('supervisor', path, query as Record<string, string | number>), field);
  });
});

// ---- statistics ----------------------------------------------------------------

describe('GET /supervision/stats', () => {
  const GROUPS = ['state', 'domain', 'targetAgency', 'sourceAgency'] as const;

  function expectGroups(actual: any[], expected: ReturnType<typeof recount>) {
    expect(actual.map((g) => g.key)).toEqual(expected.map((g) => g.key));
    expect(actual.map((g) => [g.total, g.open, g.overdue])).toEqual(expected.map((g) => [g.total, g.open, g.overdue]));
    actual.forEach((g, k) => {
      for (const field of ['onTimeRate', 'medianHoursToDecision'] as const) {
        const want = expected[k][field];
        if (want === null) expect({ key: g.key, field, value: g[field] }).toEqual({ key: g.key, field, value: null });
        else expect(Math.abs(g[field] - want)).toBeLessThan(field === 'onTimeRate' ? 1e-9 : 1e-6);
      }
    });
  }

  it.each(GROUPS)('groupBy=%s for the province supervisor equals a recount', async (groupBy) => {
    const from = new Date(now0 - 60 * D).toISOString();
    const to = new Date(now0 - 3 * D).toISOString();
    const res = await get('supervisor', 'stats', { from, to, groupBy });
    expect(res.status).toBe(200);
    expect({ from: res.body.from, to: res.body.to, groupBy: res.body.groupBy }).toEqual({ from, to, groupBy });
    const expected = recount('supervisor', groupBy, Date.parse(from), Date.parse(to), clock.now().getTime());
    expectGroups(res.body.groups, expected);
    // the numbers are not trivial: rates strictly between 0 and 1, medians present, overdue referrals counted
    expect(expected.reduce((n, g) => n + g.total, 0)).toBeGreaterThan(1000);
    expect(expected.some((g) => g.onTimeRate !== null && g.onTimeRate > 0 && g.onTimeRate < 1)).toBe(true);
    expect(expected.every((g) => g.overdue > 0)).toBe(true);
  });

  it('groups by state: states without decisions have null rate and median', async () => {
    const from = new Date(now0 - 60 * D).toISOString();
    const to = new Date(now0 - 3 * D).toISOString();
    const res = await get('procurator', 'stats', { from, to, groupBy: 'state' });
    const expected = recount('procurator', 'state', Date.parse(from), Date.parse(to), clock.now().getTime());
    expectGroups(res.body.groups, expected);
    const submitted = res.body.groups.find((g: any) => g.key === 'submitted');
    expect(submitted).toMatchObject({ onTimeRate: null, medianHoursToDecision: null });
    expect(submitted.total).toBeGreaterThan(0);
    expect(res.body.groups.find((g: any) => g.key === 'closed').open).toBe(0);
  });

  it.each(GROUPS)('groupBy=%s for Jiangsu: only Nanjing referrals', async (groupBy) => {
    const from = new Date(now0 - 100 * D).toISOString();
    const to = new Date(now0).toISOString();
    const res = await get('jsSupervisor', 'stats', { from, to, groupBy });
    expectGroups(res.body.groups, recount('jsSupervisor', groupBy, Date.parse(from), Date.parse(to), clock.now().getTime()));
    if (groupBy === 'sourceAgency') expect(res.body.groups.map((g: any) => g.key)).toEqual([ag.njAmr]);
    if (groupBy === 'targetAgency') expect(res.body.groups.map((g: any) => g.key)).toEqual([ag.njPsb]);
  });

  it('a date range reads dates as local midnight, to exclusive', async () => {
    const from = localDate(new Date(now0 - 40 * D), TZ);
    const to = localDate(new Date(now0 - 10 * D), TZ);
    const res = await get('procurator', 'stats', { from, to, groupBy: 'sourceAgency' });
    expect(res.status).toBe(200);
    const range = [startOfLocalDay(from, TZ).getTime(), startOfLocalDay(to, TZ).getTime()];
    expect([Date.parse(res.body.from), Date.parse(res.body.to)]).toEqual(range);
    expectGroups(res.body.groups, recount('procurator', 'sourceAgency', range[0], range[1], clock.now().getTime()));
    expect(res.body.groups.map((g: any) => g.key).sort()).toEqual([ag.hzAmr, ag.xhAmr].sort());
  });

  it('without from/to: the last 30 days, grouped by state', async () => {
    const res = await get('admin', 'stats');
    expect(res.status).toBe(200);
    expect(res.body.groupBy).toBe('state');
    const [from, to] = [Date.parse(res.body.from), Date.parse(res.body.to)];
    expect(to - from).toBe(30 * D);
    expect(Math.abs(to - clock.now().getTime())).toBeLessThan(60_000);
    expectGroups(res.body.groups, recount('admin', 'state', from, to, clock.now().getTime()));
  });
});

// ---- export --------------------------------------------------------------------

/** A strict RFC 4180 reader: CRLF records, quoted fields with doubled quotes and line breaks. */
function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let field = '';
  let quoted = false;
  let wasQuoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (quoted) {
      if (c !== '"') field += c;
      else if (text[i + 1] === '"') {
        field += '"';
        i++;
      } else quoted = false;
    } else if (c === '"') {
      if (field !== '' || wasQuoted) throw new Error(`stray quote at ${i}`);
      quoted = wasQuoted = true;
    } else if (c === ',') {
      row.push(field);
      field = '';
      wasQuoted = false;
    } else if (c === '\r' && text[i + 1] === '\n') {
      row.push(field);
      rows.push(row);
      row = [];
      field = '';
      wasQuoted = false;
      i++;
    } else if (c === '\r' || c === '\n') {
      throw new Error(`bare line break at ${i}`);
    } else {
      if (wasQuoted) throw new Error(`text after a closing quote at ${i}`);
      field += c;
    }
  }
  if (quoted) throw new Error('unterminated quote');
  if (field !== '' || row.length > 0) throw new Error('the last record has no CRLF');
  return rows;
}

async function download(user: Caller, query: Record<string, string> = {}) {
  const res = await get(user, 'export.csv', query)
    .buffer(true)
    .parse((stream, done) => {
      const chunks: Buffer[] = [];
      stream.on('data', (c: Buffer) => chunks.push(c));
      stream.on('end', () => done(null, Buffer.concat(chunks)));
    });
  return { res, bytes: res.body as Buffer };
}

function csvLine(r: Ref, now: number): string[] {
  const title = /^[=+\-@\t\r]/.test(r.title) ? `'${r.title}` : r.title;
  return [
    r.referenceNo,
    title,
    r.state,
    r.outcome ?? '',
    r.domain,
    agencyName.get(r.sourceAgencyId)!,
    agencyName.get(r.targetAgencyId)!,
    r.regionCode,
    r.amount ?? '',
    r.campaign ?? '',
    r.createdAt.toISOString(),
    String((dlByRef.get(r.id) ?? []).filter((d) => isOverdue(d, now)).length),
    'referral',
  ];
}

describe('GET /supervision/export.csv', () => {
  it('streams the province supervisor its referrals as UTF-8 CSV with a BOM, overdue counts included', async () => {
    const from = new Date(now0 - 60 * D).toISOString();
    const to = new Date(now0 - 3 * D).toISOString();
    const { res, bytes } = await download('supervisor', { from, to });
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toBe('text/csv; charset=utf-8');
    expect(res.headers['content-disposition']).toBe('attachment; filename=referrals.csv');
    expect([...bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const text = bytes.subarray(3).toString('utf8');
    expect(text).not.toContain(SUSPECT_ID);
    const [header, ...rows] = parseCsv(text);
    expect(header).toEqual([...CSV_COLUMNS]);
    const expected = inRange('supervisor', Date.parse(from), Date.parse(to)).sort(byCreatedThenId);
    expect(expected.length).toBeGreaterThan(1000);
    expect(rows).toEqual(expected.map((r) => csvLine(r, clock.now().getTime())));
    expect(new Set(rows.map((r) => r[7]))).toEqual(new Set(['330100', '330106', '330200']));

    // done-when: the overdue transfers the supervisor sees are the ones exported with overdue deadlines
    const exported = new Set(expected);
    const overdueRefs = new Set(
      expectedOverdue('supervisor', clock.now().getTime())
        .filter((e) => exported.has(e.r))
        .map((e) => e.r.referenceNo),
    );
    expect(new Set(rows.filter((r) => r[11] !== '0').map((r) => r[0]))).toEqual(overdueRefs);
    expect(overdueRefs.size).toBeGreaterThan(100);
  });

  it('round-trips Chinese text, commas, quotes, line breaks; neutralises formulas', async () => {
    const { bytes } = await download('procurator', {
      from: new Date(now0 - 22 * D).toISOString(),
      to: new Date(now0 - 19 * D).toISOString(),
    });
    const text = bytes.toString('utf8');
    expect(text.charCodeAt(0)).toBe(0xfeff);
    expect(text).toContain('"假冒白酒案, ""quoted"""');
    const rows = parseCsv(text.slice(1)).slice(1);
    const byRef = new Map(rows.map((r) => [r[0], r]));
    expect(byRef.get(refs[0].referenceNo)![1]).toBe(QUOTED_TITLE);
    expect(byRef.get(refs[1].referenceNo)![1]).toBe(`'${FORMULA_TITLE}`);
    const xihu = rows.find((r) => r[7] === '330106');
    expect(xihu![5]).toBe('西湖区市场监督管理局');
  });

  it('pages through the database in batches: every referral once, in created order, ties across a batch boundary included', async () => {
    const { res, bytes } = await download('admin', {
      from: new Date(now0 - 100 * D).toISOString(),
      to: new Date(now0 + D).toISOString(),
    });
    expect(res.status).toBe(200);
    const rows = parseCsv(bytes.subarray(3).toString('utf8')).slice(1);
    expect(rows).toHaveLength(N_REFERRALS + 1);
    expect(rows.length).toBeGreaterThan(5 * EXPORT_BATCH);
    const expected = [...refs].sort(byCreatedThenId);
    expect(rows.map((r) => r[0])).toEqual(expected.map((r) => r.referenceNo));
    // six referrals share the created_at that straddles the first batch boundary
    const tied = rows.slice(EXPORT_BATCH - 2, EXPORT_BATCH + 4).map((r) => r[10]);
    expect(new Set(tied).size).toBe(1);
  });

  it('Jiangsu exports Nanjing only, with Chinese agency names', async () => {
    const { bytes } = await download('jsSupervisor', {
      from: new Date(now0 - 100 * D).toISOString(),
      to: new Date(now0).toISOString(),
    });
    const rows = parseCsv(bytes.subarray(3).toString('utf8')).slice(1);
    const expected = inRange('jsSupervisor', now0 - 100 * D, now0).sort(byCreatedThenId);
    expect(rows).toEqual(expected.map((r) => csvLine(r, clock.now().getTime())));
    expect(new Set(rows.map((r) => `${r[5]}→${r[6]}`))).toEqual(new Set(['南京市市场监督管理局→南京市公安局']));
  });

  it('without from/to: the last 30 days; an empty range still has the BOM and the header', async () => {
    const { bytes } = await download('nbProcurator');
    const rows = parseCsv(bytes.subarray(3).toString('utf8')).slice(1);
    const now = clock.now().getTime();
    expect(rows.map((r) => r[0])).toEqual(
      inRange('nbProcurator', now - 30 * D, now)
        .sort(byCreatedThenId)
        .map((r) => r.referenceNo),
    );
    expect(rows.length).toBeGreaterThan(50);

    const empty = await download('nbProcurator', { from: '2020-01-01', to: '2020-02-01' });
    expect(empty.bytes.toString('utf8')).toBe(`\ufeff${CSV_COLUMNS.join(',')}\r\n`);
  });
});

// ---- the query plan --------------------------------------------------------------

describe('the overdue query', () => {
  it('is answered from the partial indexes (EXPLAIN ANALYZE)', async () => {
    const principal: Principal = {
      userId: w.userIds.supervisor,
      username: 'supervisor',
      roles: ['supervisor'],
      agency: { id: ag.zjKunlun, kind: 'supervisor', regionCode: '330000' },
    };
    const { text, values } = t.app.get(SupervisionService).overdueQuery(principal, {}, clock.now(), 21);
    const [
      {
        'QUERY PLAN': [plan],
      },
    ] = await t.db.query(`EXPLAIN (ANALYZE, BUFFERS, FORMAT JSON) ${text}`, values);
    const nodes: any[] = [];
    const walk = (n: any) => (nodes.push(n), (n.Plans ?? []).forEach(walk));
    walk(plan.Plan);
    const indexes = nodes.filter((n) => n['Index Name']).map((n) => `${n['Node Type']} ${n['Index Name']}`);
    const seqScans = nodes.filter((n) => n['Node Type'] === 'Seq Scan').map((n) => n['Relation Name']);
    console.log(
      `overdue page (supervisor, limit 21) over ${deadlines.length} deadlines: ${plan['Execution Time']} ms; ` +
        `index scans: ${indexes.join(', ')}; seq scans: ${seqScans.join(', ') || 'none'}`,
    );
    // each stream is an ordered scan of its partial index that stops at the page size
    expect(indexes).toEqual(
      expect.arrayContaining(['Index Scan deadlines_breached_open_due', 'Index Scan deadlines_pending_due']),
    );
    expect(seqScans).not.toContain('deadlines');
    expect(seqScans).not.toContain('referrals');
    const deadlineScans = nodes.filter((n) => n['Relation Name'] === 'deadlines');
    expect(deadlineScans.every((n) => n['Actual Rows'] <= 21 * 2)).toBe(true);
  });
});

// ---- last, as it moves the clock for good -----------------------------------------

describe('the overdue view and the test clock', () => {
  it('follows the service clock: moving it on makes more pending deadlines overdue', async () => {
    // find an advance that puts no pending due time near the new "now"
    const pendingDues = deadlines.filter((d) => d.status === 'pending').map((d) => d.dueAt.getTime());
    const base = clock.now().getTime();
    let hours = 5 * 24;
    while (pendingDues.some((due) => due > base + hours * H - 30 * 60_000 && due < base + hours * H + 30 * 60_000)) hours++;
    const before = expectedOverdue('supervisor', base);
    const res = await t.http().post('/api/v1/test-clock/advance').set('Authorization', auth('admin')).send({ hours });
    expect(res.status).toBe(200);
    const got = await pageAll('supervisor', {}, 100);
    expect(got.before - base).toBeGreaterThanOrEqual(hours * H);
    const expected = expectedOverdue('supervisor', got.before);
    expect(expected.length).toBeGreaterThan(before.length);
    expectItems(got, expected);
  });
});
