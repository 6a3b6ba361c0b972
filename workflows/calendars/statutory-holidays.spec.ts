import { HolidayUtil } from 'lunar-typescript';
import cn from './cn.json';
import { defaultCalendarYears } from './holiday-calendar';
import { statutoryHolidays } from './statutory-holidays';

describe('statutory holidays of the National Holidays Measures', () => {
  it('gives the provisional 2027 days of DOMAIN.md (Spring Festival from the astronomical lunar calendar, not ICU)', () => {
    expect(statutoryHolidays(2027)).toEqual([
      '2027-01-01',
      '2027-02-05', // eve: the new moon is at 23:56 Beijing time on 02-06, so 02-06 is the first day
      '2027-02-06',
      '2027-02-07',
      '2027-02-08',
      '2027-04-05', // Qingming
      '2027-05-01',
      '2027-05-02',
      '2027-06-09', // Dragon Boat
      '2027-09-15', // Mid-Autumn
      '2027-10-01',
      '2027-10-02',
      '2027-10-03',
    ]);
  });

  it('lies inside the rest days of every shipped official calendar', () => {
    for (const { year, holidays } of defaultCalendarYears()) {
      expect(statutoryHolidays(year).filter((d) => !holidays.includes(d))).toEqual([]);
    }
  });

  it('follows the version of the Measures in force that year', () => {
    // 2014–2024: no Spring Festival eve, one day in May.
    expect(statutoryHolidays(2024)).toEqual([
      '2024-01-01',
      '2024-02-10',
      '2024-02-11',
      '2024-02-12',
      '2024-04-04',
      '2024-05-01',
      '2024-06-10',
      '2024-09-17',
      '2024-10-01',
      '2024-10-02',
      '2024-10-03',
    ]);
    expect(statutoryHolidays(2007)).toEqual([]); // before the versions we know
  });

  it('lists a day once when Mid-Autumn falls in the National Day days (2028-10-03)', () => {
    const days = statutoryHolidays(2028);
    expect(days.filter((d) => d === '2028-10-03')).toHaveLength(1);
    expect(days).toHaveLength(12);
  });
});

// A second, independent source for the shipped calendars: lunar-typescript's own
// table of the State Council notices (HolidayUtil), not our cn.json.
describe('shipped calendars against lunar-typescript HolidayUtil', () => {
  it.each([2025, 2026])('%i: the same rest days and make-up working days', (year) => {
    const official = HolidayUtil.getHolidays(year);
    const shipped = (cn as Record<string, { holidays: string[]; workdays: string[] }>)[String(year)];
    expect(official.length).toBeGreaterThan(0);
    expect([...shipped.holidays].sort()).toEqual(
      official
        .filter((h) => !h.isWork())
        .map((h) => h.getDay())
        .sort(),
    );
    expect([...shipped.workdays].sort()).toEqual(
      official
        .filter((h) => h.isWork())
        .map((h) => h.getDay())
        .sort(),
    );
  });
});
