// Every page of the console, and every event form on it, in Chinese and in
// English: words, never a raw i18n key (`referral.actions.ACCEPT`), an API value
// where words belong (`under-review`, `START_JOINT_RECTIFICATION`), `undefined`
// or an uninterpolated `{{…}}`. axe on each page and form (no serious or critical
// violation); no page wider than the screen at 390 px and at 1366×768.
// (The dashboard and admin pages are not on this branch yet: add them to PAGES.)
// The register, screening and linkage pages of issue 10 are.
import type { Page } from 'playwright-core';
import { AGENCY_KINDS, ATTACHMENT_KINDS, DEADLINE_KINDS, DOMAINS, EVENT_TYPES, ROLES, STATES } from '../../web/src/api/types';
import zh from '../../web/src/i18n/zh';
import { actions } from '../support/world';
import { animationsDone, axe, startHarness, watch, type Actor, type Harness } from './harness';

jest.setTimeout(180_000);

type Lang = 'zh' | 'en';
interface PageSpec {
  name: string;
  user: string | null; // null: signed out
  path: string;
}

let h: Harness;
let PAGES: PageSpec[];
const actors = new Map<string, Actor>();

beforeAll(async () => {
  h = await startHarness();
  const api = actions(h.t, h.world);
  const ok = async (id: string, user: string, event: Record<string, unknown>) => {
    const res = await api.send(id, user as never, event);
    if (res.status !== 200) throw new Error(`${String(event.type)}: ${res.status} ${JSON.stringify(res.body)}`);
  };
  const reviewed = async (title: string) => {
    const r = await api.submit({ title });
    await ok(r.id, 'policeOfficer', { type: 'ACKNOWLEDGE' });
    await ok(r.id, 'policeOfficer', { type: 'RECORD_REVIEW', recommendation: 'file', opinion: '证据确实，建议立案' });
    return r.id;
  };
  const submitted = (await api.submit({ title: '仓库查获假冒白酒案' })).id;
  const inReview = await reviewed('网络平台销售处方药案');
  const accepted = await reviewed('生产销售假冒降压药案');
  await ok(accepted, 'lead', { type: 'ACCEPT', caseNumber: '杭公刑立字〔2026〕0815号' });
  const rectification = await reviewed('收购加工病死猪肉案');
  await ok(rectification, 'lead', { type: 'ACCEPT', caseNumber: '杭公刑立字〔2026〕0902号' });
  const due = new Date(Date.now() + 40 * 86_400_000).toISOString();
  await ok(rectification, 'lead', {
    type: 'START_JOINT_RECTIFICATION',
    dueAt: due,
    tasks: [{ agencyId: h.world.agencies.nbAmr, description: '生猪屠宰及肉品流通环节专项排查', dueAt: due }],
  });
  const supervised = await reviewed('销售无证医用口罩案');
  await ok(supervised, 'lead', {
    type: 'DECLINE',
    reasons: '现有证据不足以证明足以严重危害人体健康',
    legalBasis: '《刑事诉讼法》第一百一十二条',
  });
  await ok(supervised, 'officer', { type: 'REQUEST_SUPERVISION', grounds: '检验报告显示细菌过滤效率不合格' });
  await ok(supervised, 'procurator', { type: 'REQUIRE_REASONS', note: '请说明不立案理由' });

  // The administrative case register and the linkage workflows (issue 10)
  const post = async (user: keyof typeof h.world.tokens, path: string, body: object) => {
    const res = await h.t.http().post(path).set('Authorization', api.auth(user)).send(body);
    if (res.status !== 201 && res.status !== 200) throw new Error(`${path}: ${res.status} ${JSON.stringify(res.body)}`);
    return res.body as { id: string };
  };
  const adminCase = await post('officer', '/api/v1/admin-cases', {
    caseNo: '杭市监处罚〔2026〕66号',
    domain: 'food',
    title: '销售病死猪肉案',
    summary: '农贸市场摊位销售病死猪肉 300 公斤。',
    parties: [{ kind: 'organization', name: '杭州某肉类有限公司', idNumber: '91330100MA2B3C4D1A' }],
    facts: { salesAmount: '42000.00', findings: ['sick-animal-meat'] },
    penalty: {
      decisionNo: '杭市监处罚〔2026〕66号',
      decidedAt: '2026-03-01',
      kinds: ['fine', 'confiscation'],
      fineAmount: '50000.00',
    },
    campaign: 'kunlun-2026',
  });
  const recommendation = await post('procurator', '/api/v1/recommendations', {
    adminCaseId: adminCase.id,
    reasons: '销售病死猪肉，已达刑法第一百四十三条立案追诉标准。',
  });
  const fromScratch = await post('procurator', '/api/v1/reverse-transfers', {
    basis: 'not-prosecuted',
    targetAgencyId: h.world.agencies.hzAmr,
    reasons: '犯罪情节轻微，决定不起诉，但应予行政处罚',
    opinion: '建议对该公司依法给予行政处罚',
    criminalDecisionNo: '杭检不诉〔2026〕3号',
    domain: 'food',
    title: '供应过期肉品案',
    summary: '检察机关决定不起诉，移送行政处罚。',
    parties: [{ kind: 'person', name: '张三', idNumber: '330102199003071230' }],
  });
  // Listed for supervision with a reporting period (issue 11 §3), and a party's chain (§1)
  await ok(inReview, 'procurator', { type: 'LIST_FOR_SUPERVISION', level: 'province', reportEveryDays: 15, note: '挂牌督办' });
  const links = await h.t.http().get(`/api/v1/referrals/${submitted}/links`).set('Authorization', api.auth('procurator'));
  const partyId = (links.body as { parties: { id: string }[] }).parties[0].id;
  PAGES = [
    { name: 'sign-in', user: null, path: '/login' },
    { name: 'work queue (agency officer)', user: 'officer', path: '/' },
    { name: 'submit form', user: 'officer', path: '/referrals/new' },
    { name: 'referral, submitted (officer)', user: 'officer', path: `/referrals/${submitted}` },
    { name: 'referral, accepted (officer: evidence handover)', user: 'officer', path: `/referrals/${accepted}` },
    { name: 'change password', user: 'officer', path: '/account/password' },
    { name: 'page not found', user: 'officer', path: '/no-such-page' },
    { name: 'work queue (police lead)', user: 'lead', path: '/' },
    { name: 'referral, reviewed (lead)', user: 'lead', path: `/referrals/${inReview}` },
    { name: 'referral, accepted (lead)', user: 'lead', path: `/referrals/${accepted}` },
    { name: 'referral, reasons required (procurator)', user: 'procurator', path: `/referrals/${supervised}` },
    { name: 'referral, joint rectification (task agency)', user: 'nbOfficer', path: `/referrals/${rectification}` },
    { name: 'work queue (supervisor)', user: 'supervisor', path: '/' },
    { name: 'case register (officer)', user: 'officer', path: '/admin-cases' },
    { name: 'record a case (officer)', user: 'officer', path: '/admin-cases/new' },
    { name: 'screening list (procurator)', user: 'procurator', path: '/screening' },
    { name: 'administrative case (procurator)', user: 'procurator', path: `/admin-cases/${adminCase.id}` },
    { name: 'recommendations (supervisor)', user: 'supervisor', path: '/recommendations' },
    { name: 'recommendation, issued (officer)', user: 'officer', path: `/recommendations/${recommendation.id}` },
    { name: 'recommendation, issued (procurator)', user: 'procurator', path: `/recommendations/${recommendation.id}` },
    { name: 'reverse transfers (officer)', user: 'officer', path: '/reverse-transfers' },
    { name: 'reverse transfer, transferred (officer)', user: 'officer', path: `/reverse-transfers/${fromScratch.id}` },
    { name: 'reverse transfer, start (procurator)', user: 'procurator', path: '/reverse-transfers/new' },
    { name: 'campaigns (officer)', user: 'officer', path: '/campaigns' },
    { name: 'campaigns (supervisor)', user: 'supervisor', path: '/campaigns' },
    { name: 'campaign dashboard (supervisor)', user: 'supervisor', path: '/campaigns/kunlun-2026' },
    { name: 'listed cases (procurator)', user: 'procurator', path: '/supervision/listed' },
    { name: 'chain view (procurator)', user: 'procurator', path: `/parties/${partyId}/chain` },
  ];
  for (const user of new Set(PAGES.map((p) => p.user))) {
    if (user) actors.set(user, await h.actor(user));
  }
  const context = await h.browser.newContext({ baseURL: h.baseUrl, viewport: { width: 1366, height: 768 } });
  const page = await context.newPage();
  actors.set('', {
    context,
    page,
    problems: watch(page),
    axe: (include) => axe(page, include),
    close: () => context.close(),
  });
}, 180_000);

afterAll(async () => {
  for (const a of actors.values()) await a.close().catch(() => undefined);
  await h?.close();
});

const actorOf = (p: PageSpec) => actors.get(p.user ?? '')!;

interface Doc {
  document: {
    querySelector(s: string): unknown;
    querySelectorAll(s: string): ArrayLike<{ getAttribute(n: string): string | null; textContent: string | null }>;
    body: { innerText: string };
    documentElement: { scrollWidth: number };
  };
  localStorage: { setItem(k: string, v: string): void };
  innerWidth: number;
}

async function setLang(page: Page, lang: Lang): Promise<void> {
  if (page.url() === 'about:blank') await page.goto('/login');
  await page.evaluate((l) => (globalThis as unknown as Doc).localStorage.setItem('caselink.lang', l), lang);
}

/** Loaded: the page's heading drawn, no spinner left, the diagram drawn on a referral page. */
async function visit(page: Page, spec: PageSpec): Promise<void> {
  await page.goto(spec.path);
  await page.locator('h1').first().waitFor();
  if (/^\/(referrals|recommendations|reverse-transfers)\/[0-9a-f-]{36}$/.test(spec.path)) {
    await page.locator('.caselink-statechart svg').waitFor();
    await page.getByTestId('verify').waitFor();
  }
  await page.waitForFunction(
    () => !(globalThis as unknown as Doc).document.querySelector('.ant-spin-spinning, .ant-table-placeholder .ant-spin'),
  );
}

/** What a reader sees or hears: the text, labels, placeholders and titles. */
function visibleText(page: Page): Promise<string> {
  return page.evaluate(() => {
    const d = (globalThis as unknown as Doc).document;
    const attrs = Array.from(d.querySelectorAll('[aria-label], [placeholder], [title], [alt]')).flatMap((e) =>
      ['aria-label', 'placeholder', 'title', 'alt'].map((a) => e.getAttribute(a) ?? ''),
    );
    const svg = Array.from(d.querySelectorAll('svg text, svg foreignObject')).map((e) => e.textContent ?? '');
    return [d.body.innerText, ...attrs, ...svg].join('\n');
  });
}

const NAMESPACES = Object.keys(zh);
const RAW_KEY = new RegExp(`(?<![\\w-])(?:${NAMESPACES.join('|')})\\.[A-Za-z][\\w-]*(?:\\.[\\w-]+)*`, 'g');
const SUBSTATES = ['awaiting-procurator', 'reasons-required', 'reasons-submitted', 'filing-ordered'];
const OTHER = ['not-file', 'listed-supervision', 'investigation-terminated', 'reverse-transferred', 'ATTACHMENT_ADDED'];
const API_VALUES = [
  ...STATES,
  ...DOMAINS,
  ...DEADLINE_KINDS,
  ...ATTACHMENT_KINDS,
  ...ROLES,
  ...EVENT_TYPES,
  ...SUBSTATES,
  ...OTHER,
];
// Hyphenated and upper-case values never read as words in either language; in Chinese no lower-case one does
// either (roles are left out: the test users are called 'procurator' and 'supervisor').
const wordsOnlyIn = (lang: Lang) =>
  [
    ...new Set([
      ...API_VALUES,
      ...(lang === 'zh'
        ? [
            ...AGENCY_KINDS,
            'pending',
            'met',
            'breached',
            'paused',
            'cancelled',
            'open',
            'done',
            'file',
            'prosecuted',
            'rectified',
            'verification',
            'complex',
            'special',
            'person',
            'organization',
          ]
        : []),
    ]),
  ].filter((v) => (lang === 'zh' ? !ROLES.includes(v as never) || v.includes('-') : /[-_]|^[A-Z]+$/.test(v)));

function untranslated(text: string, lang: Lang): string[] {
  const found = new Set<string>(text.match(RAW_KEY) ?? []);
  for (const bad of ['undefined', 'NaN', '[object Object]', '{{', '}}', 'Invalid Date']) if (text.includes(bad)) found.add(bad);
  if (/(?<![\w-])null(?![\w-])/.test(text)) found.add('null');
  for (const v of wordsOnlyIn(lang)) {
    if (new RegExp(`(?<![\\w-])${v.replace(/[-]/g, '\\-')}(?![\\w-])`).test(text)) found.add(v);
  }
  return [...found].sort();
}

/** Every event button on the page, in turn: its form opened, checked, closed. */
async function eachEventForm(page: Page, seen: Set<string>, check: (event: string) => Promise<void>): Promise<number> {
  const all = await page.locator('button[data-event]').evaluateAll((bs) => bs.map((b) => b.getAttribute('data-event')!));
  // One form per event is drawn by the same code wherever it opens: each is checked once per language.
  const events = all.filter((e) => !seen.has(e));
  for (const event of events) {
    seen.add(event);
    await page.locator(`button[data-event="${event}"]`).click();
    const dialog = page.getByRole('dialog');
    await dialog.waitFor();
    await animationsDone(page);
    await check(event);
    await dialog.getByRole('button', { name: /取\s*消|Cancel/ }).click();
    await dialog.waitFor({ state: 'hidden' });
  }
  return events.length;
}

// Chinese: words and axe in one visit of each page and each kind of event form;
// English: words. Each actor's console errors and failed requests fail the test.
test.each(['zh', 'en'] as const)('every page and event form in %s: words, not keys or API values; axe (zh)', async (lang) => {
  const found: Record<string, string[]> = {};
  const violations: Record<string, string[]> = {};
  const seenForms = new Set<string>();
  let forms = 0;
  for (const spec of PAGES) {
    const actor = actorOf(spec);
    const { page } = actor;
    await setLang(page, lang);
    await visit(page, spec);
    expect(await page.locator('html').getAttribute('lang')).toBe(lang === 'zh' ? 'zh-CN' : 'en');
    const bad = untranslated(await visibleText(page), lang);
    if (bad.length) found[spec.name] = bad;
    if (lang === 'zh') {
      const onPage = await actor.axe();
      if (onPage.length) violations[spec.name] = onPage;
    }
    forms += await eachEventForm(page, seenForms, async (event) => {
      const inForm = untranslated(await visibleText(page), lang);
      if (inForm.length) found[`${spec.name}: ${event} form`] = inForm;
      if (lang !== 'zh') return;
      const axeForm = await actor.axe('.ant-modal');
      if (axeForm.length) violations[`${event} form`] = axeForm;
    });
  }
  expect(found).toEqual({});
  expect(violations).toEqual({});
  expect(forms).toBeGreaterThanOrEqual(12); // of the 25 client events
  for (const a of actors.values()) expect(a.problems).toEqual([]);
});

// The main pages, as a phone and as a laptop show them.
const MAIN = new Set([
  'sign-in',
  'work queue (police lead)',
  'submit form',
  'referral, reviewed (lead)',
  'referral, joint rectification (task agency)',
  'change password',
]);

test.each([
  [390, 844],
  [1366, 768],
])('at %i px wide no main page is wider than the screen', async (width, height) => {
  const tooWide: Record<string, number> = {};
  for (const spec of PAGES.filter((p) => MAIN.has(p.name))) {
    const { page } = actorOf(spec);
    await setLang(page, 'zh');
    await page.setViewportSize({ width, height });
    await visit(page, spec);
    const scrollWidth = await page.evaluate(() => (globalThis as unknown as Doc).document.documentElement.scrollWidth);
    if (scrollWidth > width + 2) tooWide[spec.name] = scrollWidth;
  }
  for (const a of actors.values()) await a.page.setViewportSize({ width: 1366, height: 768 });
  expect(tooWide).toEqual({});
  for (const a of actors.values()) expect(a.problems).toEqual([]);
});
