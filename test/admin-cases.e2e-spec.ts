// Administrative cases (issue 10): recording, the import, lists and the
// procuratorate's screening list, in the world of test/support/world.ts.
import { randomUUID } from 'node:crypto';
import { expectProblem, expectValidationFailed, registerCampaign, useScenario, type Caller } from './kit';

const FULL_ID = '91330100MA2B3C4D12';
let seq = 0;
/** A fresh case number: each test makes its own cases. */
const caseNo = (tag: string) => `杭市监处罚〔2026〕${tag}-${++seq}-${randomUUID().slice(0, 8)}`;

function caseBody(overrides: Record<string, unknown> = {}) {
  return {
    caseNo: caseNo('t'),
    domain: 'other',
    title: 'Substandard heaters sold at a Xiaoshan market',
    summary: 'Inspection found heaters that failed the safety standard.',
    parties: [{ kind: 'organization', name: 'Hangzhou Example Trading Co.', idNumber: FULL_ID }],
    facts: { salesAmount: '12000.00' },
    penalty: { decisionNo: '杭市监处罚〔2026〕12号', decidedAt: '2026-03-01', kinds: ['fine'], fineAmount: '20000.00' },
    campaign: 'kunlun-2026',
    ...overrides,
  };
}

describe('administrative cases', () => {
  const s = useScenario();
  const record = async (overrides: Record<string, unknown> = {}, user: Caller = 'officer') => {
    const res = await s.as(user).post('/api/v1/admin-cases', caseBody(overrides));
    if (res.status !== 201) throw new Error(`record: ${res.status} ${JSON.stringify(res.body)}`);
    return res.body;
  };
  const count = async () => (await s.t.db.query(`SELECT count(*)::int AS n FROM admin_cases`))[0].n as number;
  const importAs = (user: Caller, type: string, body: string | Buffer) =>
    s.t.http().post('/api/v1/admin-cases/import').set('Authorization', s.auth(user)).set('Content-Type', type).send(body);

  describe('POST /admin-cases', () => {
    it('records a case, screens it and answers with its ETag', async () => {
      const body = caseBody({ facts: { salesAmount: '48000.00' } });
      const res = await s.as('officer').post('/api/v1/admin-cases', body);
      expect(res.status).toBe(201);
      expect(res.headers.etag).toBe('"1"');
      expect(res.body).toMatchObject({
        caseNo: body.caseNo,
        agency: { id: s.w.agencies.hzAmr, kind: 'regulator' },
        regionCode: '330100',
        actDate: '2026-03-01',
        parties: [{ idNumber: FULL_ID }],
        screening: {
          flag: 'near',
          severity: 0.96,
          reasons: [
            {
              rule: 'product-quality-140',
              version: 1,
              outcome: 'near',
              text: 'sales 48,000 ≥ 80 % of 50,000, Criminal Law art. 140; 立案追诉标准(一) art. 16',
            },
          ],
        },
        version: 1,
      });
      const again = await s.as('officer').get(`/api/v1/admin-cases/${res.body.id}`);
      expect(again.status).toBe(200);
      expect(again.body).toEqual(res.body);
    });

    it('uses the actDate for the rules in force, when given', async () => {
      const ip = { domain: 'intellectual-property', facts: { illegalBusinessVolume: '42000' } };
      const prior = [{ decidedAt: '2024-06-01', domain: 'intellectual-property' }];
      const before = await record({
        ...ip,
        priorPenalties: prior,
        actDate: '2025-04-25',
        penalty: { ...caseBody().penalty, decidedAt: '2025-09-01' },
      });
      const after = await record({
        ...ip,
        priorPenalties: prior,
        actDate: '2025-04-26',
        penalty: { ...caseBody().penalty, decidedAt: '2025-09-01' },
      });
      expect(before.screening.flag).toBe('near');
      expect(after.screening).toMatchObject({ flag: 'flagged', reasons: [{ rule: 'trademark-counterfeit-213', version: 2 }] });
    });

    it('a second case with the same caseNo in the agency → 409 with the existing id; another agency may use it', async () => {
      const first = await record();
      const res = await s.as('officer').post('/api/v1/admin-cases', caseBody({ caseNo: first.caseNo, title: 'Another' }));
      expectProblem(res, 409, 'ALREADY_EXISTS');
      expect(res.body.existingId).toBe(first.id);
      const other = await s.as('nbOfficer').post('/api/v1/admin-cases', caseBody({ caseNo: first.caseNo }));
      expect(other.status).toBe(201);
    });

    it('honours Idempotency-Key: same body → the first answer, another body → 409', async () => {
      const key = randomUUID();
      const body = caseBody();
      const one = await s.as('officer').post('/api/v1/admin-cases', body).set('Idempotency-Key', key);
      const two = await s.as('officer').post('/api/v1/admin-cases', body).set('Idempotency-Key', key);
      expect([one.status, two.status]).toEqual([201, 201]);
      expect(two.body.id).toBe(one.body.id);
      const three = await s.as('officer').post('/api/v1/admin-cases', caseBody()).set('Idempotency-Key', key);
      expectProblem(three, 409, 'IDEMPOTENCY_KEY_REUSED');
    });

    test.each(['policeOfficer', 'lead', 'procurator', 'supervisor', 'admin'] as Caller[])(
      '%s → 403, nothing written',
      async (user) => {
        const before = await count();
        const res = await s.as(user).post('/api/v1/admin-cases', caseBody());
        expectProblem(res, 403, 'FORBIDDEN');
        expect(await count()).toBe(before);
      },
    );

    // prettier-ignore
    test.each([
      ['no caseNo',                 { caseNo: undefined },                                                'caseNo'],
      ['an unknown domain',         { domain: 'space' },                                                  'domain'],
      ['no parties',                { parties: [] },                                                      'parties'],
      ['a bad party idNumber',      { parties: [{ kind: 'person', name: 'Li', idNumber: '12-34' }] },     'parties.0.idNumber'],
      ['a float amount',            { facts: { salesAmount: 48000 } },                                    'facts.salesAmount'],
      ['an unknown finding',        { facts: { findings: ['ufo'] } },                                     'facts.findings'],
      ['facts an array',            { facts: [] },                                                        'facts'],
      ['an impossible date',        { penalty: { decisionNo: 'x', decidedAt: '2026-02-30', kinds: ['warning'] } }, 'penalty.decidedAt'],
      ['an unknown penalty kind',   { penalty: { decisionNo: 'x', decidedAt: '2026-02-01', kinds: ['flogging'] } }, 'penalty.kinds'],
      ['a fine without its amount', { penalty: { decisionNo: 'x', decidedAt: '2026-02-01', kinds: ['fine'] } }, 'penalty.fineAmount'],
      ['an act after the decision', { actDate: '2026-03-02' },                                            'actDate'],
      ['an unknown field',          { colour: 'red' },                                                    'colour'],
    ])('%s → 400 naming the field, nothing written', async (_, overrides, field) => {
      const before = await count();
      const res = await s.as('officer').post('/api/v1/admin-cases', caseBody(overrides));
      expectValidationFailed(res, field);
      expect(await count()).toBe(before);
    });
  });

  describe('POST /admin-cases/import', () => {
    it('reads CSV with a BOM and Chinese headers, reports rejected lines, and is idempotent', async () => {
      const [a, b, c] = [caseNo('csv'), caseNo('csv'), caseNo('csv')];
      const csv = [
        '案件编号,领域,案件名称,案情摘要,当事人类型,当事人,证件号码,销售金额,认定情形,处罚决定书文号,处罚决定日期,处罚种类,罚款金额',
        `${a},食品,病死猪肉案,"销售病死猪肉, 共 300 公斤",单位,某肉类公司,${FULL_ID},8000,病死动物肉,杭市监处罚〔2026〕1号,2026-02-01,罚款;没收,50000`,
        `${b},other,"Heaters, ""type A""","two lines\nof summary",person,Li Si,,52000,,杭市监处罚〔2026〕2号,2026-02-02,warning,`,
        `${c},food,Bad date,x,person,Wang,,1,,杭市监处罚〔2026〕3号,2026-02-30,warning,`,
        `${caseNo('csv')},food,Fine without amount,x,person,Wang,,1,,杭市监处罚〔2026〕4号,2026-02-03,fine,`,
      ].join('\r\n');
      const bytes = Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(csv, 'utf8')]);
      const res = await importAs('officer', 'text/csv; charset=utf-8', bytes);
      expect(res.status).toBe(200);
      expect(res.body).toMatchObject({ accepted: 2, created: 2, updated: 0, unchanged: 0 });
      // the quoted two-line summary makes row c start on line 5
      expect(res.body.rejected).toEqual([
        { line: 5, errors: [expect.objectContaining({ field: 'penalty.decidedAt' })] },
        { line: 6, errors: [{ field: 'penalty.fineAmount', message: expect.any(String) }] },
      ]);
      const list = await s.as('officer').get(`/api/v1/admin-cases?q=${encodeURIComponent(a)}`);
      expect(list.body.items).toHaveLength(1);
      expect(list.body.items[0]).toMatchObject({
        caseNo: a,
        domain: 'food',
        summary: '销售病死猪肉, 共 300 公斤',
        parties: [{ kind: 'organization', name: '某肉类公司', idNumber: FULL_ID }],
        facts: { salesAmount: '8000', findings: ['sick-animal-meat'] },
        penalty: { kinds: ['fine', 'confiscation'], fineAmount: '50000' },
        screening: { flag: 'flagged', reasons: [{ rule: 'food-sick-meat-143' }] },
      });
      const heaters = (await s.as('officer').get(`/api/v1/admin-cases?q=${encodeURIComponent(b)}`)).body.items[0];
      expect(heaters).toMatchObject({
        title: 'Heaters, "type A"',
        summary: 'two lines\nof summary',
        screening: { flag: 'flagged' },
      });

      // the same file again changes nothing
      const again = await importAs('officer', 'text/csv', bytes);
      expect(again.body).toMatchObject({ accepted: 2, created: 0, updated: 0, unchanged: 2 });
      const unchanged = await s.as('officer').get(`/api/v1/admin-cases/${heaters.id}`);
      expect(unchanged.body).toMatchObject({ version: 1, updatedAt: heaters.updatedAt });

      // a changed row replaces the case and re-screens it
      const changed = csv.replace(`person,Li Si,,52000`, `person,Li Si,,5000`);
      const third = await importAs('officer', 'text/csv', changed);
      expect(third.body).toMatchObject({ accepted: 2, created: 0, updated: 1, unchanged: 1 });
      const after = await s.as('officer').get(`/api/v1/admin-cases/${heaters.id}`);
      expect(after.body).toMatchObject({ version: 2, facts: { salesAmount: '5000' }, screening: { flag: null, reasons: [] } });
      expect(after.headers.etag).toBe('"2"');
    });

    it('reads NDJSON, one POST body a line, with line numbers for the bad ones', async () => {
      const good = caseBody({ facts: { illegalBusinessVolume: '120000' }, domain: 'food' });
      const lines = [
        JSON.stringify(good),
        '',
        '{"caseNo": "x", ',
        JSON.stringify({ ...caseBody(), domain: 'space' }),
        JSON.stringify({ ...caseBody(), __proto__x: 1, constructor: 1 }),
        '[1, 2]',
      ].join('\n');
      const res = await importAs('officer', 'application/x-ndjson', lines);
      expect(res.status).toBe(200);
      expect(res.body).toMatchObject({ accepted: 1, created: 1 });
      expect(res.body.rejected.map((r: { line: number }) => r.line)).toEqual([3, 4, 5, 6]);
      expect(res.body.rejected[1].errors).toEqual([expect.objectContaining({ field: 'domain' })]);
      const list = await s.as('officer').get(`/api/v1/admin-cases?q=${encodeURIComponent(good.caseNo)}`);
      expect(list.body.items[0].screening).toMatchObject({ flag: 'flagged', reasons: [{ rule: 'food-illegal-business-225' }] });
    });

    it('refuses what cannot be read as a whole: 400 (type, header, encoding), 413 (size), 403 (role)', async () => {
      const before = await count();
      expectValidationFailed(await importAs('officer', 'application/json', '{}'), 'Content-Type');
      expectValidationFailed(await importAs('officer', 'text/csv', 'caseNo,colour\nx,red'), 'header.2');
      expectValidationFailed(await importAs('officer', 'text/csv', 'title\nx'), 'header');
      expectValidationFailed(await importAs('officer', 'text/csv', Buffer.from([0x63, 0xff, 0xfe])), 'body');
      expectValidationFailed(await importAs('officer', 'text/csv; charset=gbk', 'caseNo\nx'), 'Content-Type');
      expectProblem(await importAs('officer', 'text/csv', 'caseNo\n' + 'x'.repeat(6 * 1024 * 1024)), 413, 'PAYLOAD_TOO_LARGE');
      expectProblem(await importAs('lead', 'text/csv', 'caseNo\nx'), 403, 'FORBIDDEN');
      expect(await count()).toBe(before);
    });
  });

  describe('lists', () => {
    it('filters by domain, campaign, agency and decision dates, with cursors', async () => {
      const campaign = `c-${randomUUID().slice(0, 8)}`;
      await registerCampaign(s.t, s.w.tokens.admin, campaign);
      const mk = (decidedAt: string, domain = 'cosmetics') =>
        record({ campaign, domain, penalty: { decisionNo: 'd', decidedAt, kinds: ['warning'] } });
      const [jan, feb, mar] = [await mk('2026-01-10'), await mk('2026-02-10'), await mk('2026-03-10', 'wildlife')];
      const ids = async (query: string, user: Caller = 'officer') =>
        (await s.as(user).get(`/api/v1/admin-cases?campaign=${campaign}&${query}`)).body.items.map((i: { id: string }) => i.id);
      expect(await ids('')).toEqual([mar.id, feb.id, jan.id]);
      expect(await ids('domain=cosmetics')).toEqual([feb.id, jan.id]);
      expect(await ids('decidedFrom=2026-02-01&decidedTo=2026-03-10')).toEqual([mar.id, feb.id]);
      expect(await ids(`agencyId=${s.w.agencies.hzAmr}`)).toHaveLength(3);
      expect(await ids(`agencyId=${s.w.agencies.nbAmr}`)).toEqual([]);
      const page1 = await s.as('officer').get(`/api/v1/admin-cases?campaign=${campaign}&limit=2`);
      const page2 = await s.as('officer').get(`/api/v1/admin-cases?campaign=${campaign}&limit=2&cursor=${page1.body.nextCursor}`);
      expect([...page1.body.items, ...page2.body.items].map((i: { id: string }) => i.id)).toEqual([mar.id, feb.id, jan.id]);
      expect(page2.body.nextCursor).toBeNull();
      expectValidationFailed(await s.as('officer').get('/api/v1/admin-cases?cursor=nonsense'), 'cursor');
      expectValidationFailed(await s.as('officer').get('/api/v1/admin-cases?flag=maybe'), 'flag');
      expectValidationFailed(await s.as('officer').get('/api/v1/admin-cases?decidedFrom=2026-13-01'), 'decidedFrom');
    });

    it("the procuratorate's screening list: its region, most serious first, paged", async () => {
      const campaign = `s-${randomUUID().slice(0, 8)}`;
      await registerCampaign(s.t, s.w.tokens.admin, campaign);
      const sales = (amount: string, user: Caller = 'officer') => record({ campaign, facts: { salesAmount: amount } }, user);
      const flaggedBig = await sales('200000'); // 4 ×
      const flagged = await sales('60000'); // 1.2 ×
      const near = await sales('45000'); // 0.9
      const nearer = await sales('49000'); // 0.98
      await sales('1000'); // nothing
      const ningbo = await sales('300000', 'nbOfficer'); // another prefecture
      const list = async (user: Caller, flag: string, extra = '') =>
        (await s.as(user).get(`/api/v1/admin-cases?flag=${flag}&campaign=${campaign}${extra}`)).body;
      const ids = (page: { items: { id: string }[] }) => page.items.map((i) => i.id);
      expect(ids(await list('procurator', 'flagged'))).toEqual([flaggedBig.id, flagged.id]);
      expect(ids(await list('procurator', 'near'))).toEqual([nearer.id, near.id]);
      expect(ids(await list('nbProcurator', 'flagged'))).toEqual([ningbo.id]);
      expect(ids(await list('supervisor', 'flagged'))).toEqual([ningbo.id, flaggedBig.id, flagged.id]);
      expect(ids(await list('jsProcurator', 'flagged'))).toEqual([]);
      expect(ids(await list('procurator', 'any'))).toEqual([flaggedBig.id, flagged.id, nearer.id, near.id]);
      const first = await list('supervisor', 'flagged', '&limit=1');
      const second = await list('supervisor', 'flagged', `&limit=2&cursor=${first.nextCursor}`);
      expect([...ids(first), ...ids(second)]).toEqual([ningbo.id, flaggedBig.id, flagged.id]);
      expect((await list('procurator', 'flagged')).items[0].screening.reasons[0].text).toBe(
        'sales 200,000 ≥ 50,000, Criminal Law art. 140; 立案追诉标准(一) art. 16',
      );
      // a newest-first cursor is not one of the screening list
      const newest = await s.as('procurator').get(`/api/v1/admin-cases?campaign=${campaign}&limit=1`);
      expectValidationFailed(
        await s.as('procurator').get(`/api/v1/admin-cases?flag=flagged&cursor=${newest.body.nextCursor}`),
        'cursor',
      );
    });

    it('masks party ID numbers for everyone but the recording agency', async () => {
      const c = await record({ priorPenalties: [{ decidedAt: '2025-01-01', domain: 'other' }] });
      for (const [user, full] of [
        ['officer', true],
        ['procurator', false],
        ['supervisor', false],
        ['admin', false],
      ] as [Caller, boolean][]) {
        const one = await s.as(user).get(`/api/v1/admin-cases/${c.id}`);
        const listed = (await s.as(user).get(`/api/v1/admin-cases?q=${encodeURIComponent(c.caseNo)}`)).body.items[0];
        for (const seen of [one.body.parties[0].idNumber, listed.parties[0].idNumber]) {
          if (full) expect(seen).toBe(FULL_ID);
          else expect(seen).toMatch(/^9133\*+12$/);
        }
      }
    });
  });
});
