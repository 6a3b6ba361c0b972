import { until, useScenario } from './kit';

describe('deadlines fire on the test clock', () => {
  const s = useScenario({ CLOCK_MODE: 'controllable' });

  it('reminds at half-time and breaches the acknowledge deadline after 24 h', async () => {
    const r = await s.referral();
    const types = () => s.timeline(r.id);
    await s.clock.advance({ hours: 13 });
    expect(await until(types, (x) => x.includes('DEADLINE_REMINDER'))).toEqual(['SUBMIT', 'DEADLINE_REMINDER']);
    await s.clock.advance({ hours: 12 });
    expect(await until(types, (x) => x.includes('DEADLINE_EXPIRED'))).toEqual([
      'SUBMIT',
      'DEADLINE_REMINDER',
      'DEADLINE_EXPIRED',
    ]);
    const body = (await s.get(r.id, 'officer')).body;
    expect(body.deadlines.find((d: { kind: string }) => d.kind === 'acknowledge')).toMatchObject({
      status: 'breached',
      escalationLevel: 1,
    });
  });
});
