// Screening rules over HTTP (issue 10): everyone reads them, an admin adds versions,
// and a new version re-screens the cases it can affect in the same transaction.
import { randomUUID } from 'node:crypto';
import { SHIPPED_RULES } from '../workflows/screening/shipped-rules';
import { expectProblem, expectValidationFailed, useScenario, type Caller } from './kit';

const ruleBody = (overrides: Record<string, unknown> = {}) => ({
  offence: 'Illegal trade in wildlife products (test rule)',
  legalBasis: 'Criminal Law art. 341; 法释〔2022〕12号 art. 6',
  domain: 'wildlife',
  effectiveFrom: '2026-01-01',
  condition: { kind: 'amount', fact: 'salesAmount', atLeast: '1000' },
  ...overrides,
});

describe('screening rules', () => {
  const s = useScenario();
  const put = (code: string, body: object, user: Caller = 'admin', ifMatch?: string) => {
    const req = s.t.http().put(`/api/v1/screening-rules/${code}`).set('Authorization', s.auth(user));
    if (ifMatch !== undefined) req.set('If-Match', ifMatch);
    return req.send(body);
  };
  const wildlifeCase = async (salesAmount: string, decidedAt: string) => {
    const res = await s.as('officer').post('/api/v1/admin-cases', {
      caseNo: `野生动物-${randomUUID()}`,
      domain: 'wildlife',
      title: 'Sale of pangolin scales',
      summary: 'A shop sold pangolin scales.',
      parties: [{ kind: 'person', name: 'Zhao', idNumber: '330102199001011234' }],
      facts: { salesAmount },
      penalty: { decisionNo: '杭林罚〔2026〕1号', decidedAt, kinds: ['confiscation'] },
    });
    if (res.status !== 201) throw new Error(`record: ${res.status} ${JSON.stringify(res.body)}`);
    return res.body as { id: string; screening: { flag: string | null } };
  };
  const screeningOf = async (id: string) => (await s.as('officer').get(`/api/v1/admin-cases/${id}`)).body.screening;

  it('GET lists every shipped version to any authenticated caller, and the ones in force on a date', async () => {
    for (const user of ['policeOfficer', 'officer', 'jsSupervisor'] as Caller[]) {
      const res = await s.as(user).get('/api/v1/screening-rules');
      expect(res.status).toBe(200);
      const keys = res.body.items.map((r: { code: string; version: number }) => `${r.code}@${r.version}`);
      expect(keys).toEqual(expect.arrayContaining(SHIPPED_RULES.map((r) => `${r.code}@${r.version}`)));
    }
    const all = (await s.as('officer').get('/api/v1/screening-rules')).body.items;
    expect(all.find((r: { code: string; version: number }) => r.code === 'trademark-goods-214' && r.version === 1)).toMatchObject(
      {
        legalBasis: 'Criminal Law art. 214; 立案追诉标准(二) art. 70',
        domain: 'intellectual-property',
        effectiveFrom: '2010-05-07',
        effectiveTo: '2025-04-25',
        source: 'shipped',
        inForce: false,
      },
    );
    const versionOn = async (date: string) =>
      (await s.as('officer').get(`/api/v1/screening-rules?asOf=${date}`)).body.items.find(
        (r: { code: string }) => r.code === 'trademark-counterfeit-213',
      ).version;
    expect(await versionOn('2025-04-25')).toBe(1);
    expect(await versionOn('2025-04-26')).toBe(2);
    expectValidationFailed(await s.as('officer').get('/api/v1/screening-rules?asOf=2025-02-30'), 'asOf');
    expectProblem(await s.t.http().get('/api/v1/screening-rules'), 401, 'UNAUTHENTICATED');
  });

  it('PUT by an admin adds a version and re-screens the cases it affects, in its domain and window', async () => {
    const code = `wildlife-${randomUUID().slice(0, 8)}`;
    const inWindow = await wildlifeCase('1500', '2026-03-01');
    const before = await wildlifeCase('1500', '2025-12-31');
    expect(inWindow.screening.flag).toBeNull();

    const first = await put(code, ruleBody());
    expect(first.status).toBe(200);
    expect(first.body.rule).toMatchObject({ code, version: 1, source: 'admin', effectiveTo: null });
    expect(first.body.rescreened).toBeGreaterThanOrEqual(1);
    expect(await screeningOf(inWindow.id)).toMatchObject({
      flag: 'flagged',
      reasons: [
        {
          rule: code,
          version: 1,
          outcome: 'flagged',
          text: 'sales 1,500 ≥ 1,000, Criminal Law art. 341; 法释〔2022〕12号 art. 6',
        },
      ],
    });
    expect((await screeningOf(before.id)).flag).toBeNull();

    // a stale If-Match is refused; the right one adds version 2, which raises the threshold
    expectProblem(await put(code, ruleBody(), 'admin', '"7"'), 412, 'VERSION_CONFLICT');
    const second = await put(
      code,
      ruleBody({ condition: { kind: 'amount', fact: 'salesAmount', atLeast: '1800' } }),
      'admin',
      '"1"',
    );
    expect(second.body.rule).toMatchObject({ version: 2 });
    expect(await screeningOf(inWindow.id)).toMatchObject({
      flag: 'near',
      reasons: [{ rule: code, version: 2, outcome: 'near' }],
    });
    // cases recorded after the change are screened on it too
    const later = await wildlifeCase('5000', '2026-04-01');
    expect(later.screening).toMatchObject({ flag: 'flagged', reasons: [{ rule: code, version: 2 }] });
    const versions = (await s.as('officer').get('/api/v1/screening-rules')).body.items.filter(
      (r: { code: string }) => r.code === code,
    );
    expect(versions.map((r: { version: number; inForce: boolean }) => [r.version, r.inForce])).toEqual([
      [1, false],
      [2, true],
    ]);
  });

  it('a version for another domain re-screens the cases of the domain it leaves', async () => {
    const code = `moving-${randomUUID().slice(0, 8)}`;
    const wildlife = await wildlifeCase('1500', '2026-03-01');
    await put(code, ruleBody({ domain: undefined })); // every domain
    expect((await screeningOf(wildlife.id)).reasons.map((r: { rule: string }) => r.rule)).toContain(code);
    const moved = await put(code, ruleBody({ domain: 'cosmetics' }));
    expect(moved.body.rule).toMatchObject({ version: 2, domain: 'cosmetics' });
    expect((await screeningOf(wildlife.id)).reasons.map((r: { rule: string }) => r.rule)).not.toContain(code);
  });

  test.each(['officer', 'procurator', 'supervisor', 'lead'] as Caller[])('PUT by %s → 403, nothing stored', async (user) => {
    const code = `x-${randomUUID().slice(0, 8)}`;
    expectProblem(await put(code, ruleBody(), user), 403, 'FORBIDDEN');
    const codes = (await s.as('admin').get('/api/v1/screening-rules')).body.items.map((r: { code: string }) => r.code);
    expect(codes).not.toContain(code);
  });

  // prettier-ignore
  test.each([
    ['an unknown condition kind', { condition: { kind: 'vibes' } },                                          'condition.kind'],
    ['a negative threshold',      { condition: { kind: 'amount', fact: 'salesAmount', atLeast: '-5' } },    'condition.atLeast'],
    ['an unknown fact',           { condition: { kind: 'amount', fact: 'weight', atLeast: '5' } },          'condition.fact'],
    ['a nested bad finding',      { condition: { kind: 'any', of: [{ kind: 'finding', finding: 'x' }] } },  'condition.of.0.finding'],
    ['an end before the start',   { effectiveTo: '2025-01-01' },                                            'effectiveTo'],
    ['an impossible date',        { effectiveFrom: '2026-02-30' },                                          'effectiveFrom'],
    ['no legal basis',            { legalBasis: undefined },                                                'legalBasis'],
  ])('PUT with %s → 400 naming the field, nothing stored', async (_, overrides, field) => {
    const code = `bad-${randomUUID().slice(0, 8)}`;
    expectValidationFailed(await put(code, ruleBody(overrides)), field);
    const codes = (await s.as('admin').get('/api/v1/screening-rules')).body.items.map((r: { code: string }) => r.code);
    expect(codes).not.toContain(code);
  });

  // prettier-ignore
  test.each([
    ['wildlife-precious-341', 'wildlife', ['protected-wildlife'], '20000', '19999.99', '2000'],
    ['wildlife-hunting-341', 'wildlife', ['prohibited-hunting'], '10000', '9999.99', '1000'],
    ['illegal-mining-343', 'natural-resources', ['unlicensed-mining'], '100000', '99999.99', '10000'],
  ])('the shipped %s screens a %s case at, just below and far below its threshold', async (rule, domain, findings, at, justBelow, farBelow) => {
    const record = async (resourceValue: string) => {
      const res = await s.as('officer').post('/api/v1/admin-cases', {
        caseNo: `资源-${randomUUID()}`,
        domain,
        title: 'Resource case',
        summary: 'Recorded to check a shipped rule.',
        parties: [{ kind: 'person', name: 'Qian', idNumber: '330102199001011234' }],
        facts: { findings, resourceValue },
        penalty: { decisionNo: '杭资罚〔2026〕1号', decidedAt: '2026-03-01', kinds: ['confiscation'] },
      });
      expect(res.status).toBe(201);
      return res.body.screening as { flag: string | null; reasons: { rule: string; outcome: string; text: string }[] };
    };
    const flagged = await record(at);
    expect(flagged.reasons.find((r) => r.rule === rule)).toMatchObject({ outcome: 'flagged' });
    expect(flagged.flag).toBe('flagged');
    expect((await record(justBelow)).reasons.find((r) => r.rule === rule)).toMatchObject({ outcome: 'near' });
    expect((await record(farBelow)).reasons.find((r) => r.rule === rule)).toBeUndefined();
  });

  it('the shipped invasive-species-344-1 flags a biosecurity case on its finding, whatever the amount', async () => {
    const record = async (findings: string[]) =>
      (
        await s.as('officer').post('/api/v1/admin-cases', {
          caseNo: `生物安全-${randomUUID()}`,
          domain: 'biosecurity',
          title: 'Red-eared sliders released into a reservoir',
          summary: 'A seller released unsold invasive turtles into a reservoir.',
          parties: [{ kind: 'person', name: 'Sun', idNumber: '330102199001011234' }],
          facts: { findings, salesAmount: '100' },
          penalty: { decisionNo: '杭农罚〔2026〕2号', decidedAt: '2026-03-01', kinds: ['fine'], fineAmount: '5000.00' },
        })
      ).body.screening;
    expect(await record(['invasive-alien-species'])).toMatchObject({
      flag: 'flagged',
      reasons: [
        {
          rule: 'invasive-species-344-1',
          outcome: 'flagged',
          text: 'finding invasive-alien-species (any amount), Criminal Law art. 344-1; 生物安全法 art. 60',
        },
      ],
    });
    expect((await record([])).flag).toBeNull();
  });

  it('PUT with a code that is not a slug → 400', async () => {
    expectValidationFailed(await put('Not_A_Slug', ruleBody()), 'code');
  });
});
