// API.md's refusals come in one order for every event: 404 outside the caller's
// scope, then 412 stale If-Match, then 403 a role that may never send it, then
// 409 not in this state. Checks of the body against the database (FORWARD's
// target, a rectification plan's agencies and dates) run only once the referral
// is locked and in scope, so they cannot tell an outsider that it exists.
import { randomUUID } from 'node:crypto';
import { expectProblem } from './kit/e2e-kit';
import { createTestApp, type TestApp } from './support/test-app';
import { actions, buildWorld, type World } from './support/world';

describe('refusal order 404 → 412 → 403 → 409', () => {
  let t: TestApp;
  let w: World;
  let a: ReturnType<typeof actions>;
  beforeAll(async () => {
    t = await createTestApp();
    w = await buildWorld(t);
    a = actions(t, w);
  });
  afterAll(() => t?.close());

  const versionOf = async (id: string) => (await a.get(id, 'officer')).body.version as number;

  it('an out-of-scope FORWARD to an agency that does not exist is 404, not 400', async () => {
    const r = await a.submit();
    const res = await a.send(r.id, 'nbLead', { type: 'FORWARD', toAgencyId: randomUUID(), reason: 'not ours' });
    expectProblem(res, 404, 'NOT_FOUND');
    expect(await versionOf(r.id)).toBe(1);
  });

  it('an out-of-scope rectification plan due in the past is 404, not 400', async () => {
    const r = await a.submit();
    const res = await a.send(r.id, 'nbLead', {
      type: 'START_JOINT_RECTIFICATION',
      dueAt: new Date(Date.now() - 86_400_000).toISOString(),
      tasks: [{ agencyId: randomUUID(), description: 'nothing' }],
    });
    expectProblem(res, 404, 'NOT_FOUND');
  });

  it('in scope, the same FORWARD is 400 and names the field', async () => {
    const r = await a.submit();
    const res = await a.send(r.id, 'lead', { type: 'FORWARD', toAgencyId: randomUUID(), reason: 'elsewhere' });
    expectProblem(res, 400, 'VALIDATION_FAILED');
    expect(res.body.errors).toEqual([{ field: 'toAgencyId', message: 'agency does not exist' }]);
  });

  it('412 before 403: a stale If-Match from a role that may not send the event', async () => {
    const r = await a.submit();
    expectProblem(await a.send(r.id, 'officer', { type: 'ACKNOWLEDGE' }, 7), 412, 'VERSION_CONFLICT');
    expectProblem(await a.send(r.id, 'officer', { type: 'ACKNOWLEDGE' }, 1), 403, 'FORBIDDEN');
  });

  it('403 before 409: a role that may never send the event, in a state that does not take it', async () => {
    const r = await a.submit();
    expectProblem(await a.send(r.id, 'officer', { type: 'ACCEPT', caseNumber: 'X-1' }), 403, 'FORBIDDEN');
    const notNow = await a.send(r.id, 'lead', { type: 'ACCEPT', caseNumber: 'X-1' });
    expectProblem(notNow, 409, 'TRANSITION_NOT_ALLOWED');
    expect(notNow.body.allowedEvents).toContain('ACKNOWLEDGE');
    expect(await versionOf(r.id)).toBe(1);
  });
});
