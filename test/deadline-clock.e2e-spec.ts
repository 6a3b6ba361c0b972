import { actions, buildWorld, type World } from './support/world';
import { createTestApp, type TestApp } from './support/test-app';
import { until } from './support/until';

describe('deadlines fire on the test clock', () => {
  let t: TestApp;
  let w: World;
  beforeAll(async () => {
    t = await createTestApp({ CLOCK_MODE: 'controllable' }, { world: true });
    w = await buildWorld(t);
  });
  afterAll(() => t?.close());

  it('reminds at half-time and breaches the acknowledge deadline after 24 h', async () => {
    const a = actions(t, w);
    const r = await a.submit();
    const types = async () =>
      (await t.http().get(`/api/v1/referrals/${r.id}/timeline`).set('Authorization', a.auth('admin'))).body.items.map(
        (e: { type: string }) => e.type,
      );
    await t.http().post('/api/v1/test-clock/advance').set('Authorization', a.auth('admin')).send({ hours: 13 }).expect(200);
    expect(await until(types, (x) => x.includes('DEADLINE_REMINDER'))).toEqual(['SUBMIT', 'DEADLINE_REMINDER']);
    await t.http().post('/api/v1/test-clock/advance').set('Authorization', a.auth('admin')).send({ hours: 12 }).expect(200);
    expect(await until(types, (x) => x.includes('DEADLINE_EXPIRED'))).toEqual([
      'SUBMIT',
      'DEADLINE_REMINDER',
      'DEADLINE_EXPIRED',
    ]);
    const body = (await a.get(r.id, 'officer')).body;
    expect(body.deadlines.find((d: { kind: string }) => d.kind === 'acknowledge')).toMatchObject({
      status: 'breached',
      escalationLevel: 1,
    });
  });
});
