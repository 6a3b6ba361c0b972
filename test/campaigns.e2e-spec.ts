// The campaign register and dashboards (issue 11 §4): the register's CRUD with its
// roles, validation, conflicts and If-Match; campaign codes on referrals and
// administrative cases checked against it and the suggestion; the dashboard against a
// brute-force recount, row by row, of generated referrals and cases; its CSV.
import { randomUUID } from 'node:crypto';
import { regionCovers } from '../src/auth/regions';
import { creditCodeCheck } from '../workflows/parties/party-identity';
import {
  eventually,
  expectProblem,
  expectValidationFailed,
  issueRecommendation,
  recordAdminCase,
  registerCampaign,
  useScenario,
  type Caller,
} from './kit';
import { referralBody } from './support/world';

const CAMPAIGNS = '/api/v1/campaigns';
const TZ = 'Asia/Shanghai';

let seq = 0;
const code = (tag: string) => `${tag}-${++seq}-${randomUUID().slice(0, 6)}`;

function campaignBody(overrides: Record<string, unknown> = {}) {
  return {
    code: code('c'),
    name: '昆仑2023',
    startsOn: '2023-03-01',
    endsOn: '2023-12-31',
    domains: ['food', 'drug', 'intellectual-property', 'environment', 'wildlife', 'natural-resources', 'biosecurity'],
    regionCodes: ['330000'],
    ...overrides,
  };
}

/** The local date (APP_TIMEZONE) of an instant, and a month of it. */
const localDate = (at: Date) => new Intl.DateTimeFormat('en-CA', { timeZone: TZ }).format(at);
const addYears = (date: string, years: number) => `${Number(date.slice(0, 4)) + years}${date.slice(4)}`;

describe('campaigns', () => {
  const s = useScenario({ CLOCK_MODE: 'controllable' });
  const campaignCount = async () => (await s.t.db.query(`SELECT count(*)::int AS n FROM campaigns`))[0].n as number;
  const create = (body: object, user: Caller = 'admin') => s.as(user).post(CAMPAIGNS, body);
  const patch = (c: string, body: object, user: Caller = 'admin', ifMatch?: string) => {
    const req = s.t.http().patch(`${CAMPAIGNS}/${c}`).set('Authorization', s.auth(user));
    if (ifMatch !== undefined) req.set('If-Match', ifMatch);
    return req.send(body);
  };

  describe('the register', () => {
    it('registers a campaign (admin), reads it back with its ETag, and lists it for anyone', async () => {
      const body = campaignBody({ leadingAgencyIds: [s.w.agencies.zjKunlun, s.w.agencies.hzPsb] });
      const res = await create(body);
      expect(res.status).toBe(201);
      expect(res.headers.etag).toBe('"1"');
      expect(res.body).toEqual({
        id: expect.any(String),
        code: body.code,
        name: '昆仑2023',
        startsOn: '2023-03-01',
        endsOn: '2023-12-31',
        domains: body.domains,
        regionCodes: ['330000'],
        leadingAgencyIds: [s.w.agencies.zjKunlun, s.w.agencies.hzPsb],
        version: 1,
        createdAt: expect.any(String),
        updatedAt: expect.any(String),
      });
      const read = await s.as('officer').get(`${CAMPAIGNS}/${body.code}`);
      expect(read.status).toBe(200);
      expect(read.headers.etag).toBe('"1"');
      expect(read.body).toEqual(res.body);
      const list = await s.as('lead').get(`${CAMPAIGNS}?limit=100`);
      expect(list.status).toBe(200);
      expect(list.body.items.map((c: { code: string }) => c.code)).toContain(body.code);
    });

    it('filters the list by date, field and region, and pages it', async () => {
      const tag = randomUUID().slice(0, 6);
      const make = async (letter: string, startsOn: string, endsOn: string, domains: string[], regionCodes: string[]) =>
        (await create(campaignBody({ code: `f${letter}-${tag}`, startsOn, endsOn, domains, regionCodes }))).body;
      const a = await make('a', '2021-01-01', '2021-06-30', ['wildlife'], ['330100']);
      const b = await make('b', '2021-06-01', '2021-12-31', ['food'], ['320000']);
      const c = await make('c', '2021-06-15', '2021-07-15', ['wildlife', 'food'], ['000000']);
      const codes = async (query: string) =>
        (await s.as('officer').get(`${CAMPAIGNS}?limit=100&${query}`)).body.items
          .map((x: { code: string }) => x.code)
          .filter((x: string) => x.endsWith(tag));
      expect(await codes('')).toEqual([c.code, b.code, a.code]);
      expect(await codes('activeOn=2021-06-20')).toEqual([c.code, b.code, a.code]);
      expect(await codes('activeOn=2021-02-01')).toEqual([a.code]);
      expect(await codes('activeOn=2021-07-01')).toEqual([c.code, b.code]);
      expect(await codes('domain=wildlife')).toEqual([c.code, a.code]);
      expect(await codes('region=330106')).toEqual([c.code, a.code]); // Xihu: inside Hangzhou and the nation
      expect(await codes('region=320100')).toEqual([c.code, b.code]);
      expect(await codes('region=330200&domain=food')).toEqual([c.code]);
      const first = await s.as('officer').get(`${CAMPAIGNS}?limit=1`);
      const second = await s.as('officer').get(`${CAMPAIGNS}?limit=1&cursor=${first.body.nextCursor}`);
      expect(first.body.items).toHaveLength(1);
      expect(second.body.items[0].code).not.toBe(first.body.items[0].code);
      expectValidationFailed(await s.as('officer').get(`${CAMPAIGNS}?activeOn=2021-02-30`), 'activeOn');
      expectValidationFailed(await s.as('officer').get(`${CAMPAIGNS}?domain=fishing`), 'domain');
      expectValidationFailed(await s.as('officer').get(`${CAMPAIGNS}?region=33`), 'region');
      expectValidationFailed(await s.as('officer').get(`${CAMPAIGNS}?cursor=nonsense`), 'cursor');
    });

    it('lets a supervisor register campaigns inside its own region only; other roles not at all', async () => {
      const inside = await create(campaignBody({ regionCodes: ['330100', '330200'] }), 'supervisor');
      expect(inside.status).toBe(201);
      const before = await campaignCount();
      expectProblem(await create(campaignBody({ regionCodes: ['330100', '320000'] }), 'supervisor'), 403, 'FORBIDDEN');
      expectProblem(await create(campaignBody({ regionCodes: ['000000'] }), 'supervisor'), 403, 'FORBIDDEN');
      for (const user of ['officer', 'lead', 'procurator', 'policeOfficer'] as Caller[]) {
        expectProblem(await create(campaignBody(), user), 403, 'FORBIDDEN');
      }
      expect(await campaignCount()).toBe(before);
    });

    it.each([
      ['code', { code: 'Kunlun 2023' }],
      ['code', { code: 'x'.repeat(65) }],
      ['name', { name: '' }],
      ['name', { name: '昆'.repeat(101) }],
      ['startsOn', { startsOn: '2023-02-30' }],
      ['endsOn', { endsOn: '2023-02-28' }],
      ['domains', { domains: [] }],
      ['domains', { domains: ['fishing'] }],
      ['domains', { domains: ['food', 'food'] }],
      ['regionCodes', { regionCodes: [] }],
      ['regionCodes', { regionCodes: ['33010'] }],
      ['leadingAgencyIds', { leadingAgencyIds: ['not-a-uuid'] }],
      ['leadingAgencyIds.0', { leadingAgencyIds: [randomUUID()] }],
      ['', { colour: 'red' }],
    ])('refuses a body with a bad %s (400, nothing written)', async (field, over) => {
      const before = await campaignCount();
      const res = await create(campaignBody(over));
      if (field) expectValidationFailed(res, field);
      else expectValidationFailed(res);
      expect(await campaignCount()).toBe(before);
    });

    it('refuses a code already registered (409 ALREADY_EXISTS)', async () => {
      const body = campaignBody();
      expect((await create(body)).status).toBe(201);
      const before = await campaignCount();
      expectProblem(await create({ ...body, name: 'another' }, 'supervisor'), 409, 'ALREADY_EXISTS');
      expect(await campaignCount()).toBe(before);
    });

    it('changes a campaign with If-Match; a stale version is 412 and changes nothing', async () => {
      const body = campaignBody();
      await create(body);
      const changed = await patch(body.code, { name: '昆仑2023 专项行动', endsOn: '2024-01-31' }, 'admin', '"1"');
      expect(changed.status).toBe(200);
      expect(changed.headers.etag).toBe('"2"');
      expect(changed.body).toMatchObject({ code: body.code, name: '昆仑2023 专项行动', endsOn: '2024-01-31', version: 2 });
      const stale = await patch(body.code, { name: 'stale' }, 'admin', '"1"');
      expectProblem(stale, 412, 'VERSION_CONFLICT');
      expect(stale.body.currentVersion).toBe(2);
      expect((await s.as('officer').get(`${CAMPAIGNS}/${body.code}`)).body).toEqual(changed.body);
      // without If-Match, last writer wins
      expect((await patch(body.code, { domains: ['wildlife'] })).body).toMatchObject({ domains: ['wildlife'], version: 3 });
      expectValidationFailed(await patch(body.code, { endsOn: '2023-01-01' }), 'endsOn');
      expectValidationFailed(await patch(body.code, { code: 'renamed' }));
      expectValidationFailed(await patch(body.code, { name: 'x' }, 'admin', 'soon'), 'If-Match');
      expect((await s.as('officer').get(`${CAMPAIGNS}/${body.code}`)).body.version).toBe(3);
    });

    it('lets a supervisor change only campaigns wholly inside its region, and keep them there', async () => {
      const zj = campaignBody({ regionCodes: ['330100'] });
      const both = campaignBody({ regionCodes: ['330000', '320000'] });
      await create(zj);
      await create(both);
      expect((await patch(zj.code, { regionCodes: ['330100', '330200'] }, 'supervisor')).status).toBe(200);
      expectProblem(await patch(zj.code, { regionCodes: ['320000'] }, 'supervisor'), 403, 'FORBIDDEN');
      expectProblem(await patch(zj.code, { name: 'js' }, 'jsSupervisor'), 403, 'FORBIDDEN');
      expectProblem(await patch(both.code, { name: 'zj' }, 'supervisor'), 403, 'FORBIDDEN');
      expectProblem(await patch(zj.code, { name: 'x' }, 'officer'), 403, 'FORBIDDEN');
      expectProblem(await patch(zj.code, { name: 'x' }, 'procurator'), 403, 'FORBIDDEN');
      expect((await s.as('officer').get(`${CAMPAIGNS}/${zj.code}`)).body).toMatchObject({
        regionCodes: ['330100', '330200'],
        version: 2,
      });
    });

    it('answers 404 for a campaign that is not registered, or a code that cannot be one', async () => {
      expectProblem(await s.as('officer').get(`${CAMPAIGNS}/no-such-campaign`), 404, 'NOT_FOUND');
      expectProblem(await s.as('officer').get(`${CAMPAIGNS}/NOT%20A%20CODE`), 404, 'NOT_FOUND');
      expectProblem(await patch('no-such-campaign', { name: 'x' }), 404, 'NOT_FOUND');
      expectProblem(await s.as('admin').get(`${CAMPAIGNS}/no-such-campaign/dashboard`), 404, 'NOT_FOUND');
    });
  });

  describe('campaign codes on referrals and administrative cases', () => {
    const caseBody = (campaign: string) => ({
      caseNo: `杭市监处罚〔2026〕${randomUUID().slice(0, 8)}号`,
      domain: 'other',
      title: 'Heaters',
      summary: 'Substandard heaters.',
      parties: [{ kind: 'organization', name: 'Hangzhou Example Trading Co.' }],
      facts: { salesAmount: '1000.00' },
      penalty: { decisionNo: 'd', decidedAt: '2026-03-01', kinds: ['warning'] },
      campaign,
    });
    const counts = async () =>
      (await s.t.db.query(`SELECT (SELECT count(*) FROM referrals)::int AS r, (SELECT count(*) FROM admin_cases)::int AS c`))[0];

    it('refuses a code not in the register (400 on campaign, naming it; nothing written)', async () => {
      const before = await counts();
      const referral = await s
        .as('officer')
        .post('/api/v1/referrals', referralBody(s.w.agencies.hzPsb, { campaign: 'kunlun-2099' }));
      expectValidationFailed(referral, 'campaign');
      expect(referral.body.errors[0].message).toContain('kunlun-2099');
      const adminCase = await s.as('officer').post('/api/v1/admin-cases', caseBody('kunlun-2099'));
      expectValidationFailed(adminCase, 'campaign');
      expect(adminCase.body.errors[0].message).toContain('kunlun-2099');
      expect(await counts()).toEqual(before);
    });

    it('rejects the import rows that name an unregistered campaign, and records the others', async () => {
      const row = (campaign: string) => JSON.stringify(caseBody(campaign));
      const res = await s.t
        .http()
        .post('/api/v1/admin-cases/import')
        .set('Authorization', s.auth('officer'))
        .set('Content-Type', 'application/x-ndjson')
        .send([row('kunlun-2026'), row('kunlun-2099'), row('kunlun-2026')].join('\n'));
      expect(res.status).toBe(200);
      expect(res.body).toMatchObject({ accepted: 2, created: 2, rejected: [{ line: 2, errors: [{ field: 'campaign' }] }] });
      expect(res.body.rejected[0].errors[0].message).toContain('kunlun-2099');
    });

    it('suggests the one campaign running on the day of submission in the field and region of a referral', async () => {
      const today = localDate(await s.clock.now());
      const cosmetics = await registerCampaign(s.t, s.w.tokens.admin, code('cos'), {
        domains: ['cosmetics'],
        regionCodes: ['330100'],
        startsOn: addYears(today, -1),
        endsOn: addYears(today, 1),
      });
      const submit = async (user: Caller, target: string, over: Record<string, unknown>) => {
        const res = await s.as(user).post('/api/v1/referrals', referralBody(target, over));
        if (res.status !== 201) throw new Error(`submit: ${res.status} ${JSON.stringify(res.body)}`);
        return res.body;
      };
      const suggested = await submit('officer', s.w.agencies.hzPsb, { domain: 'cosmetics', campaign: undefined });
      expect(suggested).toMatchObject({ campaign: null, suggestedCampaign: cosmetics.code });
      expect((await s.get(suggested.id, 'officer')).body.suggestedCampaign).toBe(cosmetics.code);
      // named: no suggestion; another field or region: none matches
      expect(await submit('officer', s.w.agencies.hzPsb, { domain: 'cosmetics' })).toMatchObject({
        campaign: 'kunlun-2026',
        suggestedCampaign: null,
      });
      expect(await submit('officer', s.w.agencies.hzPsb, { domain: 'agriculture', campaign: undefined })).toMatchObject({
        suggestedCampaign: null,
      });
      expect(await submit('nbOfficer', s.w.agencies.nbPsb, { domain: 'cosmetics', campaign: undefined })).toMatchObject({
        suggestedCampaign: null,
      });
      // two campaigns match: nothing is suggested
      await registerCampaign(s.t, s.w.tokens.admin, code('cos2'), {
        domains: ['cosmetics', 'drug'],
        regionCodes: ['330000'],
        startsOn: today,
        endsOn: today,
      });
      expect(await submit('officer', s.w.agencies.hzPsb, { domain: 'cosmetics', campaign: undefined })).toMatchObject({
        suggestedCampaign: null,
      });
    });

    it("suggests the one campaign running on an administrative case's act date in its field and region", async () => {
      const md = await registerCampaign(s.t, s.w.tokens.admin, code('md'), {
        domains: ['medical-device'],
        regionCodes: ['330100'],
        startsOn: '2019-01-01',
        endsOn: '2019-12-31',
      });
      const penalty = { decisionNo: 'd', decidedAt: '2019-09-01', kinds: ['warning'] };
      const base = { domain: 'medical-device', campaign: undefined, penalty, facts: { salesAmount: '1000.00' } };
      const suggested = await recordAdminCase(s, { ...base, actDate: '2019-05-01' });
      expect(suggested).toMatchObject({ campaign: null, suggestedCampaign: md.code });
      expect((await s.as('procurator').get(`/api/v1/admin-cases/${suggested.id}`)).body.suggestedCampaign).toBe(md.code);
      // the act date defaults to the decision date, also inside the period
      expect(await recordAdminCase(s, base)).toMatchObject({ suggestedCampaign: md.code });
      expect(await recordAdminCase(s, { ...base, actDate: '2018-12-31' })).toMatchObject({ suggestedCampaign: null });
      expect(await recordAdminCase(s, { ...base, actDate: '2019-05-01' }, 'nbOfficer')).toMatchObject({
        suggestedCampaign: null,
      });
      expect(await recordAdminCase(s, { ...base, domain: 'cosmetics', actDate: '2019-05-01' })).toMatchObject({
        suggestedCampaign: null,
      });
    });
  });

  describe('the dashboard', () => {
    // What the test made, read back row by row: the brute-force side of the comparison.
    interface ReferralFact {
      region: string;
      domain: string;
      month: string;
      accepted: boolean;
      hoursToDecision: number | null;
      breaches: number;
      sourceAgencyId: string;
      targetAgencyId: string;
      parties: string[];
    }
    interface CaseFact {
      region: string;
      domain: string;
      month: string;
      flag: string | null;
      agencyId: string;
      recommendations: { region: string; sourceAgencyId: string; targetAgencyId: string }[];
      parties: string[];
    }
    type Counted =
      | 'transfers'
      | 'acceptances'
      | 'breaches'
      | 'screeningFlagged'
      | 'screeningNear'
      | 'recommendations'
      | 'linkedParties'
      | 'chains';
    type Figures = Record<Counted, number> & {
      acceptanceRate: number | null;
      medianHoursToDecision: number | null;
    };

    const campaign = code('dash');
    const referralIds: string[] = [];
    const caseIds: string[] = [];

    /** A small deterministic generator: the same data every run. */
    let state = 20231;
    const next = () => (state = (state * 48271) % 2147483647) / 2147483647;
    const pick = <T>(xs: readonly T[]): T => xs[Math.floor(next() * xs.length)];

    // The parties the cases state, by a generator of their own (the cases' paths stay as
    // they were): some from a small pool of organisations with valid credit codes, so
    // cases share them and form chains, and always one of the case's own.
    let partyState = 7;
    const nextParty = () => (partyState = (partyState * 48271) % 2147483647) / 2147483647;
    const run = randomUUID().replace(/-/g, '').slice(0, 9).toUpperCase();
    const POOL = Array.from({ length: 16 }, (_, i) => {
      const prefix = `913301${String(i).padStart(2, '0')}${run}`;
      return { kind: 'organization', name: `Kunlun Network Member ${run} No. ${i}`, idNumber: prefix + creditCodeCheck(prefix) };
    });
    /** Pool members by their index ('p3'), the case's own as 'own:<n>'. */
    let own = 0;
    const stated = () => {
      const picks = new Set<number>();
      const roll = nextParty();
      if (roll < 0.45) picks.add(Math.floor(nextParty() * POOL.length));
      if (roll < 0.08) picks.add(Math.floor(nextParty() * POOL.length));
      const mine = ++own;
      return {
        keys: [...[...picks].map((i) => `p${i}`), `own:${mine}`],
        bodies: [
          ...[...picks].map((i) => POOL[i]),
          { kind: 'organization', name: `Sole Trader ${run} No. ${mine}`, idNumber: undefined },
        ],
      };
    };
    const statedBy = new Map<string, string[]>();

    const PARTIES = {
      hz: {
        officer: 'officer',
        police: 'policeOfficer',
        lead: 'lead',
        target: () => s.w.agencies.hzPsb,
        procurator: 'procurator',
      },
      nb: {
        officer: 'nbOfficer',
        police: 'nbLead',
        lead: 'nbLead',
        target: () => s.w.agencies.nbPsb,
        procurator: 'nbProcurator',
      },
    } as const;

    /** Acknowledged and left: the next batch decides on some of them, days after their submission. */
    let waiting: { id: string; side: (typeof PARTIES)['hz' | 'nb'] }[] = [];

    async function generateBatch(n: number) {
      for (const [i, { id, side }] of waiting.entries()) {
        if (i % 2 === 1) continue;
        await s.must(id, side.police, { type: 'RECORD_REVIEW', recommendation: 'file', opinion: 'Late opinion' });
        await s.must(id, side.lead, { type: 'ACCEPT', caseNumber: `GA-L-${i}` });
      }
      waiting = [];
      for (let i = 0; i < n; i++) {
        const side = PARTIES[pick(['hz', 'hz', 'nb'] as const)];
        const parties = stated();
        const res = await s.as(side.officer).post(
          '/api/v1/referrals',
          referralBody(side.target(), {
            campaign,
            domain: pick(['food', 'wildlife', 'drug', 'biosecurity']),
            suspects: parties.bodies,
          }),
        );
        if (res.status !== 201) throw new Error(`submit: ${res.status} ${JSON.stringify(res.body)}`);
        const id = res.body.id;
        referralIds.push(id);
        statedBy.set(id, parties.keys);
        const path = pick(['submitted', 'acknowledged', 'acknowledged', 'accepted', 'declined', 'reconsidered'] as const);
        if (path === 'submitted') continue;
        await s.must(id, side.police, { type: 'ACKNOWLEDGE' });
        if (path === 'acknowledged') {
          waiting.push({ id, side });
          continue;
        }
        await s.must(id, side.police, {
          type: 'RECORD_REVIEW',
          recommendation: 'file',
          opinion: 'Opinion of the reviewing officer',
        });
        if (path === 'accepted') {
          await s.must(id, side.lead, { type: 'ACCEPT', caseNumber: `GA-${i}` });
          continue;
        }
        await s.must(id, side.lead, {
          type: 'DECLINE',
          reasons: 'The facts do not reach the criminal threshold.',
          legalBasis: 'MPS Provisions art. 178',
        });
        if (path === 'reconsidered') {
          await s.must(id, side.officer, { type: 'REQUEST_RECONSIDERATION', grounds: 'The sales exceed the threshold.' });
          await s.must(id, side.lead, { type: 'ACCEPT', caseNumber: `GA-R-${i}` });
        }
      }
      for (let i = 0; i < Math.ceil(n / 2); i++) {
        const side = PARTIES[pick(['hz', 'hz', 'nb'] as const)];
        const month = pick(['01', '02', '03', '04']);
        const parties = stated();
        const recorded = await recordAdminCase(
          s,
          {
            campaign,
            parties: parties.bodies,
            domain: pick(['other', 'cosmetics', 'food']),
            facts: { salesAmount: pick(['1000.00', '45000.00', '49000.00', '60000.00', '182000.00']) },
            actDate: `2026-${month}-0${1 + Math.floor(next() * 9)}`,
            penalty: { decisionNo: 'd', decidedAt: `2026-${month}-28`, kinds: ['warning'] },
          },
          side.officer,
        );
        caseIds.push(recorded.id);
        statedBy.set(recorded.id, parties.keys);
        if (recorded.screening.flag && next() < 0.6) await issueRecommendation(s, recorded.id, side.procurator);
      }
    }

    async function referralFacts(): Promise<ReferralFact[]> {
      const facts: ReferralFact[] = [];
      for (const id of referralIds) {
        const [r] = await s.t.db.query(`SELECT * FROM referrals WHERE id = $1`, [id]);
        const events: { type: string; occurred_at: Date }[] = await s.t.db.query(
          `SELECT type, occurred_at FROM referral_events WHERE referral_id = $1 ORDER BY seq`,
          [id],
        );
        const deadlines: { breached_at: Date | null }[] = await s.t.db.query(
          `SELECT breached_at FROM deadlines WHERE referral_id = $1`,
          [id],
        );
        const decision = events.find((e) => e.type === 'ACCEPT' || e.type === 'DECLINE');
        facts.push({
          region: r.region_code,
          domain: r.domain,
          month: localDate(r.created_at).slice(0, 7),
          accepted: events.some((e) => e.type === 'ACCEPT'),
          hoursToDecision: decision ? (decision.occurred_at.getTime() - r.created_at.getTime()) / 3_600_000 : null,
          breaches: deadlines.filter((d) => d.breached_at !== null).length,
          sourceAgencyId: r.source_agency_id,
          targetAgencyId: r.target_agency_id,
          parties: statedBy.get(id)!,
        });
      }
      return facts;
    }

    async function caseFacts(): Promise<CaseFact[]> {
      const facts: CaseFact[] = [];
      for (const id of caseIds) {
        const [c] = await s.t.db.query(`SELECT *, act_date::text AS act FROM admin_cases WHERE id = $1`, [id]);
        const recs = await s.t.db.query(
          `SELECT region_code, source_agency_id, target_agency_id FROM referrals WHERE admin_case_id = $1 AND workflow = 'transfer-recommendation'`,
          [id],
        );
        facts.push({
          region: c.region_code,
          domain: c.domain,
          month: c.act.slice(0, 7),
          flag: c.screening_flag,
          agencyId: c.agency_id,
          recommendations: recs.map((x: Record<string, string>) => ({
            region: x.region_code,
            sourceAgencyId: x.source_agency_id,
            targetAgencyId: x.target_agency_id,
          })),
          parties: statedBy.get(id)!,
        });
      }
      return facts;
    }

    function median(xs: number[]): number | null {
      if (xs.length === 0) return null;
      const sorted = [...xs].sort((a, b) => a - b);
      const mid = Math.floor(sorted.length / 2);
      return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
    }

    /**
     * Linked parties and chains among all the cases in scope, counted in a group when one
     * of their cases is in it: party by party, and chains by a walk from case to case.
     */
    function network(cases: { parties: string[]; key: string }[]) {
      const holders = new Map<string, number[]>();
      cases.forEach((c, i) => c.parties.forEach((p) => holders.set(p, [...(holders.get(p) ?? []), i])));
      const linked = [...holders.values()].filter((held) => held.length >= 2);
      const chains: number[][] = [];
      const seen = new Set<number>();
      for (let start = 0; start < cases.length; start++) {
        if (seen.has(start)) continue;
        const members: number[] = [];
        const queue = [start];
        seen.add(start);
        while (queue.length > 0) {
          const at = queue.shift()!;
          members.push(at);
          for (const held of linked) {
            if (!held.includes(at)) continue;
            for (const other of held) {
              if (!seen.has(other)) {
                seen.add(other);
                queue.push(other);
              }
            }
          }
        }
        if (members.length >= 2) chains.push(members);
      }
      const touches = (members: number[], key: string | null) => key === null || members.some((i) => cases[i].key === key);
      return (key: string | null) => ({
        linkedParties: linked.filter((held) => touches(held, key)).length,
        chains: chains.filter((members) => touches(members, key)).length,
      });
    }

    function figuresOf(
      rs: ReferralFact[],
      cs: CaseFact[],
      recs: number,
      uncovered: { linkedParties: number; chains: number },
    ): Figures {
      const acceptances = rs.filter((r) => r.accepted).length;
      return {
        transfers: rs.length,
        acceptances,
        acceptanceRate: rs.length ? acceptances / rs.length : null,
        medianHoursToDecision: median(rs.flatMap((r) => (r.hoursToDecision === null ? [] : [r.hoursToDecision]))),
        breaches: rs.reduce((n, r) => n + r.breaches, 0),
        screeningFlagged: cs.filter((c) => c.flag === 'flagged').length,
        screeningNear: cs.filter((c) => c.flag === 'near').length,
        recommendations: recs,
        ...uncovered,
      };
    }

    /** The dashboard recounted for a caller of agency `agencyId` whose oversight region is `region` (null: admin). */
    function recount(
      rs: ReferralFact[],
      cs: CaseFact[],
      caller: { region: string | null; agencyId: string },
      groupBy: 'region' | 'domain' | 'month',
    ) {
      const sees = (region: string, ...agencies: string[]) =>
        caller.region === null || regionCovers(caller.region, region) || agencies.includes(caller.agencyId);
      const myRs = rs.filter((r) => sees(r.region, r.sourceAgencyId, r.targetAgencyId));
      const myCs = cs
        .filter((c) => sees(c.region, c.agencyId))
        .map((c) => ({ ...c, recs: c.recommendations.filter((x) => sees(x.region, x.sourceAgencyId, x.targetAgencyId)).length }));
      const keys = [...new Set([...myRs.map((r) => r[groupBy]), ...myCs.map((c) => c[groupBy])])].sort();
      const count = (cases: typeof myCs) => cases.reduce((n, c) => n + c.recs, 0);
      const uncovered = network([...myRs, ...myCs].map((c) => ({ parties: c.parties, key: c[groupBy] })));
      return {
        campaign,
        groupBy,
        groups: keys.map((key) => ({
          key,
          ...figuresOf(
            myRs.filter((r) => r[groupBy] === key),
            myCs.filter((c) => c[groupBy] === key),
            count(myCs.filter((c) => c[groupBy] === key)),
            uncovered(key),
          ),
        })),
        total: figuresOf(myRs, myCs, count(myCs), uncovered(null)),
      };
    }

    /** In one key order, rates and medians to 9 places: SQL and JS floats may differ in the last bits. */
    const rounded = (d: { campaign: string; groupBy: string; groups: (Figures & { key: string })[]; total: Figures }) => {
      const to9 = (x: number | null) => (x === null ? null : Number(x.toFixed(9)));
      const r = (f: Figures) => ({
        transfers: f.transfers,
        acceptances: f.acceptances,
        acceptanceRate: to9(f.acceptanceRate),
        medianHoursToDecision: to9(f.medianHoursToDecision),
        breaches: f.breaches,
        screeningFlagged: f.screeningFlagged,
        screeningNear: f.screeningNear,
        recommendations: f.recommendations,
        linkedParties: f.linkedParties,
        chains: f.chains,
      });
      return {
        campaign: d.campaign,
        groupBy: d.groupBy,
        groups: d.groups.map((g) => ({ key: g.key, ...r(g) })),
        total: r(d.total),
      };
    };

    beforeAll(async () => {
      await registerCampaign(s.t, s.w.tokens.admin, campaign, {
        domains: ['food', 'wildlife', 'drug', 'biosecurity', 'other', 'cosmetics'],
        regionCodes: ['330000'],
      });
      // Three batches a fortnight and more apart: several months, and the deadlines left unanswered breach.
      await generateBatch(12);
      await s.clock.advance({ days: 17 });
      await generateBatch(10);
      await s.clock.advance({ days: 17 });
      await generateBatch(10);
      await s.clock.advance({ days: 4 });
    }, 240_000);

    const CALLERS: { user: Caller; region: string | null; agency: () => string }[] = [
      { user: 'admin', region: null, agency: () => '' },
      { user: 'supervisor', region: '330000', agency: () => s.w.agencies.zjKunlun },
      { user: 'procurator', region: '330100', agency: () => s.w.agencies.hzPro },
      { user: 'nbProcurator', region: '330200', agency: () => s.w.agencies.nbPro },
      { user: 'jsSupervisor', region: '320000', agency: () => s.w.agencies.jsKunlun },
    ];

    it.each(['region', 'domain', 'month'] as const)(
      'agrees with a brute-force recount of the generated rows, grouped by %s, for every overseer',
      async (groupBy) => {
        for (const caller of CALLERS) {
          // Deadline expiries fire asynchronously after the clock moved: compare once both sides agree.
          await eventually(
            `the ${groupBy} dashboard of ${caller.user}`,
            async () => {
              const res = await s.as(caller.user).get(`${CAMPAIGNS}/${campaign}/dashboard?groupBy=${groupBy}`);
              expect(res.status).toBe(200);
              const expected = recount(
                await referralFacts(),
                await caseFacts(),
                { region: caller.region, agencyId: caller.agency() },
                groupBy,
              );
              return { got: rounded(res.body), expected: rounded(expected) };
            },
            ({ got, expected }) => JSON.stringify(got) === JSON.stringify(expected),
            30_000,
            500,
          ).then(({ got, expected }) => expect(got).toEqual(expected));
        }
      },
      120_000,
    );

    it('covers what it should: several regions, fields, months, decisions, breaches, flags and recommendations', async () => {
      const all = recount(await referralFacts(), await caseFacts(), { region: null, agencyId: '' }, 'month');
      expect(all.groups.length).toBeGreaterThanOrEqual(3);
      expect(all.total.transfers).toBe(32);
      expect(all.total.acceptances).toBeGreaterThan(0);
      expect(all.total.acceptances).toBeLessThan(all.total.transfers);
      expect(all.total.breaches).toBeGreaterThan(0);
      expect(all.total.screeningFlagged).toBeGreaterThan(0);
      expect(all.total.screeningNear).toBeGreaterThan(0);
      expect(all.total.recommendations).toBeGreaterThan(0);
      // parties shared across cases, chains of several, and some reaching two regions
      expect(all.total.linkedParties).toBeGreaterThanOrEqual(3);
      expect(all.total.chains).toBeGreaterThanOrEqual(2);
      expect(all.total.chains).toBeLessThanOrEqual(all.total.linkedParties);
      const byRegion = recount(await referralFacts(), await caseFacts(), { region: null, agencyId: '' }, 'region');
      expect(byRegion.groups.map((g) => g.key)).toEqual(['330100', '330200']);
      const regionSum = byRegion.groups.reduce((n, g) => n + g.linkedParties, 0);
      expect(regionSum).toBeGreaterThan(byRegion.total.linkedParties);
    });

    it('is for overseers and admins only, and empty outside their region', async () => {
      for (const user of ['officer', 'lead', 'policeOfficer'] as Caller[]) {
        expectProblem(await s.as(user).get(`${CAMPAIGNS}/${campaign}/dashboard`), 403, 'FORBIDDEN');
        expectProblem(await s.as(user).get(`${CAMPAIGNS}/${campaign}/dashboard.csv`), 403, 'FORBIDDEN');
      }
      const js = await s.as('jsSupervisor').get(`${CAMPAIGNS}/${campaign}/dashboard`);
      expect(js.body).toMatchObject({ groupBy: 'region', groups: [], total: { transfers: 0, acceptanceRate: null } });
      expectValidationFailed(await s.as('admin').get(`${CAMPAIGNS}/${campaign}/dashboard?groupBy=state`), 'groupBy');
    });

    it('exports the same figures as CSV: BOM, CRLF, one row per group and the total', async () => {
      const json = await s.as('supervisor').get(`${CAMPAIGNS}/${campaign}/dashboard?groupBy=domain`);
      const res = await s.as('supervisor').get(`${CAMPAIGNS}/${campaign}/dashboard.csv?groupBy=domain`).buffer(true);
      expect(res.status).toBe(200);
      expect(res.headers['content-type']).toMatch(/^text\/csv; charset=utf-8/);
      expect(res.headers['content-disposition']).toBe(`attachment; filename=${campaign}-domain.csv`);
      const text: string = res.text;
      expect(text.startsWith('\ufeff')).toBe(true);
      const lines = text.slice(1).split('\r\n').filter(Boolean);
      expect(lines[0]).toBe(
        'key,transfers,acceptances,acceptanceRate,medianHoursToDecision,breaches,screeningFlagged,screeningNear,recommendations,linkedParties,chains',
      );
      const cells = (key: string, f: Record<string, unknown>) =>
        lines[0].split(',').map((column) => (column === 'key' ? key : String(f[column] ?? '')));
      expect(lines.slice(1).map((line) => line.split(','))).toEqual([
        ...json.body.groups.map((g: Figures & { key: string }) => cells(g.key, g)),
        cells('total', json.body.total),
      ]);
    });
  });
});
