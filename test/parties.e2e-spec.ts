// Parties and the links between cases (issue 11 §1): confirmed and possible
// matches across agencies and regions, who hears of them, and what a caller is
// shown of a linked case outside its scope — checked by a property test over
// generated worlds: nothing of such a case but its existence, holding agency and
// the shared party's masked identifier ever appears.
import { creditCodeCheck, residentIdCheck } from '../workflows/parties/party-identity';
import { eventually, recordAdminCase, useScenario, type Caller, type Scenario } from './kit';
import { referralBody } from './support/world';

const code = (prefix17: string) => prefix17 + creditCodeCheck(prefix17);
const residentId = (prefix17: string) => prefix17 + residentIdCheck(prefix17);
const ACME = code('91330100MA2ACME01'); // a checked credit code
const OUT_OF_SCOPE_KEYS = ['holdingAgency', 'inScope', 'key', 'sharedIdentifier', 'type'];

type Party = { kind: 'person' | 'organization'; name: string; idNumber?: string };

async function submit(s: Scenario, user: Caller, suspects: Party[], title = 'Linked case') {
  const target = user.startsWith('nb') ? s.w.agencies.nbPsb : s.w.agencies.hzPsb;
  const res = await s.as(user).post('/api/v1/referrals', referralBody(target, { suspects, title }));
  if (res.status !== 201) throw new Error(`submit: ${res.status} ${JSON.stringify(res.body)}`);
  return res.body as { id: string; referenceNo: string };
}

const links = async (s: Scenario, user: Caller, referralId: string) => {
  const res = await s.as(user).get(`/api/v1/referrals/${referralId}/links`);
  if (res.status !== 200) throw new Error(`links: ${res.status} ${JSON.stringify(res.body)}`);
  return res.body as {
    parties: { id: string; identified: boolean; identifier: string | null }[];
    links: { match: string; partyId: string; case: Record<string, any> }[];
  };
};

describe('parties and links', () => {
  const s = useScenario();

  it('links referrals in two prefectures through a checked credit code, and shows the other one only as a link', async () => {
    const hz = await submit(s, 'officer', [{ kind: 'organization', name: 'Acme Trading Co., Ltd.', idNumber: ACME }]);
    const nb = await submit(s, 'nbOfficer', [{ kind: 'organization', name: 'ACME 贸易有限公司', idNumber: ACME.toLowerCase() }]);

    const asHzLead = await links(s, 'lead', hz.id);
    expect(asHzLead.parties).toEqual([
      expect.objectContaining({ identified: true, identifier: expect.stringMatching(/^9133\*+/) }),
    ]);
    const link = asHzLead.links.find((l) => l.case.inScope === false)!;
    expect(link.match).toBe('confirmed');
    expect(Object.keys(link.case).sort()).toEqual(OUT_OF_SCOPE_KEYS);
    expect(link.case).toMatchObject({
      type: 'referral',
      holdingAgency: { name: 'Ningbo Public Security Bureau', regionCode: '330200' },
      sharedIdentifier: expect.stringMatching(/^9133\*+..$/),
    });
    expect(JSON.stringify(asHzLead)).not.toContain(nb.id);
    expect(JSON.stringify(asHzLead)).not.toContain(nb.referenceNo);

    // The province supervisor covers both: it sees the other referral in full.
    const asSupervisor = await links(s, 'supervisor', hz.id);
    expect(asSupervisor.links).toEqual(
      expect.arrayContaining([
        expect.objectContaining({
          match: 'confirmed',
          case: expect.objectContaining({ inScope: true, id: nb.id, referenceNo: nb.referenceNo, type: 'referral' }),
        }),
      ]),
    );
  });

  it('tells the police holding the open linked referrals and the overseers covering two or more of them', async () => {
    const party = { kind: 'organization' as const, name: 'Notified Co.', idNumber: code('91330100MA2NOTIF1') };
    const hz = await submit(s, 'officer', [party], 'First of two');
    await submit(s, 'nbOfficer', [party], 'Second of two');
    const titles = async (user: Caller) =>
      ((await s.as(user).get('/api/v1/notifications?limit=100')).body.items as { type: string; referralId: string }[])
        .filter((n) => n.type === 'linked-cases-found')
        .map((n) => n.referralId);
    // hz-psb holds the first (open): told. zj-kunlun covers 330100 and 330200: told.
    await eventually(
      'the holder told',
      () => titles('lead'),
      (ids) => ids.includes(hz.id),
    );
    await eventually(
      'the province supervisor told',
      () => titles('supervisor'),
      (ids) => ids.length > 0,
    );
    // hz-pro covers only one of the two.
    expect(await titles('procurator')).not.toContain(hz.id);
    // Every notice names a referral its recipient may read.
    for (const user of ['lead', 'supervisor', 'nbLead'] as const) {
      for (const id of await titles(user)) expect((await s.get(id, user)).status).toBe(200);
    }
  });

  it('matches an organisation by name where one side has no identifier (possible), never two different codes', async () => {
    const named = await submit(s, 'officer', [{ kind: 'organization', name: 'Ｂｅｔａ 食品 有限公司' }]);
    const coded = await submit(s, 'officer', [
      { kind: 'organization', name: 'beta食品公司', idNumber: code('91330100MA2BETA01') },
    ]);
    const other = await submit(s, 'officer', [{ kind: 'organization', name: 'Beta 食品', idNumber: code('91330100MA2BETA02') }]);
    const fromNamed = await links(s, 'officer', named.id);
    const byId = new Map(fromNamed.links.map((l) => [l.case.id, l.match]));
    expect(byId.get(coded.id)).toBe('possible');
    expect(byId.get(other.id)).toBe('possible');
    // Two checked codes are two organisations, whatever their names.
    const fromCoded = await links(s, 'officer', coded.id);
    expect(fromCoded.links.map((l) => l.case.id)).not.toContain(other.id);
  });

  it('takes concurrent submissions stating the same new parties in opposite orders (no deadlock, one party each)', async () => {
    const p = { kind: 'organization' as const, name: 'Race P Co.', idNumber: code('91330100MA2RACEP1') };
    const q = { kind: 'organization' as const, name: 'Race Q Co.', idNumber: code('91330100MA2RACEQ1') };
    const results = await Promise.all(
      Array.from({ length: 8 }, (_, i) => submit(s, i % 2 ? 'officer' : 'nbOfficer', i % 4 < 2 ? [p, q] : [q, p], `Race ${i}`)),
    );
    expect(results).toHaveLength(8);
    const view = await links(s, 'admin', results[0].id);
    expect(view.parties).toHaveLength(2);
    const otherIds = new Set(view.links.map((l) => l.case.id));
    for (const r of results.slice(1)) expect(otherIds.has(r.id)).toBe(true);
    const [{ n }] = await s.t.db.query(`SELECT count(*)::int AS n FROM parties WHERE identifier = ANY($1)`, [
      [p.idNumber, q.idNumber],
    ]);
    expect(n).toBe(2);
  });

  it('does not identify by an identifier whose check fails', async () => {
    const good = residentId('33010219900101123');
    const bad = good.slice(0, 17) + (good[17] === '0' ? '1' : '0');
    const a = await submit(s, 'officer', [{ kind: 'person', name: '王五', idNumber: bad }]);
    const view = await links(s, 'officer', a.id);
    expect(view.parties).toEqual([expect.objectContaining({ identified: false, identifier: null })]);
  });

  it('links an administrative case to a referral, and walks the chain no further than the caller may see', async () => {
    const shared = { kind: 'organization' as const, name: 'Gamma Meat Co.', idNumber: code('91330100MA2GAMMA1') };
    const secret = { kind: 'person' as const, name: '赵六', idNumber: residentId('33020219800202111') };
    const referral = await submit(s, 'officer', [shared]);
    const adminCase = await recordAdminCase(s, { parties: [shared] });
    await submit(s, 'nbOfficer', [shared, secret], 'Ningbo case with a second party');

    const view = await links(s, 'lead', referral.id);
    expect(view.links.map((l) => l.case.type).sort()).toEqual(['admin-case', 'referral']);
    const partyId = view.parties[0].id;

    const chain = await s.as('lead').get(`/api/v1/parties/${partyId}/chain?depth=3`);
    expect(chain.status).toBe(200);
    const hidden = chain.body.cases.filter((c: { inScope: boolean }) => !c.inScope);
    expect(hidden.length).toBeGreaterThan(0);
    for (const c of hidden) expect(Object.keys(c).sort()).toEqual(OUT_OF_SCOPE_KEYS);
    // The Ningbo case's other party never shows: the chain does not walk through a hidden case.
    expect(JSON.stringify(chain.body)).not.toContain('赵六');
    expect(chain.body.cases.some((c: { id?: string }) => c.id === referral.id)).toBe(true);

    const asOfficer = await s.as('officer').get(`/api/v1/parties/${partyId}/chain`);
    expect(asOfficer.body.cases.some((c: { id?: string }) => c.id === adminCase.id)).toBe(true);
    // A party of no case in the caller's scope is not found.
    const jsChain = await s.as('jsSupervisor').get(`/api/v1/parties/${partyId}/chain`);
    expect(jsChain.status).toBe(404);
    expect((await s.as('lead').get(`/api/v1/parties/${partyId}/chain?depth=9`)).status).toBe(400);
    expect((await s.as('westLead').get(`/api/v1/referrals/${referral.id}/links`)).status).toBe(404);
  });
});

describe('links: a property test over generated worlds', () => {
  const s = useScenario();
  const CALLERS: Caller[] = [
    'officer',
    'policeOfficer',
    'lead',
    'westLead',
    'procurator',
    'supervisor',
    'nbOfficer',
    'nbLead',
    'nbProcurator',
    'jsSupervisor',
    'admin',
  ];

  it.each([1, 2, 3])(
    'world %i: every link is either readable by the caller or bare, and the links are the shared parties',
    async (seed) => {
      let state = seed * 7919;
      const rand = (n: number) => (state = (state * 1103515245 + 12345) % 2 ** 31) % n;
      const pool: Party[] = [
        { kind: 'organization', name: `World ${seed} Alpha Co.`, idNumber: code(`9133010${seed}MA2ALPH1`) },
        { kind: 'organization', name: `World ${seed} Beta Ltd.`, idNumber: code(`9133010${seed}MA2BETA1`) },
        { kind: 'organization', name: `World ${seed} Gamma` },
        { kind: 'person', name: `Person ${seed}`, idNumber: residentId(`3301021990010${seed}123`) },
        { kind: 'person', name: `Someone ${seed}` },
      ];
      const made: { id: string; user: Caller; parties: Party[] }[] = [];
      for (let i = 0; i < 10; i++) {
        const user: Caller = rand(2) === 0 ? 'officer' : 'nbOfficer';
        const parties = pool.filter(() => rand(3) === 0);
        if (parties.length === 0) parties.push(pool[rand(pool.length)]);
        made.push({ id: (await submit(s, user, parties, `World ${seed} case ${i}`)).id, user, parties });
      }
      // Brute force: two cases are linked when they state one party (same identifier, or the same
      // person/organisation name without one), or organisations of one name where one has no identifier.
      const sameParty = (a: Party, b: Party) =>
        a.kind === b.kind &&
        (a.idNumber || b.idNumber
          ? a.idNumber === b.idNumber || (a.kind === 'organization' && (!a.idNumber || !b.idNumber) && a.name === b.name)
          : a.name === b.name);
      const expectedLinks = (m: (typeof made)[number]) =>
        made.filter((o) => o !== m && o.parties.some((p) => m.parties.some((q) => sameParty(p, q)))).length;

      for (const caller of CALLERS) {
        for (const m of made) {
          const read = await s.as(caller).get(`/api/v1/referrals/${m.id}`);
          const res = await s.as(caller).get(`/api/v1/referrals/${m.id}/links`);
          expect(res.status).toBe(read.status); // links are exactly as visible as the referral
          if (res.status !== 200) continue;
          const otherIds = new Set<string>();
          for (const link of res.body.links) {
            const c = link.case;
            if (c.inScope) {
              const path = c.type === 'referral' ? `/api/v1/referrals/${c.id}` : `/api/v1/admin-cases/${c.id}`;
              expect((await s.as(caller).get(path)).status).toBe(200);
              otherIds.add(c.id);
            } else {
              expect(Object.keys(c).sort()).toEqual(OUT_OF_SCOPE_KEYS);
              expect(Object.keys(c.holdingAgency).sort()).toEqual(['name', 'regionCode']);
              if (c.sharedIdentifier !== null) expect(c.sharedIdentifier).toMatch(/\*{6,}/);
              otherIds.add(c.key);
            }
          }
          // No generated case's id appears unless the caller may read it.
          for (const o of made) {
            if (o === m || !JSON.stringify(res.body).includes(o.id)) continue;
            expect((await s.as(caller).get(`/api/v1/referrals/${o.id}`)).status).toBe(200);
          }
          const generatedLinks = res.body.links.filter(
            (l: { case: { id?: string; inScope: boolean } }) => !l.case.inScope || made.some((o) => o.id === l.case.id),
          );
          expect(new Set(generatedLinks.map((l: { case: { id?: string; key: string } }) => l.case.id ?? l.case.key)).size).toBe(
            expectedLinks(m),
          );
        }
      }
    },
  );
});
