import { Clock } from './clock';

describe('Clock', () => {
  it('runs ahead of real time by the offset', () => {
    const clock = new Clock();
    clock.setOffset(3_600_000);
    const ahead = clock.now().getTime() - Date.now();
    expect(ahead).toBeGreaterThan(3_590_000);
    expect(ahead).toBeLessThanOrEqual(3_600_000);
  });

  it('never lowers its offset: the service clock does not go backwards', () => {
    const clock = new Clock();
    clock.setOffset(4 * 86_400_000);
    clock.setOffset(2 * 86_400_000); // e.g. an offset counted again from 0 after a Redis flush
    clock.setOffset(0);
    clock.setOffset(NaN);
    expect(clock.offset()).toBe(4 * 86_400_000);
    clock.setOffset(5 * 86_400_000);
    expect(clock.offset()).toBe(5 * 86_400_000);
  });
});
