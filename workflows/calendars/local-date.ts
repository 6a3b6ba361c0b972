// Calendar dates as 'YYYY-MM-DD' strings and their link to instants in an
// IANA time zone. Date-only arithmetic runs on UTC so it never meets DST.

const DAY_MS = 24 * 60 * 60 * 1000;
const ISO_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

interface DateParts {
  year: number;
  month: number; // 1..12
  day: number;
}

export function parseIsoDate(isoDate: string): DateParts {
  const match = ISO_DATE.exec(isoDate);
  const parts = match && { year: Number(match[1]), month: Number(match[2]), day: Number(match[3]) };
  // Round-tripping rejects impossible dates such as 2025-02-30.
  if (!parts || formatIsoDate(Date.UTC(parts.year, parts.month - 1, parts.day)) !== isoDate) {
    throw new RangeError(`not an ISO calendar date: ${isoDate}`);
  }
  return parts;
}

function formatIsoDate(utcMs: number): string {
  return new Date(utcMs).toISOString().slice(0, 10);
}

function utcMidnight(isoDate: string): number {
  const { year, month, day } = parseIsoDate(isoDate);
  return Date.UTC(year, month - 1, day);
}

export function yearOf(isoDate: string): number {
  return parseIsoDate(isoDate).year;
}

export function addDays(isoDate: string, days: number): string {
  return formatIsoDate(utcMidnight(isoDate) + days * DAY_MS);
}

/** Same day-of-month `months` later, clamped to the target month's last day (Jan 31 + 1 → Feb 28/29). */
export function addMonths(isoDate: string, months: number): string {
  const { year, month, day } = parseIsoDate(isoDate);
  const firstOfTarget = new Date(Date.UTC(year, month - 1 + months, 1));
  const targetYear = firstOfTarget.getUTCFullYear();
  const targetMonth = firstOfTarget.getUTCMonth();
  const lastDayOfTarget = new Date(Date.UTC(targetYear, targetMonth + 1, 0)).getUTCDate();
  return formatIsoDate(Date.UTC(targetYear, targetMonth, Math.min(day, lastDayOfTarget)));
}

/** 0 = Sunday … 6 = Saturday. */
export function weekday(isoDate: string): number {
  return new Date(utcMidnight(isoDate)).getUTCDay();
}

export function isWeekend(isoDate: string): boolean {
  const day = weekday(isoDate);
  return day === 0 || day === 6;
}

// Building a DateTimeFormat is costly and deadline code calls this per day.
const formatters = new Map<string, Intl.DateTimeFormat>();

function wallClockFormatter(timeZone: string): Intl.DateTimeFormat {
  let formatter = formatters.get(timeZone);
  if (!formatter) {
    formatter = new Intl.DateTimeFormat('en-US', {
      timeZone,
      hourCycle: 'h23', // avoids '24' for midnight
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      second: '2-digit',
    });
    formatters.set(timeZone, formatter);
  }
  return formatter;
}

/** The local wall-clock reading at `instant`, expressed as if it were a UTC timestamp. */
function wallClockMs(instant: number, timeZone: string): number {
  const parts: Record<string, number> = {};
  for (const { type, value } of wallClockFormatter(timeZone).formatToParts(instant)) {
    if (type !== 'literal') parts[type] = Number(value);
  }
  return Date.UTC(parts.year, parts.month - 1, parts.day, parts.hour, parts.minute, parts.second);
}

function utcOffsetMs(instant: number, timeZone: string): number {
  const wholeSeconds = Math.floor(instant / 1000) * 1000;
  return wallClockMs(wholeSeconds, timeZone) - wholeSeconds;
}

export function localDate(instant: Date, timeZone: string): string {
  return formatIsoDate(wallClockMs(instant.getTime(), timeZone));
}

/**
 * The first instant of `isoDate` in `timeZone`: normally 00:00 local; on a day
 * whose midnight is skipped by a DST jump, the instant the clocks jump to.
 */
export function startOfLocalDay(isoDate: string, timeZone: string): Date {
  const wallMidnight = utcMidnight(isoDate);
  // The offsets in force a day before and a day after bracket any transition
  // near this midnight; each gives one candidate instant for it.
  const candidates = [wallMidnight - DAY_MS, wallMidnight + DAY_MS]
    .map((probe) => wallMidnight - utcOffsetMs(probe, timeZone))
    .filter((instant) => localDate(new Date(instant), timeZone) >= isoDate);
  return new Date(Math.min(...candidates));
}
