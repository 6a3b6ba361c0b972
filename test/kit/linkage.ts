// Builders for the other directions of the linkage, through the HTTP API:
// an administrative case, a recommendation on it, a reverse transfer.
import { randomUUID } from 'node:crypto';
import type { Caller, Scenario } from './scenario';

export const RECOMMENDATIONS = '/api/v1/recommendations';
export const REVERSE_TRANSFERS = '/api/v1/reverse-transfers';

type Body = { id: string; [k: string]: any };

async function created(res: { status: number; body: any }, what: string): Promise<Body> {
  if (res.status !== 201) throw new Error(`${what}: ${res.status} ${JSON.stringify(res.body)}`);
  return res.body;
}

/** An administrative case of hz-amr with sales of 182,000 CNY (flagged under Criminal Law art. 140) unless overridden. */
export function recordAdminCase(s: Scenario, overrides: Record<string, unknown> = {}, user: Caller = 'officer') {
  return s
    .as(user)
    .post('/api/v1/admin-cases', {
      caseNo: `杭市监处罚〔2026〕${randomUUID().slice(0, 8)}号`,
      domain: 'other',
      title: 'Substandard heaters sold at a Xiaoshan market',
      summary: 'Inspection found heaters that failed the safety standard; sales of 182,000 CNY.',
      parties: [{ kind: 'organization', name: 'Hangzhou Example Trading Co.', idNumber: '91330100MA2B3C4D12' }],
      facts: { salesAmount: '182000.00' },
      penalty: { decisionNo: '杭市监处罚〔2026〕12号', decidedAt: '2026-03-01', kinds: ['fine'], fineAmount: '20000.00' },
      campaign: 'kunlun-2026',
      ...overrides,
    })
    .then((res) => created(res, 'admin case'));
}

export function issueRecommendation(s: Scenario, adminCaseId: string, user: Caller = 'procurator') {
  return s
    .as(user)
    .post(RECOMMENDATIONS, { adminCaseId, reasons: 'Sales exceed the threshold of Criminal Law art. 140.' })
    .then((res) => created(res, 'recommendation'));
}

/** A procuratorate's reverse transfer to hz-amr after not prosecuting, with the case stated in full. */
export function reverseTransferBody(s: Scenario, over: Record<string, unknown> = {}) {
  return {
    basis: 'not-prosecuted',
    targetAgencyId: s.w.agencies.hzAmr,
    reasons: 'Not prosecuted for minor circumstances; the sale calls for an administrative penalty',
    opinion: '建议对该公司依法给予行政处罚',
    criminalDecisionNo: '杭检不诉〔2026〕3号',
    domain: 'food',
    title: 'Expired meat sold by a canteen supplier',
    summary: 'The procuratorate decided not to prosecute; the agency should impose a penalty.',
    parties: [{ kind: 'person', name: '张三', idNumber: '330102199001011234' }],
    ...over,
  };
}

export function startReverseTransfer(s: Scenario, over: Record<string, unknown> = {}, user: Caller = 'procurator') {
  return s
    .as(user)
    .post(REVERSE_TRANSFERS, reverseTransferBody(s, over))
    .then((res) => created(res, 'reverse transfer'));
}

/** Sends an event to an instance of another workflow; the response is the test's to judge. */
export function sendTo(s: Scenario, resource: string, id: string, user: Caller, event: object, ifMatch?: number) {
  const req = s.t.http().post(`${resource}/${id}/events`).set('Authorization', s.auth(user));
  if (ifMatch !== undefined) req.set('If-Match', `"${ifMatch}"`);
  return req.send(event);
}

/** Sends an event and fails loudly unless it is accepted. */
export async function mustSend(
  s: Scenario,
  resource: string,
  id: string,
  user: Caller,
  event: { type: string; [k: string]: unknown },
) {
  const res = await sendTo(s, resource, id, user, event);
  if (res.status !== 200) throw new Error(`${event.type} by ${user}: ${res.status} ${JSON.stringify(res.body)}`);
  return res.body as Body;
}
