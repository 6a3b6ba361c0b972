// The [from, to) window of the statistics and the export (pure, unit-tested).
//
// - Both bounds or neither: with neither, the window is the last 30 days up to
//   the service clock's "now"; with only one of them the request is refused.
// - A bound is an ISO date (`2026-03-01`) or an ISO date-time with an offset
//   (`2026-03-01T08:00:00+08:00`, `…Z`). A date means 00:00 of that day in
//   APP_TIMEZONE; `to` is exclusive, so `from=2026-03-01&to=2026-04-01` is March.
// - from must be before to.
import { startOfLocalDay } from '../../workflows/period-counting';
import { validationFailed } from '../common/problem';

export const DEFAULT_RANGE_DAYS = 30;
const DAY_MS = 86_400_000;

export const ISO_DATE = /^\d{4}-\d{2}-\d{2}$/;
/** A date or a date-time that names its offset: a bare local time would be ambiguous. */
export const ISO_DATE_OR_INSTANT = /^\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}(:\d{2}(\.\d{1,6})?)?(Z|[+-]\d{2}:\d{2}))?$/;

export interface DateRange {
  from: Date;
  to: Date;
}

function validCalendarDate(isoDate: string): boolean {
  const [y, m, d] = isoDate.split('-').map(Number);
  const date = new Date(Date.UTC(y, m - 1, d));
  return date.getUTCFullYear() === y && date.getUTCMonth() === m - 1 && date.getUTCDate() === d;
}

export function parseBound(value: string, field: string, timeZone: string): Date {
  const invalid = () => validationFailed([{ field, message: `${field} must be an ISO date or a date-time with an offset` }]);
  if (!ISO_DATE_OR_INSTANT.test(value) || !validCalendarDate(value.slice(0, 10))) throw invalid();
  if (ISO_DATE.test(value)) return startOfLocalDay(value, timeZone);
  const instant = new Date(value);
  if (Number.isNaN(instant.getTime())) throw invalid();
  return instant;
}

export function resolveRange(from: string | undefined, to: string | undefined, now: Date, timeZone: string): DateRange {
  if (from === undefined && to === undefined) return { from: new Date(now.getTime() - DEFAULT_RANGE_DAYS * DAY_MS), to: now };
  if (from === undefined || to === undefined) {
    const missing = from === undefined ? 'from' : 'to';
    throw validationFailed([{ field: missing, message: 'give both from and to, or neither (the last 30 days)' }]);
  }
  const range = { from: parseBound(from, 'from', timeZone), to: parseBound(to, 'to', timeZone) };
  if (range.from.getTime() >= range.to.getTime()) throw validationFailed([{ field: 'to', message: 'to must be after from' }]);
  return range;
}
