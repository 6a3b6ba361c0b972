// The only SQL on the calendars table. The engine reads the calendar in force
// through here (in the event's transaction); the calendar service writes it.
import type { EntityManager } from 'typeorm';
import { HolidayCalendar, type YearCalendar } from '../../workflows/calendars/holiday-calendar';

interface CalendarRow {
  year: number;
  holidays: string[];
  workdays: string[];
}

const toYear = (row: CalendarRow): YearCalendar => ({
  year: row.year,
  holidays: [...row.holidays].sort(),
  workdays: [...row.workdays].sort(),
});

export async function loadCalendar(tx: EntityManager): Promise<HolidayCalendar> {
  const rows: CalendarRow[] = await tx.query(`SELECT year, holidays, workdays FROM calendars`);
  return new HolidayCalendar(rows.map(toYear));
}

export async function findYear(tx: EntityManager, year: number): Promise<YearCalendar | undefined> {
  const [row]: CalendarRow[] = await tx.query(`SELECT year, holidays, workdays FROM calendars WHERE year = $1`, [year]);
  return row && toYear(row);
}

/** Inserts a shipped year unless one is there; returns whether it was inserted. */
export async function insertYearIfMissing(tx: EntityManager, y: YearCalendar): Promise<boolean> {
  const rows = await tx.query(
    `INSERT INTO calendars (year, holidays, workdays) VALUES ($1, $2, $3) ON CONFLICT (year) DO NOTHING RETURNING year`,
    [y.year, y.holidays, y.workdays],
  );
  return rows.length > 0;
}

export async function upsertYear(tx: EntityManager, y: YearCalendar): Promise<void> {
  await tx.query(
    `INSERT INTO calendars (year, holidays, workdays, updated_at) VALUES ($1, $2, $3, now())
     ON CONFLICT (year) DO UPDATE SET holidays = EXCLUDED.holidays, workdays = EXCLUDED.workdays, updated_at = now()`,
    [y.year, y.holidays, y.workdays],
  );
}
