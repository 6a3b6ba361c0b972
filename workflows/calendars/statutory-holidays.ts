// The statutory holidays of the National Holidays Measures (全国年节及纪念日放假办法):
// the provisional calendar of a year whose official notice is not loaded yet
// (DOMAIN.md "Counting periods"). Lunar dates and the Qingming solar term come
// from lunar-typescript, an astronomical Chinese calendar that matches the
// official one; ICU's `chinese` calendar puts the 2027 Spring Festival a day late.
import { Lunar } from 'lunar-typescript';
import { addDays } from './local-date';

/** One version of the Measures: which festival days are rest days for everyone. */
interface MeasuresVersion {
  /** First Gregorian year this version governs. */
  from: number;
  /** The Spring Festival's eve (除夕) is a holiday. */
  springFestivalEve: boolean;
  /** Days of the first lunar month from its first day. */
  springFestivalDays: number;
  /** Days from 1 May. */
  labourDays: number;
}

// Newest first. 2024-11-10 revision (in force 2025-01-01): eve back, 2 days in May;
// 2013 revision (in force 2014-01-01): days 1–3, no eve; 2007 revision (2008): eve, days 1–2.
const VERSIONS: MeasuresVersion[] = [
  { from: 2025, springFestivalEve: true, springFestivalDays: 3, labourDays: 2 },
  { from: 2014, springFestivalEve: false, springFestivalDays: 3, labourDays: 1 },
  { from: 2008, springFestivalEve: true, springFestivalDays: 2, labourDays: 1 },
];

const cache = new Map<number, readonly string[]>();

/** Whether the Measures (in a version we know) say which days of this year rest. */
export function hasStatutoryHolidays(year: number): boolean {
  return VERSIONS.some((v) => year >= v.from);
}

/** The year's statutory holidays, sorted ISO dates; empty for a year before the versions we know. */
export function statutoryHolidays(year: number): readonly string[] {
  let days = cache.get(year);
  if (!days) {
    days = compute(year);
    cache.set(year, days);
  }
  return days;
}

function compute(year: number): readonly string[] {
  const version = VERSIONS.find((v) => year >= v.from);
  if (!version) return [];
  const lunar = (month: number, day: number) => Lunar.fromYmd(year, month, day).getSolar().toYmd();
  const newYear = lunar(1, 1);
  const days = [`${year}-01-01`];
  if (version.springFestivalEve) days.push(addDays(newYear, -1)); // the 12th month has 29 or 30 days
  for (let i = 0; i < version.springFestivalDays; i++) days.push(addDays(newYear, i));
  days.push(Lunar.fromYmd(year, 3, 1).getJieQiTable()['清明'].toYmd());
  for (let i = 1; i <= version.labourDays; i++) days.push(`${year}-05-0${i}`);
  days.push(lunar(5, 5), lunar(8, 15)); // Dragon Boat; Mid-Autumn (regular, not leap, months)
  days.push(`${year}-10-01`, `${year}-10-02`, `${year}-10-03`);
  return Object.freeze([...new Set(days)].sort());
}
