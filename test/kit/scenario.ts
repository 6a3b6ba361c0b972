// A suite's app with the standard world (world.ts), and a referral builder that walks
// the procedure through the HTTP API, so an e2e test reads as its story:
//
//   const s = useScenario({ CLOCK_MODE: 'controllable' });
//   it('breaches an unanswered referral', async () => {
//     const r = await s.referral().acknowledged();
//     await s.clock.advance({ days: 20 });
//     ...
//   });
import type { Response } from 'supertest';
import { createTestApp, type TestApp } from '../support/test-app';
import { buildWorld, referralBody, type World } from '../support/world';
import { testClock, type TestClock } from './clock';
import { WebhookReceiver } from './webhook-receiver';

export type Caller = keyof World['tokens'];
export type ReferralBody = { id: string; version: number; state: string; [k: string]: unknown };
type Event = { type: string; [k: string]: unknown };

export interface Scenario {
  t: TestApp;
  w: World;
  /** The `Authorization` header value of a world user. */
  auth(user: Caller): string;
  /** Requests as a world user. */
  as(user: Caller): {
    get(path: string): ReturnType<ReturnType<TestApp['http']>['get']>;
    post(path: string, body?: object): ReturnType<ReturnType<TestApp['http']>['post']>;
    patch(path: string, body?: object): ReturnType<ReturnType<TestApp['http']>['patch']>;
    delete(path: string): ReturnType<ReturnType<TestApp['http']>['delete']>;
  };
  /** Sends an event; the response is the test's to judge. */
  send(referralId: string, user: Caller, event: Event, ifMatch?: number): Promise<Response>;
  /** Sends an event and fails loudly unless it is accepted. */
  must(referralId: string, user: Caller, event: Event): Promise<ReferralBody>;
  get(referralId: string, user: Caller): Promise<Response>;
  /** The timeline's event types, oldest first. */
  timeline(referralId: string, user?: Caller): Promise<string[]>;
  /** A referral from hz-amr to hz-psb (world.ts's referralBody), submitted when awaited, then taken through the steps chained. */
  referral(overrides?: Record<string, unknown>, user?: Caller): ReferralBuilder;
  /** The test clock (CLOCK_MODE=controllable), as the admin. */
  clock: TestClock;
  /** A started webhook receiver, stopped with the scenario. */
  receiver(): Promise<WebhookReceiver>;
  /** A webhook of `user`'s agency to `url`; the answer carries the signing secret. */
  subscribe(user: Caller, url: string, eventTypes: string[]): Promise<{ id: string; secret: string; [k: string]: unknown }>;
  close(): Promise<void>;
}

export async function scenario(env: Record<string, string> = {}): Promise<Scenario> {
  const t = await createTestApp(env, { world: true });
  const receivers: WebhookReceiver[] = [];
  let w: World;
  try {
    w = await buildWorld(t);
  } catch (e) {
    await t.close();
    throw e;
  }
  const auth = (user: Caller) => `Bearer ${w.tokens[user]}`;
  const send = (referralId: string, user: Caller, event: Event, ifMatch?: number) => {
    const req = t.http().post(`/api/v1/referrals/${referralId}/events`).set('Authorization', auth(user));
    if (ifMatch !== undefined) req.set('If-Match', `"${ifMatch}"`);
    return req.send(event).then((r) => r);
  };
  const must = async (referralId: string, user: Caller, event: Event) => {
    const res = await send(referralId, user, event);
    if (res.status !== 200) throw new Error(`${event.type} by ${user}: ${res.status} ${JSON.stringify(res.body)}`);
    return res.body as ReferralBody;
  };
  const s: Scenario = {
    t,
    w,
    auth,
    as: (user) => ({
      get: (path) => t.http().get(path).set('Authorization', auth(user)),
      post: (path, body = {}) => t.http().post(path).set('Authorization', auth(user)).send(body),
      patch: (path, body = {}) => t.http().patch(path).set('Authorization', auth(user)).send(body),
      delete: (path) => t.http().delete(path).set('Authorization', auth(user)),
    }),
    send,
    must,
    get: (referralId, user) =>
      t
        .http()
        .get(`/api/v1/referrals/${referralId}`)
        .set('Authorization', auth(user))
        .then((r) => r),
    async timeline(referralId, user = 'admin') {
      const res = await t.http().get(`/api/v1/referrals/${referralId}/timeline`).set('Authorization', auth(user));
      if (res.status !== 200) throw new Error(`timeline: ${res.status} ${JSON.stringify(res.body)}`);
      return res.body.items.map((e: { type: string }) => e.type);
    },
    referral: (overrides = {}, user = 'officer') => new ReferralBuilder(s, overrides, user),
    clock: testClock(t, w.tokens.admin),
    async receiver() {
      const r = await WebhookReceiver.start();
      receivers.push(r);
      return r;
    },
    async subscribe(user, url, eventTypes) {
      const res = await t.http().post('/api/v1/webhooks').set('Authorization', auth(user)).send({ url, eventTypes });
      if (res.status !== 201) throw new Error(`webhook: ${res.status} ${JSON.stringify(res.body)}`);
      return res.body;
    },
    async close() {
      await t.close();
      await Promise.all(receivers.map((r) => r.stop()));
    },
  };
  return s;
}

/** `scenario(env)` made in beforeAll and closed in afterAll of the enclosing describe; use it inside tests and hooks. */
export function useScenario(env: Record<string, string> = {}): Scenario {
  let current: Scenario | undefined;
  beforeAll(async () => {
    current = await scenario(env);
  });
  afterAll(() => current?.close());
  return new Proxy({} as Scenario, {
    get(_, key: keyof Scenario) {
      if (!current) throw new Error(`scenario.${String(key)} used before beforeAll made it`);
      return current[key];
    },
  });
}

/** The steps of the procedure by the usual parties of world.ts; awaiting submits and runs them in order. */
export class ReferralBuilder implements PromiseLike<ReferralBody> {
  private readonly steps: { user: Caller; event: Event }[] = [];

  constructor(
    private readonly s: Scenario,
    private readonly overrides: Record<string, unknown>,
    private readonly user: Caller,
  ) {}

  /** Any event by any user, as a step. */
  step(user: Caller, event: Event): this {
    this.steps.push({ user, event });
    return this;
  }

  acknowledged(by: Caller = 'policeOfficer'): this {
    return this.step(by, { type: 'ACKNOWLEDGE' });
  }

  reviewed(recommendation: 'file' | 'not-file' = 'file', by: Caller = 'policeOfficer'): this {
    return this.step(by, { type: 'RECORD_REVIEW', recommendation, opinion: 'Opinion of the reviewing officer' });
  }

  accepted(caseNumber = 'HZ-2026-0001', by: Caller = 'lead'): this {
    return this.step(by, { type: 'ACCEPT', caseNumber });
  }

  declined(by: Caller = 'lead'): this {
    return this.step(by, {
      type: 'DECLINE',
      reasons: 'The facts do not reach the criminal threshold.',
      legalBasis: 'MPS Provisions art. 178',
    });
  }

  withdrawn(reason = 'Settled administratively', by: Caller = 'officer'): this {
    return this.step(by, { type: 'WITHDRAW', reason });
  }

  private async run(): Promise<ReferralBody> {
    const { t, auth } = this.s;
    const res = await t
      .http()
      .post('/api/v1/referrals')
      .set('Authorization', auth(this.user))
      .send(referralBody(this.s.w.agencies.hzPsb, this.overrides));
    if (res.status !== 201) throw new Error(`submit: ${res.status} ${JSON.stringify(res.body)}`);
    let r = res.body as ReferralBody;
    for (const step of this.steps) r = await this.s.must(r.id, step.user, step.event);
    return r;
  }

  then<A = ReferralBody, B = never>(
    onFulfilled?: ((r: ReferralBody) => A | PromiseLike<A>) | null,
    onRejected?: ((e: unknown) => B | PromiseLike<B>) | null,
  ): PromiseLike<A | B> {
    return this.run().then(onFulfilled, onRejected);
  }
}
