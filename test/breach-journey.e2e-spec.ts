// The journey issue 3 is judged by, through the HTTP API only: submit, advance the
// clock past 24 h, see the breach in the supervisor's inbox and over a signed webhook.
import { createHmac } from 'node:crypto';
import { until, useScenario } from './kit';

describe('breach journey over HTTP', () => {
  const s = useScenario({ CLOCK_MODE: 'controllable', WEBHOOK_ALLOW_PRIVATE_TARGETS: 'true' });

  it('shows the acknowledge breach to the provincial supervisor and signs it to the police webhook', async () => {
    const receiver = await s.receiver();
    const hook = await s.subscribe('lead', receiver.url('/caselink'), ['DEADLINE_EXPIRED']);

    const referral = await s.referral({ title: 'Unanswered transfer' });
    await s.clock.advance({ hours: 25 });

    type Notice = { type: string; title: string; body: string; referralId: string; readAt: string | null };
    const inbox: Notice[] = await until(
      async () => (await s.as('supervisor').get('/api/v1/notifications')).body.items,
      (items: Notice[]) => items.some((n) => n.type === 'deadline-breached'),
    );
    const breach = inbox.find((n) => n.type === 'deadline-breached')!;
    expect(breach).toMatchObject({ referralId: referral.id, readAt: null });
    expect(breach.title + breach.body).toContain(String(referral.referenceNo));
    expect(breach.body).toContain('acknowledge');

    const delivery = await until(
      async () => receiver.requests,
      (r) => r.length > 0,
    );
    expect(delivery).toHaveLength(1);
    const { headers, raw: body } = delivery[0];
    const [, ts, v1] = /^t=(\d+),v1=([0-9a-f]{64})$/.exec(String(headers['x-caselink-signature']))!;
    expect(createHmac('sha256', hook.secret).update(`${ts}.${body}`).digest('hex')).toBe(v1);
    expect(headers['x-caselink-event']).toBe('DEADLINE_EXPIRED');
    expect(JSON.parse(body)).toMatchObject({
      type: 'DEADLINE_EXPIRED',
      referral: { id: referral.id, referenceNo: referral.referenceNo },
      data: { kind: 'acknowledge' },
    });
  });
});
