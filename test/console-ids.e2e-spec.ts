// The console's client-side checks of suspects' identifiers (web/src/lib/ids.ts).
import { isResidentId, isSocialCreditCode } from '../web/src/lib/ids';

test('resident ID numbers: GB 11643 check digit, X in either case', () => {
  expect(isResidentId('330102199003071230')).toBe(true);
  expect(isResidentId('11010519491231002X')).toBe(true);
  expect(isResidentId('11010519491231002x')).toBe(true);
  expect(isResidentId('330102199003071231')).toBe(false); // wrong check digit
  expect(isResidentId('33010219900307123')).toBe(false); // 17 characters
});

test('unified social credit codes: GB 32100 check character, no I O S V Z', () => {
  expect(isSocialCreditCode('91330100MA2B3C4D1A')).toBe(true);
  expect(isSocialCreditCode('91350100M000100Y43')).toBe(true);
  expect(isSocialCreditCode('91330100MA2B3C4D12')).toBe(false); // wrong check character
  expect(isSocialCreditCode('91330100MA2B3C4DIA')).toBe(false); // I is not in the alphabet
});
