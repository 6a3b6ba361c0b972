// A small world of agencies and users across two provinces, created through the API
// (once per run, in the world template: see templates.ts).
//
//   Zhejiang 330000: supervisor "zj-kunlun"
//     Hangzhou 330100: regulator hz-amr, police hz-psb and hz-psb-west, procuratorate hz-pro
//     Ningbo   330200: regulator nb-amr (task agency), police nb-psb (same kind, other region), procuratorate nb-pro
//   Jiangsu 320000: supervisor "js-kunlun", procuratorate js-pro (320000)
import type { TestApp } from './test-app';

export const PASSWORD = 'password-12345';

const AGENCIES = {
  zjKunlun: { code: 'zj-kunlun', name: 'Zhejiang Kunlun office', kind: 'supervisor', regionCode: '330000' },
  hzAmr: { code: 'hz-amr', name: 'Hangzhou Market Regulation', kind: 'regulator', regionCode: '330100' },
  hzPsb: { code: 'hz-psb', name: 'Hangzhou Public Security Bureau', kind: 'police', regionCode: '330100' },
  hzPsbWest: { code: 'hz-psb-west', name: 'Hangzhou Xihu Police', kind: 'police', regionCode: '330106' },
  hzPro: { code: 'hz-pro', name: 'Hangzhou Procuratorate', kind: 'procuratorate', regionCode: '330100' },
  nbAmr: { code: 'nb-amr', name: 'Ningbo Market Regulation', kind: 'regulator', regionCode: '330200' },
  nbPsb: { code: 'nb-psb', name: 'Ningbo Public Security Bureau', kind: 'police', regionCode: '330200' },
  nbPro: { code: 'nb-pro', name: 'Ningbo Procuratorate', kind: 'procuratorate', regionCode: '330200' },
  jsKunlun: { code: 'js-kunlun', name: 'Jiangsu Kunlun office', kind: 'supervisor', regionCode: '320000' },
  jsPro: { code: 'js-pro', name: 'Jiangsu Procuratorate', kind: 'procuratorate', regionCode: '320000' },
} as const;
type AgencyKey = keyof typeof AGENCIES;

const USERS = {
  officer: { agency: 'hzAmr', roles: ['agency-officer'] },
  policeOfficer: { agency: 'hzPsb', roles: ['police-officer'] },
  lead: { agency: 'hzPsb', roles: ['police-lead'] },
  westLead: { agency: 'hzPsbWest', roles: ['police-lead'] },
  procurator: { agency: 'hzPro', roles: ['procurator'] },
  supervisor: { agency: 'zjKunlun', roles: ['supervisor'] },
  nbOfficer: { agency: 'nbAmr', roles: ['agency-officer'] },
  nbLead: { agency: 'nbPsb', roles: ['police-lead'] },
  nbProcurator: { agency: 'nbPro', roles: ['procurator'] },
  jsSupervisor: { agency: 'jsKunlun', roles: ['supervisor'] },
  jsProcurator: { agency: 'jsPro', roles: ['procurator'] },
} as const;
type UserKey = keyof typeof USERS;

// The campaign register of the world (issue 11 §4): referralBody and the kit's case builder name kunlun-2026.
// Its fields are the Kunlun operation's, so a case in another field (cosmetics, other…) matches no world campaign.
export const WORLD_CAMPAIGNS = [
  {
    code: 'kunlun-2026',
    name: '昆仑2026',
    startsOn: '2026-01-01',
    endsOn: '2026-12-31',
    domains: ['food', 'drug', 'intellectual-property', 'environment', 'wildlife', 'natural-resources', 'biosecurity'],
    regionCodes: ['330000', '320000'],
  },
] as const;

export interface World {
  agencies: Record<AgencyKey, string>;
  tokens: Record<UserKey | 'admin', string>;
  userIds: Record<UserKey, string>;
}

/**
 * The world of an app: looked up, with tokens minted as a login would issue them, when its
 * database was cloned from the world template (`createTestApp(env, { world: true })`); else
 * created through the API, each user logging in.
 */
export async function buildWorld(t: TestApp): Promise<World> {
  if (!t.prebuiltWorld) return buildWorldThroughApi(t);
  const agencies = {} as Record<AgencyKey, string>;
  const byCode = new Map<string, string>(
    (await t.db.query(`SELECT id, code FROM agencies WHERE code = ANY($1)`, [Object.values(AGENCIES).map((a) => a.code)])).map(
      (r: { id: string; code: string }) => [r.code, r.id],
    ),
  );
  for (const [key, body] of Object.entries(AGENCIES)) agencies[key as AgencyKey] = byCode.get(body.code)!;
  const byName = new Map<string, string>(
    (await t.db.query(`SELECT id, username FROM users WHERE username = ANY($1)`, [Object.keys(USERS)])).map(
      (r: { id: string; username: string }) => [r.username, r.id],
    ),
  );
  const userIds = {} as World['userIds'];
  const tokens = { admin: await t.token('admin') } as World['tokens'];
  await Promise.all(
    (Object.keys(USERS) as UserKey[]).map(async (key) => {
      userIds[key] = byName.get(key)!;
      tokens[key] = await t.token(key);
    }),
  );
  return { agencies, tokens, userIds };
}

/** Creates the world through the API; each user logs in unless `logins` is false (the template keeps no tokens). */
export async function buildWorldThroughApi(t: TestApp, { logins = true } = {}): Promise<World> {
  const admin = await t.login('admin');
  const agencies = {} as Record<AgencyKey, string>;
  // Agencies, then users, each kind created at once (the password hashes run in parallel); no test relies on their order.
  await Promise.all(
    Object.entries(AGENCIES).map(async ([key, body]) => {
      const res = await t.http().post('/api/v1/agencies').set('Authorization', `Bearer ${admin}`).send(body);
      if (res.status !== 201) throw new Error(`agency ${key}: ${res.status} ${JSON.stringify(res.body)}`);
      agencies[key as AgencyKey] = res.body.id;
    }),
  );
  const tokens = { admin } as World['tokens'];
  const userIds = {} as World['userIds'];
  await Promise.all(
    Object.entries(USERS).map(async ([key, u]) => {
      const res = await t
        .http()
        .post('/api/v1/users')
        .set('Authorization', `Bearer ${admin}`)
        .send({ username: key, password: PASSWORD, displayName: key, agencyId: agencies[u.agency], roles: u.roles });
      if (res.status !== 201) throw new Error(`user ${key}: ${res.status} ${JSON.stringify(res.body)}`);
      userIds[key as UserKey] = res.body.id;
      if (logins) tokens[key as UserKey] = await t.login(key, PASSWORD);
    }),
  );
  for (const campaign of WORLD_CAMPAIGNS) await registerCampaign(t, admin, campaign.code, campaign);
  return { agencies, tokens, userIds };
}

/**
 * Registers a campaign through the API as the holder of `token` (the admin's, by default
 * all fields and the world's two provinces for the whole of 2026), for tests that name their own codes.
 */
export async function registerCampaign(
  t: TestApp,
  token: string,
  code: string,
  overrides: Record<string, unknown> = {},
): Promise<{ id: string; code: string; version: number; [k: string]: unknown }> {
  const res = await t
    .http()
    .post('/api/v1/campaigns')
    .set('Authorization', `Bearer ${token}`)
    .send({
      code,
      name: code,
      startsOn: '2026-01-01',
      endsOn: '2026-12-31',
      domains: ['other'],
      regionCodes: ['330000', '320000'],
      ...overrides,
    });
  if (res.status !== 201) throw new Error(`campaign ${code}: ${res.status} ${JSON.stringify(res.body)}`);
  return res.body;
}

let bodies = 0;

export function referralBody(targetAgencyId: string, overrides: Record<string, unknown> = {}) {
  // A suspect of its own per body, as real cases mostly have: one party stated by every
  // referral of a suite would link each new one to all before it (and notify about them).
  const n = `${process.pid}-${++bodies}`;
  return {
    targetAgencyId,
    domain: 'food',
    title: 'Counterfeit baijiu sold under a registered trademark',
    summary: 'Inspection of a Xiaoshan warehouse found 1,200 bottles of counterfeit liquor.',
    suspects: [{ kind: 'organization', name: `Hangzhou Example Trading Co. No. ${n}`, idNumber: '91330100MA2B3C4D12' }],
    amountInvolved: '182000.00',
    offence: 'Selling goods bearing counterfeit registered trademarks',
    legalBasis: 'Criminal Law art. 214',
    campaign: 'kunlun-2026',
    ...overrides,
  };
}

/** Helpers bound to one app and world: submit a referral, send events. */
export function actions(t: TestApp, w: World) {
  const auth = (user: keyof World['tokens']) => `Bearer ${w.tokens[user]}`;
  return {
    auth,
    async submit(overrides: Record<string, unknown> = {}, user: keyof World['tokens'] = 'officer') {
      const res = await t
        .http()
        .post('/api/v1/referrals')
        .set('Authorization', auth(user))
        .send(referralBody(w.agencies.hzPsb, overrides));
      if (res.status !== 201) throw new Error(`submit: ${res.status} ${JSON.stringify(res.body)}`);
      return res.body as { id: string; version: number; state: string; [k: string]: unknown };
    },
    send(referralId: string, user: keyof World['tokens'], event: Record<string, unknown>, ifMatch?: number) {
      const req = t.http().post(`/api/v1/referrals/${referralId}/events`).set('Authorization', auth(user));
      if (ifMatch !== undefined) req.set('If-Match', `"${ifMatch}"`);
      return req.send(event);
    },
    get(referralId: string, user: keyof World['tokens']) {
      return t.http().get(`/api/v1/referrals/${referralId}`).set('Authorization', auth(user));
    },
  };
}
