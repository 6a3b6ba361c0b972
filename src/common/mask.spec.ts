import { maskIdNumber, maskIdNumbers } from './mask';

describe('maskIdNumbers', () => {
  it('masks the ID number of a well-formed suspects list', () => {
    expect(maskIdNumbers([{ kind: 'organization', name: 'Co.', idNumber: '91330100MA2B3C4D12' }])).toEqual([
      { kind: 'organization', name: 'Co.', idNumber: '9133************12' },
    ]);
  });

  it('masks ID numbers whatever the shape they are stored in', () => {
    const stored = {
      suspects: [{ '0': { kind: 'person', name: 'Zhang San', idNumber: '330102199001011234' } }],
      nested: [[{ IDNumber: '330102199001019999' }]],
      odd: { idnumber: 330102199001010000, other: { idNumber: { value: '330102199001018888' } } },
    };
    const text = JSON.stringify(maskIdNumbers(stored));
    for (const id of ['330102199001011234', '330102199001019999', '330102199001010000', '330102199001018888']) {
      expect(text).not.toContain(id);
    }
    expect(text).toContain('3301************34');
    expect(text).toContain('"name":"Zhang San"');
  });

  it('leaves values without ID numbers equal and the input untouched', () => {
    const input = { a: [1, 'x', null, { b: true }] };
    const before = JSON.stringify(input);
    expect(maskIdNumbers(input)).toEqual(input);
    expect(JSON.stringify(input)).toBe(before);
    expect(maskIdNumbers('idNumber')).toBe('idNumber');
    expect(maskIdNumber('12345')).toBe('*****');
  });
});
