import { defaultCalendarYears, HolidayCalendar } from './holiday-calendar';

describe('HolidayCalendar', () => {
  const calendar = new HolidayCalendar(defaultCalendarYears());

  it('loads the published years 2025 and 2026 only', () => {
    expect(calendar.years()).toEqual([2025, 2026]);
    expect(calendar.isLoaded(2025)).toBe(true);
    expect(calendar.isLoaded(2027)).toBe(false);
  });

  it('treats official holidays as rest days, also on weekdays', () => {
    expect(calendar.isRestDay('2025-10-01')).toBe(true); // Wednesday, National Day
    expect(calendar.isRestDay('2025-10-08')).toBe(true); // Wednesday, last day of the block
    expect(calendar.isRestDay('2026-02-23')).toBe(true); // Monday, Spring Festival
    expect(calendar.isRestDay('2026-06-19')).toBe(true); // Friday, Dragon Boat
  });

  it('treats make-up working days as working, although they are weekends', () => {
    expect(calendar.isRestDay('2025-01-26')).toBe(false); // Sunday
    expect(calendar.isRestDay('2025-10-11')).toBe(false); // Saturday
    expect(calendar.isRestDay('2026-02-14')).toBe(false); // Saturday
    expect(calendar.isRestDay('2026-02-28')).toBe(false); // Saturday
  });

  it('treats other weekends as rest days', () => {
    expect(calendar.isRestDay('2025-03-15')).toBe(true); // Saturday
    expect(calendar.isRestDay('2025-03-16')).toBe(true); // Sunday
    expect(calendar.isRestDay('2026-03-01')).toBe(true); // Sunday
  });

  it('treats plain weekdays as working days', () => {
    expect(calendar.isRestDay('2025-03-14')).toBe(false); // Friday
    expect(calendar.isRestDay('2025-10-09')).toBe(false); // Thursday after National Day
    expect(calendar.isRestDay('2026-02-24')).toBe(false); // Tuesday after Spring Festival
  });

  it('rests on weekends and the statutory holidays in a year not loaded (provisional calendar)', () => {
    expect(calendar.isProvisional(2027)).toBe(true);
    expect(calendar.isRestDay('2027-01-01')).toBe(true); // Friday, New Year's Day
    expect(calendar.isRestDay('2027-01-02')).toBe(true); // Saturday
    expect(calendar.isRestDay('2027-01-03')).toBe(true); // Sunday
    expect(calendar.isRestDay('2027-01-04')).toBe(false); // Monday
    expect(calendar.isRestDay('2027-02-05')).toBe(true); // Friday, Spring Festival eve
    expect(calendar.isRestDay('2027-02-08')).toBe(true); // Monday, third day of the first lunar month
    expect(calendar.isRestDay('2027-02-09')).toBe(false); // Tuesday
    expect(calendar.isRestDay('2024-10-01')).toBe(true); // Tuesday: years before are provisional too
    expect(calendar.isRestDay('2024-10-04')).toBe(false); // Friday: the 2024 notice's extra days cannot be known
  });

  it('is not provisional for a loaded year', () => {
    expect(calendar.isProvisional(2026)).toBe(false);
  });

  it('counts only weekends in a year not loaded when the provisional calendar is off', () => {
    const weekendsOnly = new HolidayCalendar(defaultCalendarYears(), { provisional: false });
    expect(weekendsOnly.isProvisional(2027)).toBe(false);
    expect(weekendsOnly.isRestDay('2027-01-01')).toBe(false);
    expect(weekendsOnly.isRestDay('2027-01-02')).toBe(true);
  });

  it('builds from the cn.json shape', () => {
    const fromJson = HolidayCalendar.fromJson({ '2030': { holidays: ['2030-01-01'], workdays: ['2030-01-05'] } });
    expect(fromJson.years()).toEqual([2030]);
    expect(fromJson.isRestDay('2030-01-01')).toBe(true); // Tuesday holiday
    expect(fromJson.isRestDay('2030-01-05')).toBe(false); // Saturday make-up day
  });

  it('rejects a date listed under another year or an impossible date', () => {
    expect(() => new HolidayCalendar([{ year: 2025, holidays: ['2026-01-01'], workdays: [] }])).toThrow();
    expect(() => new HolidayCalendar([{ year: 2025, holidays: ['2025-02-30'], workdays: [] }])).toThrow(RangeError);
  });
});
