import cn from './cn.json';
import { isWeekend, yearOf } from './local-date';
import { hasStatutoryHolidays, statutoryHolidays } from './statutory-holidays';

/** One officially published year: rest days and the weekend days moved into working days (调休). */
export interface YearCalendar {
  year: number;
  holidays: string[];
  workdays: string[];
}

/** The shape of cn.json: year → its published dates. */
export type CalendarJson = Record<string, { holidays: string[]; workdays: string[] }>;

interface LoadedYear {
  holidays: Set<string>;
  workdays: Set<string>;
}

export interface HolidayCalendarOptions {
  /**
   * A year not loaded rests on weekends plus the statutory holidays of the National
   * Holidays Measures (DOMAIN.md); `false`: weekends only. Default true.
   */
  provisional?: boolean;
}

export class HolidayCalendar {
  private readonly loaded = new Map<number, LoadedYear>();
  private readonly provisionalYears = new Map<number, Set<string>>();
  private readonly useProvisional: boolean;

  constructor(years: YearCalendar[], { provisional = true }: HolidayCalendarOptions = {}) {
    this.useProvisional = provisional;
    for (const { year, holidays, workdays } of years) {
      if (!Number.isInteger(year)) throw new Error(`not a calendar year: ${year}`);
      if (this.loaded.has(year)) throw new Error(`calendar year ${year} given twice`);
      // A date filed under the wrong year would silently never match.
      for (const date of [...holidays, ...workdays]) {
        if (yearOf(date) !== year) throw new Error(`calendar year ${year} lists ${date}`);
      }
      this.loaded.set(year, { holidays: new Set(holidays), workdays: new Set(workdays) });
    }
  }

  static fromJson(json: CalendarJson, options?: HolidayCalendarOptions): HolidayCalendar {
    return new HolidayCalendar(yearCalendars(json), options);
  }

  isLoaded(year: number): boolean {
    return this.loaded.has(year);
  }

  /** Not loaded, and counted on the provisional calendar (weekends plus the statutory holidays). */
  isProvisional(year: number): boolean {
    return this.useProvisional && !this.loaded.has(year) && hasStatutoryHolidays(year);
  }

  /**
   * Rest day per the official calendar; for a year not yet published, per the
   * provisional one: weekends and the statutory holidays (make-up days cannot be known).
   */
  isRestDay(isoDate: string): boolean {
    const y = yearOf(isoDate);
    const year = this.loaded.get(y);
    if (year) return year.holidays.has(isoDate) || (!year.workdays.has(isoDate) && isWeekend(isoDate));
    if (this.isProvisional(y) && this.provisionalHolidays(y).has(isoDate)) return true;
    return isWeekend(isoDate);
  }

  private provisionalHolidays(year: number): Set<string> {
    let days = this.provisionalYears.get(year);
    if (!days) {
      days = new Set(statutoryHolidays(year));
      this.provisionalYears.set(year, days);
    }
    return days;
  }

  years(): number[] {
    return [...this.loaded.keys()].sort((a, b) => a - b);
  }
}

function yearCalendars(json: CalendarJson): YearCalendar[] {
  // Copies, so no caller can edit the imported JSON module.
  return Object.entries(json).map(([year, { holidays, workdays }]) => ({
    year: Number(year),
    holidays: [...holidays],
    workdays: [...workdays],
  }));
}

/** The bundled official Chinese calendars (State Council General Office notices). */
export function defaultCalendarYears(): YearCalendar[] {
  return yearCalendars(cn);
}
