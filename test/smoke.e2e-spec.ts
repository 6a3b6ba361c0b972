import { loadConfig } from '../src/config/app-config';
import { createTestApp, type TestApp } from './support/test-app';
import { useScenario } from './kit';

describe('smoke: submit and acknowledge', () => {
  const s = useScenario();

  it('submits, acknowledges and keeps a valid timeline', async () => {
    const r = await s.referral();
    expect(r.state).toBe('submitted');
    const ack = await s.send(r.id, 'policeOfficer', { type: 'ACKNOWLEDGE' }, 1);
    expect(ack.status).toBe(200);
    expect(ack.body.state).toBe('under-review');
    expect(ack.headers.etag).toBe('"2"');
    const verify = await s.as('lead').get(`/api/v1/referrals/${r.id}/verify`);
    expect(verify.body).toMatchObject({ valid: true, events: 2 });
  });
});

describe('the test clock is absent unless CLOCK_MODE=controllable', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp();
  });
  afterAll(() => t?.close());

  it('answers 404 on its paths', async () => {
    const admin = await t.token('admin');
    await t.http().get('/api/v1/test-clock').set('Authorization', `Bearer ${admin}`).expect(404);
    await t.http().post('/api/v1/test-clock/advance').set('Authorization', `Bearer ${admin}`).send({ hours: 1 }).expect(404);
  });
});

describe('CLOCK_MODE=controllable is refused in production', () => {
  it('fails the configuration', () => {
    expect(() => loadConfig({ NODE_ENV: 'production', CLOCK_MODE: 'controllable' })).toThrow(/refused when NODE_ENV=production/);
  });
});
