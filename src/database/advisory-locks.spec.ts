import { AdvisoryLock } from './advisory-locks';

describe('AdvisoryLock', () => {
  it('gives every purpose its own key (an enum would accept a repeated value silently)', () => {
    const keys = Object.values(AdvisoryLock).filter((v) => typeof v === 'number');
    expect(keys.length).toBeGreaterThanOrEqual(4);
    expect(new Set(keys).size).toBe(keys.length);
  });
});
