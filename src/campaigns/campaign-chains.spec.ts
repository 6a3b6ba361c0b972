import { uncovered } from './campaign-chains';

describe('parties and chains uncovered', () => {
  // a–b share p1, b–c share p2 (one chain of three), d–e share p3 (another); f alone; p4 stated once
  const cases = [
    { node: 'a', key: '330100' },
    { node: 'b', key: '330200' },
    { node: 'c', key: '330200' },
    { node: 'd', key: '330100' },
    { node: 'e', key: '330100' },
    { node: 'f', key: '330300' },
  ];
  const statements = [
    { partyId: 'p1', node: 'a' },
    { partyId: 'p1', node: 'b' },
    { partyId: 'p2', node: 'b' },
    { partyId: 'p2', node: 'c' },
    { partyId: 'p3', node: 'd' },
    { partyId: 'p3', node: 'e' },
    { partyId: 'p4', node: 'f' },
    // a case outside the campaign or the caller's scope joins nothing
    { partyId: 'p4', node: 'elsewhere' },
  ];

  it('counts each once in the total and in every group where it has a case', () => {
    const { byKey, total } = uncovered(cases, statements);
    expect(total).toEqual({ linkedParties: 3, chains: 2 });
    expect(Object.fromEntries(byKey)).toEqual({
      '330100': { linkedParties: 2, chains: 2 },
      '330200': { linkedParties: 2, chains: 1 },
    });
  });

  it('is empty without shared parties', () => {
    expect(uncovered(cases, [{ partyId: 'p1', node: 'a' }])).toEqual({
      byKey: new Map(),
      total: { linkedParties: 0, chains: 0 },
    });
  });
});
