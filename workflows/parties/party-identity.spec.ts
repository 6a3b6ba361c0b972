import { creditCodeCheck, identify, isCreditCode, isResidentId, normaliseName, residentIdCheck } from './party-identity';

describe('resident ID numbers (GB 11643)', () => {
  it.each(['11010519491231002X', '440524188001010014'])('accepts %s', (id) => {
    expect(isResidentId(id)).toBe(true);
    expect(isResidentId(id.toLowerCase())).toBe(true);
  });

  it('refuses every other check digit, wrong lengths and letters inside', () => {
    const prefix = '33010219900101123';
    const good = residentIdCheck(prefix);
    for (const c of '0123456789X') expect(isResidentId(prefix + c)).toBe(c === good);
    expect(isResidentId('3301021990010112')).toBe(false);
    expect(isResidentId('3301021990A101123X')).toBe(false);
  });

  it('holds for generated numbers: the computed check digit always passes, any other fails', () => {
    let seed = 42;
    const next = () => (seed = (seed * 1103515245 + 12345) % 2 ** 31);
    for (let i = 0; i < 500; i++) {
      const prefix = Array.from({ length: 17 }, () => String(next() % 10)).join('');
      const good = residentIdCheck(prefix);
      expect(isResidentId(prefix + good)).toBe(true);
      const bad = '0123456789X'.replace(good, '')[next() % 10];
      expect(isResidentId(prefix + bad)).toBe(false);
    }
  });
});

describe('unified social credit codes (GB 32100)', () => {
  it.each(['91350100M000100Y43', '91110000600037341L', '914403001922038216'])('accepts %s', (code) => {
    expect(isCreditCode(code)).toBe(true);
  });

  it('refuses a wrong check character and characters outside the code set', () => {
    const prefix = '91330100MA2B3C4D1';
    const good = creditCodeCheck(prefix);
    expect(isCreditCode(prefix + good)).toBe(true);
    expect(isCreditCode(prefix + (good === '0' ? '1' : '0'))).toBe(false);
    expect(isCreditCode('91330100MA2B3C4DI2')).toBe(false); // I is not in the set
    expect(isCreditCode('91330100MA2B3C4D')).toBe(false);
  });
});

describe('names', () => {
  it('folds full-width forms, spaces, punctuation and company suffixes', () => {
    expect(normaliseName('ＡＢＣ 贸易 有限公司', 'organization')).toBe('abc贸易');
    expect(normaliseName('abc贸易公司', 'organization')).toBe('abc贸易');
    expect(normaliseName('Hangzhou Example Trading Co., Ltd.', 'organization')).toBe('hangzhouexampletrading');
    expect(normaliseName('Hangzhou Example Trading Company Limited', 'organization')).toBe('hangzhouexampletrading');
    expect(normaliseName('杭州某某食品股份有限公司', 'organization')).toBe('杭州某某食品');
  });

  it('keeps a person’s name whole (no suffixes taken off) and never empties an organisation’s', () => {
    expect(normaliseName('张 三', 'person')).toBe('张三');
    expect(normaliseName('公司', 'organization')).toBe('公司');
  });
});

describe('identify', () => {
  it('uses a checked identifier, and the name alone when the check fails', () => {
    const code = '91330100MA2B3C4D1' + creditCodeCheck('91330100MA2B3C4D1');
    expect(identify({ kind: 'organization', name: 'X 有限公司', idNumber: code.toLowerCase() })).toEqual({
      kind: 'organization',
      identifier: code,
      nameKey: 'x',
    });
    expect(identify({ kind: 'organization', name: 'X 有限公司', idNumber: '91330100MA2B3C4D1Z' })).toMatchObject({
      identifier: null,
    });
    expect(identify({ kind: 'person', name: '张三', idNumber: '11010519491231002X' }).identifier).toBe('11010519491231002X');
  });
});
