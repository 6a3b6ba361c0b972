// The referral procedure end to end over HTTP against a real PostgreSQL:
// every path of API.md's event table, the deadlines each step creates or
// resolves, scope and masking, idempotent submission, the timeline and the outbox.
import type { Response } from 'supertest';
import { createTestApp, type TestApp } from './support/test-app';
import { actions, buildWorld, referralBody, type World } from './support/world';

interface Deadline {
  id: string;
  kind: string;
  dueAt: string;
  status: string;
  responsibleAgencyId: string;
  legalBasis: string;
  taskId?: string | null;
}

const DAY = 86_400_000;
const SUSPECT_ID = '91330100MA2B3C4D12';
const MASKED_SUSPECT_ID = '9133************12';

let t: TestApp;
let w: World;
let a: ReturnType<typeof actions>;

beforeAll(async () => {
  t = await createTestApp({}, { world: true });
  w = await buildWorld(t);
  a = actions(t, w);
});
afterAll(() => t?.close());

// ---- small helpers ------------------------------------------------------------

/** Asserts an accepted event (or read): 200, the state, the version and the matching ETag. */
function expectAt(res: Response, state: string, version: number) {
  expect({ status: res.status, state: res.body.state, version: res.body.version }).toEqual({ status: 200, state, version });
  expect(res.headers.etag).toBe(`"${version}"`);
}

/** Asserts a refused event: 409 TRANSITION_NOT_ALLOWED as problem+json. */
function expectRefused(res: Response) {
  expect(res.status).toBe(409);
  expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
  expect(res.body.code).toBe('TRANSITION_NOT_ALLOWED');
  expect(Array.isArray(res.body.allowedEvents)).toBe(true);
}

function expectValidationFailed(res: Response) {
  expect(res.status).toBe(400);
  expect(res.body.code).toBe('VALIDATION_FAILED');
  expect(Array.isArray(res.body.errors)).toBe(true);
}

const deadlines = (body: { deadlines: Deadline[] }, kind: string) => body.deadlines.filter((d) => d.kind === kind);
const deadline = (body: { deadlines: Deadline[] }, kind: string) => {
  const found = deadlines(body, kind);
  expect(found).toHaveLength(1);
  return found[0];
};

async function dbDeadlines(referralId: string) {
  return t.db.query(`SELECT id, kind, status, due_at, paused_ms, version FROM deadlines WHERE referral_id = $1`, [referralId]);
}

async function eventCount(referralId: string): Promise<number> {
  const [{ n }] = await t.db.query(`SELECT count(*)::int AS n FROM referral_events WHERE referral_id = $1`, [referralId]);
  return n;
}

/** Drives a fresh referral to `reviewed` (version 3) with the given recommendation. */
async function toReviewed(recommendation: 'file' | 'not-file') {
  const r = await a.submit();
  expectAt(await a.send(r.id, 'policeOfficer', { type: 'ACKNOWLEDGE' }), 'under-review', 2);
  expectAt(
    await a.send(r.id, 'policeOfficer', { type: 'RECORD_REVIEW', recommendation, opinion: 'Opinion of the reviewing officer' }),
    'reviewed',
    3,
  );
  return { id: r.id, version: 3 };
}

/** ... then DECLINE by the lead: state declined at version 4. */
async function toDeclined() {
  const r = await toReviewed('not-file');
  const res = await a.send(r.id, 'lead', {
    type: 'DECLINE',
    reasons: 'The facts do not reach the criminal threshold.',
    legalBasis: 'MPS Provisions art. 178',
  });
  expectAt(res, 'declined', 4);
  return { id: r.id, version: 4, body: res.body };
}

// ---- the happy path -----------------------------------------------------------

describe('happy path: submit → accept → joint rectification → closed/rectified', () => {
  it('walks every step with state, version, ETag, allowedEvents, deadlines, tasks, scope and masking', async () => {
    // submit
    const submitted = await t
      .http()
      .post('/api/v1/referrals')
      .set('Authorization', a.auth('officer'))
      .send(referralBody(w.agencies.hzPsb));
    expect(submitted.status).toBe(201);
    expect(submitted.headers.etag).toBe('"1"');
    const id = submitted.body.id as string;
    expect(submitted.body).toMatchObject({
      state: 'submitted',
      stateDetail: 'submitted',
      outcome: null,
      version: 1,
      regionCode: '330100',
    });
    expect(submitted.body.referenceNo).toMatch(/^330100-\d{4}-\d{6}$/);
    expect(submitted.body.sourceAgency.id).toBe(w.agencies.hzAmr);
    expect(submitted.body.targetAgency.id).toBe(w.agencies.hzPsb);
    expect(submitted.body.allowedEvents).toEqual(['WITHDRAW', 'COMMENT']);
    const ack0 = deadline(submitted.body, 'acknowledge');
    const review0 = deadline(submitted.body, 'review');
    expect(ack0).toMatchObject({ status: 'pending', responsibleAgencyId: w.agencies.hzPsb });
    expect(review0).toMatchObject({ status: 'pending', responsibleAgencyId: w.agencies.hzPsb });
    expect(Date.parse(ack0.dueAt) - Date.parse(submitted.body.createdAt)).toBe(DAY); // 24 hours on the clock
    expect(submitted.body.deadlines).toHaveLength(2);

    const asPolice = await a.get(id, 'policeOfficer');
    expectAt(asPolice, 'submitted', 1);
    expect(asPolice.body.allowedEvents).toEqual(['ACKNOWLEDGE', 'REQUEST_SUPPLEMENT', 'FORWARD', 'COMMENT']);

    // nb-amr has no relation to the referral yet: it does not exist for them
    expect((await a.get(id, 'nbOfficer')).status).toBe(404);

    // ACKNOWLEDGE
    let res = await a.send(id, 'policeOfficer', { type: 'ACKNOWLEDGE' }, 1);
    expectAt(res, 'under-review', 2);
    expect(deadline(res.body, 'acknowledge').status).toBe('met');
    expect(deadline(res.body, 'review').status).toBe('pending');
    expect(res.body.allowedEvents).toEqual(['REQUEST_SUPPLEMENT', 'FORWARD', 'RECORD_REVIEW', 'COMMENT']);

    // RECORD_REVIEW (file)
    res = await a.send(id, 'policeOfficer', {
      type: 'RECORD_REVIEW',
      recommendation: 'file',
      opinion: 'The facts meet the filing threshold.',
    });
    expectAt(res, 'reviewed', 3);
    const leadView = await a.get(id, 'lead');
    expect(leadView.body.allowedEvents).toEqual(
      expect.arrayContaining(['ACCEPT', 'DECLINE', 'RETURN_TO_REVIEW', 'EXTEND_REVIEW']),
    );

    // ACCEPT: review met, evidence-handover and investigation-progress created
    res = await a.send(id, 'lead', { type: 'ACCEPT', caseNumber: 'HZ-2026-0042' }, 3);
    expectAt(res, 'accepted', 4);
    expect(deadline(res.body, 'review').status).toBe('met');
    expect(deadline(res.body, 'evidence-handover')).toMatchObject({ status: 'pending', responsibleAgencyId: w.agencies.hzAmr });
    expect(deadline(res.body, 'investigation-progress')).toMatchObject({
      status: 'pending',
      responsibleAgencyId: w.agencies.hzPsb,
    });
    expect(res.body.allowedEvents).toEqual(expect.arrayContaining(['START_JOINT_RECTIFICATION', 'CLOSE', 'COMMENT']));
    expect(res.body.allowedEvents).not.toContain('HANDOVER_EVIDENCE'); // the source's act

    // HANDOVER_EVIDENCE by the source
    res = await a.send(id, 'officer', {
      type: 'HANDOVER_EVIDENCE',
      inventory: ['1,200 bottles of liquor', 'labels and packaging'],
    });
    expectAt(res, 'accepted', 5);
    expect(deadline(res.body, 'evidence-handover').status).toBe('met');
    expect(deadline(res.body, 'investigation-progress').status).toBe('pending');

    // START_JOINT_RECTIFICATION with a task for nb-amr (own due time) and one for hz-psb (plan due time)
    const planDue = new Date(Date.now() + 30 * DAY).toISOString();
    const nbDue = new Date(Date.now() + 20 * DAY).toISOString();
    res = await a.send(id, 'lead', {
      type: 'START_JOINT_RECTIFICATION',
      dueAt: planDue,
      tasks: [
        { agencyId: w.agencies.nbAmr, description: 'Inspect Ningbo distributors of the counterfeit liquor', dueAt: nbDue },
        { agencyId: w.agencies.hzPsb, description: 'Raid the Xiaoshan warehouse network' },
      ],
    });
    expectAt(res, 'joint-rectification', 6);
    const tasks = res.body.rectificationTasks as { id: string; agencyId: string; dueAt: string; status: string }[];
    expect(tasks).toHaveLength(2);
    const nbTask = tasks.find((x) => x.agencyId === w.agencies.nbAmr)!;
    const hzTask = tasks.find((x) => x.agencyId === w.agencies.hzPsb)!;
    expect(nbTask).toMatchObject({ status: 'open', dueAt: nbDue });
    expect(hzTask).toMatchObject({ status: 'open', dueAt: planDue });
    const rect = deadlines(res.body, 'rectification');
    expect(rect).toHaveLength(2);
    expect(rect.find((d) => d.taskId === nbTask.id)).toMatchObject({
      status: 'pending',
      responsibleAgencyId: w.agencies.nbAmr,
      dueAt: nbDue,
    });
    expect(rect.find((d) => d.taskId === hzTask.id)).toMatchObject({
      status: 'pending',
      responsibleAgencyId: w.agencies.hzPsb,
      dueAt: planDue,
    });

    // nb-amr now holds a task: it can read the referral, with suspect ids masked
    const nbView = await a.get(id, 'nbOfficer');
    expectAt(nbView, 'joint-rectification', 6);
    expect(nbView.body.suspects[0].idNumber).toBe(MASKED_SUSPECT_ID);
    expect(nbView.body.allowedEvents).toEqual(['REPORT_PROGRESS', 'COMPLETE_TASK', 'COMMENT']);
    expect((await a.get(id, 'officer')).body.suspects[0].idNumber).toBe(SUSPECT_ID);
    expect((await a.get(id, 'lead')).body.suspects[0].idNumber).toBe(SUSPECT_ID);

    // nb-amr reports progress and completes its task
    res = await a.send(id, 'nbOfficer', { type: 'REPORT_PROGRESS', taskId: nbTask.id, note: '14 of 30 distributors inspected' });
    expectAt(res, 'joint-rectification', 7);
    res = await a.send(id, 'nbOfficer', { type: 'COMPLETE_TASK', taskId: nbTask.id, note: 'All distributors inspected' });
    expectAt(res, 'joint-rectification', 8);
    expect(res.body.rectificationTasks.find((x: { id: string }) => x.id === nbTask.id).status).toBe('done');
    expect(res.body.rectificationTasks.find((x: { id: string }) => x.id === hzTask.id).status).toBe('open');
    expect(deadlines(res.body, 'rectification').find((d) => d.taskId === nbTask.id)!.status).toBe('met');
    expect(deadlines(res.body, 'rectification').find((d) => d.taskId === hzTask.id)!.status).toBe('pending');

    // one task still open: the lead may not sign off yet, and nothing is recorded
    const before = await eventCount(id);
    const early = await a.send(id, 'lead', { type: 'COMPLETE_RECTIFICATION', summary: 'Done too early' });
    expectRefused(early);
    expect(early.body.allowedEvents).not.toContain('COMPLETE_RECTIFICATION');
    expect(early.body.allowedEvents).toEqual(expect.arrayContaining(['REPORT_PROGRESS', 'COMPLETE_TASK', 'COMMENT']));
    expect(await eventCount(id)).toBe(before);
    expectAt(await a.get(id, 'lead'), 'joint-rectification', 8);

    // the lead's own agency works its task
    res = await a.send(id, 'lead', { type: 'REPORT_PROGRESS', taskId: hzTask.id, note: 'Two warehouses raided' });
    expectAt(res, 'joint-rectification', 9);
    res = await a.send(id, 'lead', { type: 'COMPLETE_TASK', taskId: hzTask.id, note: 'Network dismantled' });
    expectAt(res, 'joint-rectification', 10);
    expect(res.body.rectificationTasks.every((x: { status: string }) => x.status === 'done')).toBe(true);
    expect(res.body.allowedEvents).toContain('COMPLETE_RECTIFICATION');

    // sign-off: closed, rectified, every live deadline cancelled
    res = await a.send(id, 'lead', { type: 'COMPLETE_RECTIFICATION', summary: 'Joint operation finished' }, 10);
    expectAt(res, 'closed', 11);
    expect(res.body.outcome).toBe('rectified');
    expect(res.body.allowedEvents).toEqual(['COMMENT']);
    expect(res.body.deadlines.filter((d: Deadline) => d.status === 'pending' || d.status === 'paused')).toEqual([]);
    expect(res.body.deadlines.find((d: Deadline) => d.kind === 'investigation-progress')).toBeUndefined(); // cancelled: not shown
    const rows = await dbDeadlines(id);
    expect(rows.find((d: { kind: string }) => d.kind === 'investigation-progress').status).toBe('cancelled');
    expect(rows.filter((d: { status: string }) => d.status === 'pending' || d.status === 'paused')).toEqual([]);
  });
});

// ---- decline, reconsideration, supervision -------------------------------------

describe('decline → reconsideration → supervision → order filing → accepted', () => {
  it('follows the disagreement procedure to a filing', async () => {
    const r = await toReviewed('not-file');

    // reasons must be at least 10 characters
    const short = await a.send(r.id, 'lead', { type: 'DECLINE', reasons: 'too short', legalBasis: 'art. 178' });
    expectValidationFailed(short);
    expectAt(await a.get(r.id, 'lead'), 'reviewed', 3);

    let res = await a.send(r.id, 'lead', {
      type: 'DECLINE',
      reasons: 'The facts do not reach the criminal threshold.',
      legalBasis: 'art. 178',
    });
    expectAt(res, 'declined', 4);
    expect(deadline(res.body, 'review').status).toBe('met');
    expect(deadline(res.body, 'reconsideration-window')).toMatchObject({
      status: 'pending',
      responsibleAgencyId: w.agencies.hzAmr,
    });
    const officerView = await a.get(r.id, 'officer');
    expect(officerView.body.allowedEvents).toEqual([
      'REQUEST_RECONSIDERATION',
      'REQUEST_SUPERVISION',
      'ACCEPT_DECISION',
      'COMMENT',
    ]);

    res = await a.send(r.id, 'officer', { type: 'REQUEST_RECONSIDERATION', grounds: 'The amount is above the threshold.' });
    expectAt(res, 'reconsideration', 5);
    expect(deadline(res.body, 'reconsideration-window').status).toBe('met');
    expect(deadline(res.body, 'reconsideration-decision')).toMatchObject({
      status: 'pending',
      responsibleAgencyId: w.agencies.hzPsb,
    });

    res = await a.send(r.id, 'lead', { type: 'UPHOLD_DECLINE', reasons: 'Reviewed again; the decision stands.' });
    expectAt(res, 'declined', 6);
    expect(deadline(res.body, 'reconsideration-decision').status).toBe('met');

    // reconsideration only once
    const again = await a.send(r.id, 'officer', { type: 'REQUEST_RECONSIDERATION', grounds: 'Once more, please.' });
    expectRefused(again);
    expect(again.body.allowedEvents).not.toContain('REQUEST_RECONSIDERATION');
    expect(again.body.allowedEvents).toEqual(expect.arrayContaining(['REQUEST_SUPERVISION', 'ACCEPT_DECISION']));

    res = await a.send(r.id, 'officer', { type: 'REQUEST_SUPERVISION', grounds: 'We ask the procuratorate to supervise.' });
    expectAt(res, 'procuratorial-supervision', 7);
    expect(res.body.stateDetail).toBe('procuratorial-supervision.awaiting-procurator');

    const procView = await a.get(r.id, 'procurator');
    expect(procView.body.allowedEvents).toEqual(expect.arrayContaining(['REQUIRE_REASONS', 'ORDER_FILING', 'UPHOLD_NON_FILING']));

    res = await a.send(r.id, 'procurator', { type: 'REQUIRE_REASONS', note: 'State your reasons for not filing.' });
    expectAt(res, 'procuratorial-supervision', 8);
    expect(res.body.stateDetail).toBe('procuratorial-supervision.reasons-required');
    const reasons = deadline(res.body, 'police-reasons');
    expect(reasons).toMatchObject({ status: 'pending', responsibleAgencyId: w.agencies.hzPsb });
    expect(Date.parse(reasons.dueAt) - Date.now()).toBeGreaterThan(6 * DAY); // 7 days, ending at 24:00

    res = await a.send(r.id, 'lead', { type: 'SUBMIT_REASONS', statement: 'The amount was counted twice.' });
    expectAt(res, 'procuratorial-supervision', 9);
    expect(res.body.stateDetail).toBe('procuratorial-supervision.reasons-submitted');
    expect(deadline(res.body, 'police-reasons').status).toBe('met');

    res = await a.send(r.id, 'procurator', { type: 'ORDER_FILING', note: 'The reasons do not hold: file the case.' });
    expectAt(res, 'procuratorial-supervision', 10);
    expect(res.body.stateDetail).toBe('procuratorial-supervision.filing-ordered');
    const filing = deadline(res.body, 'filing-order');
    expect(filing).toMatchObject({ status: 'pending', responsibleAgencyId: w.agencies.hzPsb });
    expect(Date.parse(filing.dueAt) - Date.now()).toBeGreaterThan(14 * DAY);

    res = await a.send(r.id, 'lead', { type: 'ACCEPT', caseNumber: 'HZ-2026-0077' });
    expectAt(res, 'accepted', 11);
    expect(res.body.stateDetail).toBe('accepted');
    expect(deadline(res.body, 'filing-order').status).toBe('met');
    expect(deadline(res.body, 'evidence-handover').status).toBe('pending');
  });

  it('UPHOLD_NON_FILING by the procurator closes the referral as declined', async () => {
    const r = await toDeclined();
    expectAt(
      await a.send(r.id, 'officer', { type: 'REQUEST_SUPERVISION', grounds: 'Please supervise.' }),
      'procuratorial-supervision',
      5,
    );
    const res = await a.send(r.id, 'procurator', { type: 'UPHOLD_NON_FILING', note: 'The reasons hold.' });
    expectAt(res, 'closed', 6);
    expect(res.body.outcome).toBe('declined');
    expect(res.body.deadlines.filter((d: Deadline) => d.status === 'pending')).toEqual([]);
  });

  it('ACCEPT_DECISION by the source closes the referral as declined', async () => {
    const r = await toDeclined();
    const res = await a.send(r.id, 'officer', { type: 'ACCEPT_DECISION' });
    expectAt(res, 'closed', 5);
    expect(res.body.outcome).toBe('declined');
    expect(deadline(res.body, 'reconsideration-window').status).toBe('met');
  });
});

// ---- withdraw ------------------------------------------------------------------

describe('withdraw', () => {
  async function expectWithdrawnAndFinal(id: string, version: number) {
    const res = await a.send(id, 'officer', { type: 'WITHDRAW', reason: 'Settled administratively' });
    expectAt(res, 'withdrawn', version + 1);
    expect(res.body.outcome).toBe('withdrawn');
    expect(res.body.deadlines.filter((d: Deadline) => d.status === 'pending' || d.status === 'paused')).toEqual([]);

    const ack = await a.send(id, 'lead', { type: 'ACKNOWLEDGE' });
    expectRefused(ack);
    expect(ack.body.allowedEvents).toEqual(['COMMENT']);

    expectAt(await a.send(id, 'lead', { type: 'COMMENT', text: 'Noted.' }), 'withdrawn', version + 2);
  }

  it('from submitted', async () => {
    const r = await a.submit();
    await expectWithdrawnAndFinal(r.id, 1);
  });

  it('from under-review', async () => {
    const r = await a.submit();
    expectAt(await a.send(r.id, 'policeOfficer', { type: 'ACKNOWLEDGE' }), 'under-review', 2);
    await expectWithdrawnAndFinal(r.id, 2);
  });

  it('from supplement-requested', async () => {
    const r = await a.submit();
    const res = await a.send(r.id, 'policeOfficer', {
      type: 'REQUEST_SUPPLEMENT',
      items: ['test report'],
      reason: 'The test report is missing',
    });
    expectAt(res, 'supplement-requested', 2);
    await expectWithdrawnAndFinal(r.id, 2);
  });
});

// ---- forward -------------------------------------------------------------------

describe('forward', () => {
  const forward = (id: string) =>
    a.send(id, 'policeOfficer', { type: 'FORWARD', toAgencyId: w.agencies.hzPsbWest, reason: 'Xihu district case' });

  it('answers the forwarding unit 200 with the updated referral', async () => {
    const r = await a.submit();
    const res = await forward(r.id);
    // API.md: "200 → the updated referral", even though the sender leaves the referral's scope by this act
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ state: 'submitted', version: 2, targetAgency: { id: w.agencies.hzPsbWest } });
  });

  it('moves the referral to the new police unit with fresh clocks; the old unit loses sight of it', async () => {
    const r = await a.submit();
    const oldIds = (await a.get(r.id, 'lead')).body.deadlines.map((d: Deadline) => d.id);
    await forward(r.id); // its response is checked in the test above

    const west = await a.get(r.id, 'westLead');
    expectAt(west, 'submitted', 2);
    expect(west.body.targetAgency.id).toBe(w.agencies.hzPsbWest);
    const ack = deadline(west.body, 'acknowledge');
    const review = deadline(west.body, 'review');
    expect(ack).toMatchObject({ status: 'pending', responsibleAgencyId: w.agencies.hzPsbWest });
    expect(review).toMatchObject({ status: 'pending', responsibleAgencyId: w.agencies.hzPsbWest });
    expect(oldIds).not.toContain(ack.id);
    expect(oldIds).not.toContain(review.id);
    const rows = await dbDeadlines(r.id);
    for (const oldId of oldIds) expect(rows.find((d: { id: string }) => d.id === oldId).status).toBe('cancelled');

    // the city bureau stands above the Xihu unit: it reads on (it may elevate or designate) but acts as target no more
    const city = await a.get(r.id, 'lead');
    expect(city.status).toBe(200);
    expect(city.body.allowedEvents).not.toContain('ACKNOWLEDGE');
    expect(city.body.allowedEvents).toContain('ELEVATE');
    expect((await a.get(r.id, 'officer')).body.targetAgency.id).toBe(w.agencies.hzPsbWest);

    expectAt(await a.send(r.id, 'westLead', { type: 'ACKNOWLEDGE' }, 2), 'under-review', 3);
  });

  it('forwarded to a unit it does not stand above (another city), the old unit loses sight of it', async () => {
    const r = await a.submit();
    const res = await a.send(r.id, 'policeOfficer', { type: 'FORWARD', toAgencyId: w.agencies.nbPsb, reason: 'Ningbo case' });
    expect(res.status).toBe(200);
    expect((await a.get(r.id, 'lead')).status).toBe(404);
    expect((await a.get(r.id, 'policeOfficer')).status).toBe(404);
    expect((await a.get(r.id, 'nbLead')).body.targetAgency.id).toBe(w.agencies.nbPsb);
  });

  it('refuses a target that is not a police agency', async () => {
    const r = await a.submit();
    const res = await a.send(r.id, 'policeOfficer', { type: 'FORWARD', toAgencyId: w.agencies.hzPro, reason: 'Wrong unit' });
    expectValidationFailed(res);
    expectAt(await a.get(r.id, 'lead'), 'submitted', 1);
  });
});

// ---- supplement ----------------------------------------------------------------

describe('supplement', () => {
  it('pauses the review clock while materials are supplemented and resumes it with the time kept', async () => {
    const r = await a.submit();
    expectAt(await a.send(r.id, 'policeOfficer', { type: 'ACKNOWLEDGE' }), 'under-review', 2);
    const [reviewBefore] = (await dbDeadlines(r.id)).filter((d: { kind: string }) => d.kind === 'review');

    let res = await a.send(r.id, 'policeOfficer', {
      type: 'REQUEST_SUPPLEMENT',
      items: ['inventory of seized items', 'test report'],
      reason: 'The package is incomplete',
    });
    expectAt(res, 'supplement-requested', 3);
    expect(deadline(res.body, 'review')).toMatchObject({ id: reviewBefore.id, status: 'paused' });
    expect(deadline(res.body, 'supplement')).toMatchObject({ status: 'pending', responsibleAgencyId: w.agencies.hzAmr });
    expect((await a.get(r.id, 'officer')).body.allowedEvents).toEqual(['SUPPLEMENT', 'WITHDRAW', 'COMMENT']);

    await new Promise((resolve) => setTimeout(resolve, 50)); // some measurable paused time

    res = await a.send(r.id, 'officer', { type: 'SUPPLEMENT', note: 'Inventory and test report attached' });
    expectAt(res, 'under-review', 4);
    expect(deadline(res.body, 'supplement').status).toBe('met');
    const resumed = deadline(res.body, 'review');
    expect(resumed.status).toBe('pending');

    const [reviewAfter] = (await dbDeadlines(r.id)).filter((d: { kind: string }) => d.kind === 'review');
    const moved = reviewAfter.due_at.getTime() - reviewBefore.due_at.getTime();
    expect(Number(reviewAfter.paused_ms)).toBeGreaterThanOrEqual(50);
    expect(moved).toBe(Number(reviewAfter.paused_ms)); // later by exactly the paused time
    expect(Date.parse(resumed.dueAt)).toBe(reviewAfter.due_at.getTime());
  });
});

// ---- idempotent create ---------------------------------------------------------

describe('idempotent create', () => {
  it('replays the first response for the same key and body, refuses a different body', async () => {
    const body = referralBody(w.agencies.hzPsb, { externalRef: 'idem-001' });
    const post = (b: object) =>
      t.http().post('/api/v1/referrals').set('Authorization', a.auth('officer')).set('Idempotency-Key', 'key-idem-001').send(b);

    const first = await post(body);
    expect(first.status).toBe(201);
    const second = await post(body);
    expect(second.status).toBe(201);
    expect(second.body.id).toBe(first.body.id);
    expect(second.body.referenceNo).toBe(first.body.referenceNo);
    const [{ n }] = await t.db.query(`SELECT count(*)::int AS n FROM referrals WHERE external_ref = 'idem-001'`);
    expect(n).toBe(1);

    const other = await post({ ...body, title: 'A different transfer' });
    expect(other.status).toBe(409);
    expect(other.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(other.body.code).toBe('IDEMPOTENCY_KEY_REUSED');
    const [{ total }] = await t.db.query(`SELECT count(*)::int AS total FROM referrals WHERE title = 'A different transfer'`);
    expect(total).toBe(0);
  });
});

// ---- timeline ------------------------------------------------------------------

describe('timeline', () => {
  it('is oldest first, hash-chained, and refused events leave no trace', async () => {
    const r = await a.submit();
    expectAt(await a.send(r.id, 'policeOfficer', { type: 'ACKNOWLEDGE' }), 'under-review', 2);

    const before = await eventCount(r.id);
    expect(before).toBe(2);
    const refused = await a.send(r.id, 'policeOfficer', { type: 'ACKNOWLEDGE' });
    expectRefused(refused);
    const refusedByRole = await a.send(r.id, 'policeOfficer', { type: 'ACCEPT', caseNumber: 'X-1' }); // officer may never accept
    expect(refusedByRole.status).toBe(403);
    expect(await eventCount(r.id)).toBe(before);

    expectAt(await a.send(r.id, 'lead', { type: 'COMMENT', text: 'Looking into it.' }), 'under-review', 3);

    const res = await t.http().get(`/api/v1/referrals/${r.id}/timeline`).set('Authorization', a.auth('lead'));
    expect(res.status).toBe(200);
    const items = res.body.items as {
      seq: number;
      type: string;
      prevHash: string;
      hash: string;
      fromState: string | null;
      toState: string;
      actor: { userId: string };
    }[];
    expect(items.map((e) => [e.seq, e.type])).toEqual([
      [1, 'SUBMIT'],
      [2, 'ACKNOWLEDGE'],
      [3, 'COMMENT'],
    ]);
    expect(items[0]).toMatchObject({ fromState: null, toState: 'submitted', actor: { userId: w.userIds.officer } });
    expect(items[1]).toMatchObject({
      fromState: 'submitted',
      toState: 'under-review',
      actor: { userId: w.userIds.policeOfficer },
    });
    for (let i = 1; i < items.length; i++) expect(items[i].prevHash).toBe(items[i - 1].hash);
    expect(new Set(items.map((e) => e.hash)).size).toBe(items.length);

    const verify = await t.http().get(`/api/v1/referrals/${r.id}/verify`).set('Authorization', a.auth('lead'));
    expect(verify.body).toMatchObject({ valid: true, events: 3, headHash: items[2].hash });
  });
});

// ---- outbox --------------------------------------------------------------------

describe('outbox', () => {
  it('holds deadline, notification and timeline rows for a submission', async () => {
    const r = await a.submit();
    const ids = (await dbDeadlines(r.id)).map((d: { id: string }) => d.id);
    expect(ids).toHaveLength(2);

    const deadlineRows = await t.db.query(
      `SELECT dedupe_key, payload FROM outbox WHERE topic = 'deadline' AND payload->>'deadlineId' = ANY($1)`,
      [ids],
    );
    expect(deadlineRows).toHaveLength(2);
    expect(deadlineRows.map((x: { payload: { deadlineId: string } }) => x.payload.deadlineId).sort()).toEqual([...ids].sort());

    const notifications = await t.db.query(
      `SELECT payload FROM outbox WHERE topic = 'notification' AND payload->>'referralId' = $1`,
      [r.id],
    );
    expect(notifications.length).toBeGreaterThanOrEqual(1);
    const recipients = notifications.flatMap((x: { payload: { recipientAgencyIds: string[] } }) => x.payload.recipientAgencyIds);
    expect(recipients).toEqual(expect.arrayContaining([w.agencies.hzPsb, w.agencies.hzPro]));
    expect(recipients).not.toContain(w.agencies.nbPro); // not the same-level procuratorate

    const timeline = await t.db.query(`SELECT payload FROM outbox WHERE topic = 'timeline' AND payload->>'referralId' = $1`, [
      r.id,
    ]);
    expect(timeline).toHaveLength(1);
    expect(timeline[0].payload.seq).toBe(1);
  });
});

describe('joint rectification plan checks', () => {
  async function accepted(): Promise<string> {
    const r = await a.submit();
    await a.send(r.id, 'lead', { type: 'ACKNOWLEDGE' }).expect(200);
    await a.send(r.id, 'lead', { type: 'RECORD_REVIEW', recommendation: 'file', opinion: 'ok' }).expect(200);
    await a.send(r.id, 'lead', { type: 'ACCEPT', caseNumber: 'HZ-PLAN-1' }).expect(200);
    return r.id;
  }

  it('refuses past due times, tasks due after the plan and oversight-only agencies, writing nothing', async () => {
    const id = await accepted();
    const soon = new Date(Date.now() + 10 * DAY).toISOString();
    const later = new Date(Date.now() + 20 * DAY).toISOString();
    const past = new Date(Date.now() - DAY).toISOString();
    const cases = [
      { dueAt: past, tasks: [{ agencyId: w.agencies.nbAmr, description: 'inspect' }] },
      { dueAt: soon, tasks: [{ agencyId: w.agencies.nbAmr, description: 'inspect', dueAt: later }] },
      { dueAt: soon, tasks: [{ agencyId: w.agencies.zjKunlun, description: 'watch' }] },
    ];
    for (const plan of cases) {
      const res = await a.send(id, 'lead', { type: 'START_JOINT_RECTIFICATION', ...plan });
      expect(res.status).toBe(400);
      expect(res.body.code).toBe('VALIDATION_FAILED');
    }
    expect((await a.get(id, 'lead')).body).toMatchObject({ state: 'accepted', version: 4, rectificationTasks: [] });
  });
});
