// The bench's world, created through the API of a running service (admin login, then agencies and users):
//   Zhejiang 330000: supervisor agency zj-kunlun (province supervisor)
//   Hangzhou 330100: regulator hz-amr (officer), police hz-psb (policeOfficer, lead), supervisor hz-kunlun (city supervisor)
// Same shape as test/support/world.ts, smaller; every user's token is returned.
import { HttpClient } from './http';
import type { Service } from './service';

export const PASSWORD = 'bench-password-12345';

const AGENCIES = {
  zjKunlun: { code: 'zj-kunlun', name: 'Zhejiang Kunlun office', kind: 'supervisor', regionCode: '330000' },
  hzKunlun: { code: 'hz-kunlun', name: 'Hangzhou Kunlun office', kind: 'supervisor', regionCode: '330100' },
  hzAmr: { code: 'hz-amr', name: 'Hangzhou Market Regulation', kind: 'regulator', regionCode: '330100' },
  hzPsb: { code: 'hz-psb', name: 'Hangzhou Public Security Bureau', kind: 'police', regionCode: '330100' },
} as const;
export type BenchAgency = keyof typeof AGENCIES;

const USERS = {
  officer: { agency: 'hzAmr', roles: ['agency-officer'] },
  policeOfficer: { agency: 'hzPsb', roles: ['police-officer'] },
  lead: { agency: 'hzPsb', roles: ['police-lead'] },
  citySupervisor: { agency: 'hzKunlun', roles: ['supervisor'] },
  provinceSupervisor: { agency: 'zjKunlun', roles: ['supervisor'] },
} as const;
export type BenchUser = keyof typeof USERS;

export interface BenchWorld {
  agencies: Record<BenchAgency, string>;
  tokens: Record<BenchUser | 'admin', string>;
  userIds: Record<BenchUser, string>;
}

export async function login(http: HttpClient, username: string, password: string): Promise<string> {
  const res = await http.post('/api/v1/auth/login', { username, password });
  if (res.status !== 200) throw new Error(`login ${username}: ${res.status} ${JSON.stringify(res.body)}`);
  return res.body.accessToken as string;
}

export async function buildWorld(service: Pick<Service, 'url' | 'adminUsername' | 'adminPassword'>): Promise<BenchWorld> {
  const http = new HttpClient(service.url, 4);
  try {
    const admin = await login(http, service.adminUsername, service.adminPassword);
    const agencies = {} as BenchWorld['agencies'];
    for (const [key, body] of Object.entries(AGENCIES)) {
      const res = await http.post('/api/v1/agencies', body, admin);
      if (res.status !== 201) throw new Error(`agency ${key}: ${res.status} ${JSON.stringify(res.body)}`);
      agencies[key as BenchAgency] = res.body.id;
    }
    const tokens = { admin } as BenchWorld['tokens'];
    const userIds = {} as BenchWorld['userIds'];
    for (const [key, u] of Object.entries(USERS)) {
      const body = { username: key, password: PASSWORD, displayName: key, agencyId: agencies[u.agency], roles: u.roles };
      const res = await http.post('/api/v1/users', body, admin);
      if (res.status !== 201) throw new Error(`user ${key}: ${res.status} ${JSON.stringify(res.body)}`);
      userIds[key as BenchUser] = res.body.id;
      tokens[key as BenchUser] = await login(http, key, PASSWORD);
    }
    // referralBody names kunlun-2026: it must be in the campaign register.
    const campaign = {
      code: 'kunlun-2026',
      name: '昆仑2026',
      startsOn: '2026-01-01',
      endsOn: '2026-12-31',
      domains: ['food'],
      regionCodes: ['330000'],
    };
    const registered = await http.post('/api/v1/campaigns', campaign, admin);
    if (registered.status !== 201) throw new Error(`campaign: ${registered.status} ${JSON.stringify(registered.body)}`);
    return { agencies, tokens, userIds };
  } finally {
    http.close();
  }
}

let seq = 0;

export function referralBody(targetAgencyId: string, title = 'Counterfeit baijiu sold under a registered trademark') {
  // A party of its own per referral, as real cases mostly have: one party stated by every
  // referral of a run would make each submission link to (and notify about) all earlier ones.
  const n = `${process.pid}-${++seq}`;
  return {
    targetAgencyId,
    domain: 'food',
    title,
    summary: 'Inspection of a Xiaoshan warehouse found 1,200 bottles of counterfeit liquor.',
    suspects: [{ kind: 'organization', name: `Hangzhou Example Trading ${n} Co.`, idNumber: '91330100MA2B3C4D12' }],
    amountInvolved: '182000.00',
    offence: 'Selling goods bearing counterfeit registered trademarks',
    legalBasis: 'Criminal Law art. 214',
    campaign: 'kunlun-2026',
  };
}
