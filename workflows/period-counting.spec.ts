import fc from 'fast-check';
import cases from '../test/fixtures/deadline-cases.json';
import { defaultCalendarYears, HolidayCalendar } from './calendars/holiday-calendar';
import { computeDueAt, localDate, Period, PeriodUnit, remainingMs, resumedDueAt, startOfLocalDay } from './period-counting';

const SHANGHAI = 'Asia/Shanghai';
const HOUR_MS = 60 * 60 * 1000;
const calendar = new HolidayCalendar(defaultCalendarYears());
const inShanghai = { timeZone: SHANGHAI, calendar };

function due(start: string, unit: PeriodUnit, length: number, opts = inShanghai) {
  const { dueAt, calendarIncomplete, provisional } = computeDueAt(new Date(start), { unit, length }, opts);
  return { dueAt: dueAt.toISOString(), calendarIncomplete, provisional };
}

function instant(iso: string): string {
  return new Date(iso).toISOString();
}

describe('computeDueAt: hand-checked fixture cases', () => {
  it('has every case of the shared fixture, the provisional ones included', () => {
    expect(cases.length).toBeGreaterThanOrEqual(15);
    expect(cases.filter((c) => c.provisional)).toHaveLength(3);
  });

  it.each(cases)('$name', ({ start, unit, length, dueAt, calendarIncomplete, provisional }) => {
    expect(due(start, unit as PeriodUnit, length)).toEqual({ dueAt: instant(dueAt), calendarIncomplete, provisional });
  });
});

describe('computeDueAt: calendar days', () => {
  it('worked example: 2025-10-01 10:00 + 3 days ends 24:00 on 10-09, after National Day', () => {
    expect(due('2025-10-01T10:00:00+08:00', 'calendar-days', 3)).toEqual({
      dueAt: instant('2025-10-10T00:00:00+08:00'),
      calendarIncomplete: false,
      provisional: false,
    });
  });

  it('rolls a last day on a plain Sunday to Monday', () => {
    expect(due('2025-03-13T11:20:00+08:00', 'calendar-days', 3).dueAt).toBe(instant('2025-03-18T00:00:00+08:00'));
  });

  it('does not roll a last day on a Saturday make-up working day', () => {
    expect(due('2026-02-11T16:45:00+08:00', 'calendar-days', 3).dueAt).toBe(instant('2026-02-15T00:00:00+08:00'));
  });

  it('does not count the start day even when the start is one second before midnight', () => {
    expect(due('2025-03-10T23:59:59+08:00', 'calendar-days', 1).dueAt).toBe(instant('2025-03-12T00:00:00+08:00'));
  });

  it('counts local days in the given zone, across a DST change', () => {
    const noHolidays = { timeZone: 'Europe/Berlin', calendar: new HolidayCalendar([], { provisional: false }) };
    // 03-28, 03-29, 03-30 (Sunday, the DST day) → Monday 03-31, which ends at 24:00 CEST.
    expect(due('2025-03-27T10:00:00+01:00', 'calendar-days', 3, noHolidays).dueAt).toBe(instant('2025-04-01T00:00:00+02:00'));
  });
});

describe('computeDueAt: working days', () => {
  it('skips the holiday block and counts a Saturday make-up day', () => {
    // 05-06, 05-07, then Saturday 05-09 (make-up); 05-01..05-05 are rest days.
    expect(due('2026-04-30T14:00:00+08:00', 'working-days', 3).dueAt).toBe(instant('2026-05-09T00:00:00+08:00'));
  });

  it('does not roll: the last counted day is a working day by construction', () => {
    // Friday 03-14, Monday 03-17, Tuesday 03-18.
    expect(due('2025-03-13T09:00:00+08:00', 'working-days', 3).dueAt).toBe(instant('2025-03-19T00:00:00+08:00'));
  });
});

describe('computeDueAt: months', () => {
  it('clamps Jan 31 + 1 month to Feb 28, here a make-up working day, so no roll', () => {
    expect(due('2026-01-31T10:00:00+08:00', 'months', 1)).toEqual({
      dueAt: instant('2026-03-01T00:00:00+08:00'),
      calendarIncomplete: false,
      provisional: false,
    });
  });

  it('clamps to Feb 29 in a leap year', () => {
    expect(due('2024-01-31T10:00:00+08:00', 'months', 1).dueAt).toBe(instant('2024-03-01T00:00:00+08:00'));
  });

  it('rolls a last day inside National Day to the first working day', () => {
    // 2025-09-01 + 1 month = 10-01, rest through 10-08.
    expect(due('2025-09-01T10:00:00+08:00', 'months', 1).dueAt).toBe(instant('2025-10-10T00:00:00+08:00'));
  });

  it('runs a 3-month chasing period across the year end', () => {
    // 2025-11-15 + 3 months = 2026-02-15, in the Spring Festival block → Tuesday 02-24.
    expect(due('2025-11-15T10:00:00+08:00', 'months', 3).dueAt).toBe(instant('2026-02-25T00:00:00+08:00'));
  });
});

describe('computeDueAt: hours', () => {
  it('runs on the clock, through holidays and without rolling', () => {
    expect(due('2025-10-01T10:00:00+08:00', 'hours', 24)).toEqual({
      dueAt: instant('2025-10-02T10:00:00+08:00'),
      calendarIncomplete: false,
      provisional: false,
    });
  });

  it('never reports an incomplete calendar, whatever year it runs in', () => {
    expect(due('2030-05-01T10:00:00+08:00', 'hours', 24)).toMatchObject({ calendarIncomplete: false, provisional: false });
  });
});

describe('computeDueAt: a year whose calendar is not loaded', () => {
  const only2025 = { timeZone: SHANGHAI, calendar: new HolidayCalendar(defaultCalendarYears().filter((y) => y.year === 2025)) };

  it('counts on the provisional calendar and says so', () => {
    // 02-13, 02-14, 02-15 (Sunday); 02-16 eve and 02-17..19 (first three lunar days) rest → Friday 02-20.
    // The official 2026 notice rolls to 02-24: loading it recomputes the deadline.
    expect(due('2026-02-12T09:00:00+08:00', 'calendar-days', 3, only2025)).toEqual({
      dueAt: instant('2026-02-21T00:00:00+08:00'),
      calendarIncomplete: true,
      provisional: true,
    });
  });

  it("does not let the 3-day review of 2026-12-29 end on New Year's Day 2027", () => {
    expect(due('2026-12-29T10:00:00+08:00', 'calendar-days', 3)).toEqual({
      dueAt: instant('2027-01-05T00:00:00+08:00'),
      calendarIncomplete: true,
      provisional: true,
    });
  });

  it('counts only weekends when the provisional calendar is off', () => {
    const weekendsOnly = {
      timeZone: SHANGHAI,
      calendar: new HolidayCalendar(
        defaultCalendarYears().filter((y) => y.year === 2025),
        { provisional: false },
      ),
    };
    expect(due('2026-02-12T09:00:00+08:00', 'calendar-days', 3, weekendsOnly)).toEqual({
      dueAt: instant('2026-02-17T00:00:00+08:00'),
      calendarIncomplete: true,
      provisional: false,
    });
  });

  it('is complete when every counted day is in a loaded year', () => {
    expect(due('2025-03-13T11:20:00+08:00', 'calendar-days', 3, only2025).calendarIncomplete).toBe(false);
  });

  it('does not examine the uncounted start day', () => {
    expect(due('2024-12-31T10:00:00+08:00', 'calendar-days', 3)).toMatchObject({ calendarIncomplete: false, provisional: false });
    expect(due('2024-12-30T10:00:00+08:00', 'calendar-days', 3)).toMatchObject({ calendarIncomplete: true, provisional: true });
  });
});

describe('computeDueAt: invalid periods', () => {
  it.each([0, -1, 1.5, NaN])('rejects length %p', (length) => {
    expect(() => computeDueAt(new Date(), { unit: 'calendar-days', length }, inShanghai)).toThrow(RangeError);
  });
});

describe('pause and resume', () => {
  const dueAt = new Date('2025-10-10T00:00:00+08:00');

  it('keeps the remaining time and restarts it from the resume instant', () => {
    const remaining = remainingMs(dueAt, new Date('2025-10-08T12:00:00+08:00'));
    expect(remaining).toBe(36 * HOUR_MS);
    expect(resumedDueAt(new Date('2025-10-20T09:00:00+08:00'), remaining).toISOString()).toBe(
      instant('2025-10-21T21:00:00+08:00'),
    );
  });

  it('keeps nothing when paused after the deadline passed', () => {
    expect(remainingMs(dueAt, new Date('2025-10-11T09:00:00+08:00'))).toBe(0);
  });

  it('rejects a negative remaining time', () => {
    expect(() => resumedDueAt(dueAt, -1)).toThrow(RangeError);
  });
});

describe('local dates in a time zone', () => {
  it('reads the local date of an instant', () => {
    expect(localDate(new Date('2026-03-01T15:59:59Z'), SHANGHAI)).toBe('2026-03-01');
    expect(localDate(new Date('2026-03-01T16:00:00Z'), SHANGHAI)).toBe('2026-03-02');
  });

  it('finds local midnight in a zone without DST', () => {
    expect(startOfLocalDay('2025-10-10', SHANGHAI).toISOString()).toBe('2025-10-09T16:00:00.000Z');
  });

  it('finds local midnight on and after DST changes', () => {
    expect(startOfLocalDay('2025-03-30', 'Europe/Berlin').toISOString()).toBe('2025-03-29T23:00:00.000Z');
    expect(startOfLocalDay('2025-03-31', 'Europe/Berlin').toISOString()).toBe('2025-03-30T22:00:00.000Z');
    expect(startOfLocalDay('2025-10-26', 'Europe/Berlin').toISOString()).toBe('2025-10-25T22:00:00.000Z');
    expect(startOfLocalDay('2025-10-27', 'Europe/Berlin').toISOString()).toBe('2025-10-26T23:00:00.000Z');
  });

  it('starts a day whose midnight is skipped at the instant clocks jump to', () => {
    // Santiago jumps from 00:00 (-04) to 01:00 (-03) on 2025-09-07.
    expect(startOfLocalDay('2025-09-07', 'America/Santiago').toISOString()).toBe('2025-09-07T04:00:00.000Z');
    // On 2025-04-06, 24:00 (-03) falls back to 23:00 of the 5th; the 6th begins at 00:00 (-04).
    expect(startOfLocalDay('2025-04-06', 'America/Santiago').toISOString()).toBe('2025-04-06T04:00:00.000Z');
  });
});

describe('properties', () => {
  const startInstants = fc.date({
    min: new Date('2025-01-01T00:00:00+08:00'),
    max: new Date('2026-12-31T23:59:59+08:00'),
    noInvalidDate: true,
  });
  const dayPeriods = fc.record({
    unit: fc.constantFrom<PeriodUnit>('calendar-days', 'working-days'),
    length: fc.integer({ min: 1, max: 60 }),
  });

  function lastCountedDay(dueAt: Date, timeZone: string): string {
    return localDate(new Date(dueAt.getTime() - 1), timeZone);
  }

  it('day periods end after a working day, at local midnight, never before the plain sum', () => {
    fc.assert(
      fc.property(startInstants, dayPeriods, (start, period: Period) => {
        const { dueAt } = computeDueAt(start, period, inShanghai);
        expect(calendar.isRestDay(lastCountedDay(dueAt, SHANGHAI))).toBe(false);
        expect(dueAt.getTime()).toBeGreaterThanOrEqual(start.getTime() + period.length * 24 * HOUR_MS);
        // Shanghai is UTC+8 all year: local midnight is 16:00 UTC.
        expect(dueAt.toISOString().slice(11)).toBe('16:00:00.000Z');
      }),
    );
  });

  it('day periods end at the first instant of a local day in zones with DST', () => {
    const zones = fc.constantFrom('Europe/Berlin', 'America/New_York', 'America/Santiago', 'Australia/Sydney');
    fc.assert(
      fc.property(startInstants, dayPeriods, zones, (start, period: Period, timeZone) => {
        const { dueAt } = computeDueAt(start, period, { timeZone, calendar });
        expect(localDate(dueAt, timeZone)).not.toBe(lastCountedDay(dueAt, timeZone));
        expect(calendar.isRestDay(lastCountedDay(dueAt, timeZone))).toBe(false);
      }),
    );
  });

  it('hours periods add exactly that many hours', () => {
    fc.assert(
      fc.property(startInstants, fc.integer({ min: 1, max: 1000 }), (start, length) => {
        const { dueAt } = computeDueAt(start, { unit: 'hours', length }, inShanghai);
        expect(dueAt.getTime() - start.getTime()).toBe(length * HOUR_MS);
      }),
    );
  });
});
