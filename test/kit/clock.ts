// The service's test clock (CLOCK_MODE=controllable) through its HTTP API, as an admin.
import type { TestApp } from '../support/test-app';

export interface TestClock {
  now(): Promise<Date>;
  /** Moves the clock forward; every deadline then due fires (asynchronously: wait for its effects). */
  advance(by: { hours?: number; days?: number }): Promise<Date>;
}

export function testClock(t: TestApp, adminToken: string): TestClock {
  const auth = `Bearer ${adminToken}`;
  return {
    async now() {
      const res = await t.http().get('/api/v1/test-clock').set('Authorization', auth).expect(200);
      return new Date(res.body.now);
    },
    async advance(by) {
      const res = await t.http().post('/api/v1/test-clock/advance').set('Authorization', auth).send(by);
      if (res.status !== 200) throw new Error(`test clock: ${res.status} ${JSON.stringify(res.body)} (CLOCK_MODE=controllable?)`);
      return new Date(res.body.now);
    },
  };
}
