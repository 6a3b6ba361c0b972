import { stateNames } from './state-names';

describe('stateNames', () => {
  it('names a top-level state by itself', () => {
    expect(stateNames({ value: 'under-review' })).toEqual({ state: 'under-review', stateDetail: 'under-review' });
  });

  it('names a nested state by its top-level parent and its dotted path', () => {
    expect(stateNames({ value: { 'procuratorial-supervision': 'reasons-required' } })).toEqual({
      state: 'procuratorial-supervision',
      stateDetail: 'procuratorial-supervision.reasons-required',
    });
  });
});
