import cn from './cn.json';
import { isWeekend, yearOf } from './local-date';

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

export class HolidayCalendar {
  private readonly loaded = new Map<number, LoadedYear>();

  constructor(years: YearCalendar[]) {
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

  static fromJson(json: CalendarJson): HolidayCalendar {
    return new HolidayCalendar(yearCalendars(json));
  }

  isLoaded(year: number): boolean {
    return this.loaded.has(year);
  }

  /** Rest day per the official calendar; for a year not yet published only weekends rest. */
  isRestDay(isoDate: string): boolean {
    const year = this.loaded.get(yearOf(isoDate));
    if (year?.holidays.has(isoDate)) return true;
    if (year?.workdays.has(isoDate)) return false;
    return isWeekend(isoDate);
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
