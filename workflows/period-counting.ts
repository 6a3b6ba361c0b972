// Deadline arithmetic per Criminal Procedure Law art. 105: the hour or day in
// which a period starts is not counted, and a period whose last day is a rest
// day ends on the first working day after it. Pure: no clock, no database.
import { HolidayCalendar } from './calendars/holiday-calendar';
import { addDays, addMonths, localDate, startOfLocalDay, yearOf } from './calendars/local-date';

export { localDate, startOfLocalDay } from './calendars/local-date';

const HOUR_MS = 60 * 60 * 1000;

export type PeriodUnit = 'hours' | 'calendar-days' | 'working-days' | 'months';

/** Units counted in whole local days; `hours` alone runs on the clock. */
type DayUnit = Exclude<PeriodUnit, 'hours'>;

export interface Period {
  unit: PeriodUnit;
  length: number;
}

export interface CountingOptions {
  timeZone: string;
  calendar: HolidayCalendar;
}

export interface DueAt {
  dueAt: Date;
  /** A day from the one after the start through the last day lies in a year whose calendar is not loaded. */
  calendarIncomplete: boolean;
  /**
   * Such a day was counted on the provisional calendar (weekends plus the statutory
   * holidays): the due time is recomputed when the official year is loaded.
   */
  provisional: boolean;
}

export function computeDueAt(start: Date, period: Period, { timeZone, calendar }: CountingOptions): DueAt {
  if (!Number.isInteger(period.length) || period.length < 1) {
    throw new RangeError(`period length must be a positive whole number, got ${period.length}`);
  }
  // Hours periods run on the clock: no day boundaries, no rest days.
  if (period.unit === 'hours') {
    return { dueAt: new Date(start.getTime() + period.length * HOUR_MS), calendarIncomplete: false, provisional: false };
  }
  const startDay = localDate(start, timeZone);
  const lastDay = lastCountedDay(startDay, period.unit, period.length, calendar);
  const years = yearsExamined(addDays(startDay, 1), lastDay);
  return {
    // The period ends at 24:00 of its last day, i.e. when the next local day begins.
    dueAt: startOfLocalDay(addDays(lastDay, 1), timeZone),
    calendarIncomplete: years.some((y) => !calendar.isLoaded(y)),
    provisional: years.some((y) => calendar.isProvisional(y)),
  };
}

function lastCountedDay(startDay: string, unit: DayUnit, length: number, calendar: HolidayCalendar): string {
  switch (unit) {
    case 'calendar-days':
      return firstWorkingDayFrom(addDays(startDay, length), calendar);
    case 'working-days':
      return nthWorkingDayAfter(startDay, length, calendar);
    case 'months':
      return firstWorkingDayFrom(addMonths(startDay, length), calendar);
  }
}

/** The day itself if it is a working day, else the first working day after it. */
function firstWorkingDayFrom(day: string, calendar: HolidayCalendar): string {
  let candidate = day;
  while (calendar.isRestDay(candidate)) candidate = addDays(candidate, 1);
  return candidate;
}

function nthWorkingDayAfter(startDay: string, count: number, calendar: HolidayCalendar): string {
  let day = startDay;
  for (let counted = 0; counted < count;) {
    day = addDays(day, 1);
    if (!calendar.isRestDay(day)) counted++;
  }
  return day;
}

// The examined days are contiguous, so checking each year they touch suffices.
function yearsExamined(firstDay: string, lastDay: string): number[] {
  const years: number[] = [];
  for (let year = yearOf(firstDay); year <= yearOf(lastDay); year++) years.push(year);
  return years;
}

/** Time left on a paused deadline; an overdue deadline keeps nothing. */
export function remainingMs(dueAt: Date, pausedAt: Date): number {
  return Math.max(0, dueAt.getTime() - pausedAt.getTime());
}

/** The remaining time restarts on the clock when the pause ends; no fresh day counting or rest-day roll. */
export function resumedDueAt(resumedAt: Date, remaining: number): Date {
  if (!Number.isFinite(remaining) || remaining < 0) {
    throw new RangeError(`remaining time must be a non-negative number of ms, got ${remaining}`);
  }
  return new Date(resumedAt.getTime() + remaining);
}
