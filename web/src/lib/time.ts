// Times as the service counts them: in APP_TIMEZONE, in the chosen language's conventions.
import dayjs, { type Dayjs } from 'dayjs';
import timezone from 'dayjs/plugin/timezone';
import utc from 'dayjs/plugin/utc';
import 'dayjs/locale/zh-cn';
import 'dayjs/locale/en';

dayjs.extend(utc);
dayjs.extend(timezone);

/** Replaced by Vite at build time (web/vite.config.ts `define`). */
declare const __APP_TIMEZONE__: string | undefined;
// (defined by Vite at build time; the default where the module runs outside the build, as in Jest)
export const APP_TIMEZONE = typeof __APP_TIMEZONE__ === 'string' ? __APP_TIMEZONE__ : 'Asia/Shanghai';

export type Lang = 'zh' | 'en';

/** 2026年12月1日 09:30 / 1 Dec 2026 09:30 */
export function formatDateTime(iso: string | null | undefined, lang: Lang): string {
  if (!iso) return '—';
  const d = dayjs(iso).tz(APP_TIMEZONE);
  return lang === 'zh' ? d.format('YYYY年M月D日 HH:mm') : d.locale('en').format('D MMM YYYY HH:mm');
}

/** A due time: day periods end at 24:00, shown so (2026年12月4日 24:00) rather than as 00:00 of the next day. */
export function formatDue(iso: string | null | undefined, lang: Lang): string {
  if (!iso) return '—';
  const d = dayjs(iso).tz(APP_TIMEZONE);
  if (d.hour() !== 0 || d.minute() !== 0 || d.second() !== 0) return formatDateTime(iso, lang);
  const day = d.subtract(1, 'day');
  return `${lang === 'zh' ? day.format('YYYY年M月D日') : day.locale('en').format('D MMM YYYY')} 24:00`;
}

export function formatDate(iso: string | null | undefined, lang: Lang): string {
  if (!iso) return '—';
  const d = dayjs(iso).tz(APP_TIMEZONE);
  return lang === 'zh' ? d.format('YYYY年M月D日') : d.locale('en').format('D MMM YYYY');
}

/** A date and time picked in the browser, read as that wall-clock time in APP_TIMEZONE. */
export function pickedToIso(value: Dayjs): string {
  return dayjs.tz(value.format('YYYY-MM-DDTHH:mm:ss'), APP_TIMEZONE).toISOString();
}

/** The end of a picked day (24:00 in APP_TIMEZONE, i.e. 00:00 of the next), as day periods end. */
export function endOfPickedDay(value: Dayjs): string {
  return dayjs.tz(value.format('YYYY-MM-DD'), APP_TIMEZONE).add(1, 'day').toISOString();
}

export interface Remaining {
  overdue: boolean;
  days: number;
  hours: number;
  minutes: number;
  seconds: number;
}

export function remaining(dueIso: string, now: number): Remaining {
  const ms = new Date(dueIso).getTime() - now;
  const abs = Math.abs(ms);
  return {
    overdue: ms < 0,
    days: Math.floor(abs / 86_400_000),
    hours: Math.floor((abs % 86_400_000) / 3_600_000),
    minutes: Math.floor((abs % 3_600_000) / 60_000),
    seconds: Math.floor((abs % 60_000) / 1000),
  };
}

/** A length of time in whole days, hours and minutes (e.g. a deadline's overdueBy seconds). */
export function durationParts(seconds: number): { days: number; hours: number; minutes: number } {
  const s = Math.max(0, Math.floor(seconds));
  return { days: Math.floor(s / 86_400), hours: Math.floor((s % 86_400) / 3_600), minutes: Math.floor((s % 3_600) / 60) };
}

/** The last `count` calendar months up to the one containing `anchorIso`, as [from, to) local dates in APP_TIMEZONE. */
export function monthWindows(anchorIso: string, count: number): { month: string; from: string; to: string }[] {
  const start = dayjs(anchorIso).tz(APP_TIMEZONE).startOf('month');
  return Array.from({ length: count }, (_, i) => {
    const m = start.subtract(count - 1 - i, 'month');
    return { month: m.format('YYYY-MM'), from: m.format('YYYY-MM-DD'), to: m.add(1, 'month').format('YYYY-MM-DD') };
  });
}

/** 2026-12 → 2026年12月 / Dec 2026 */
export function formatMonth(month: string, lang: Lang): string {
  const d = dayjs(`${month}-01`);
  return lang === 'zh' ? d.format('YYYY年M月') : d.locale('en').format('MMM YYYY');
}

/** A calendar date (YYYY-MM-DD, no zone): 2027年1月1日 星期五 / Fri 1 Jan 2027 */
export function formatCalendarDate(date: string, lang: Lang): string {
  const d = dayjs(date);
  return lang === 'zh' ? d.locale('zh-cn').format('YYYY年M月D日 dddd') : d.locale('en').format('ddd D MMM YYYY');
}

/** The current year in APP_TIMEZONE. */
export function currentYear(): number {
  return dayjs().tz(APP_TIMEZONE).year();
}
