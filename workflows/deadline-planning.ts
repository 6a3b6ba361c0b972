// Turns a period and a start into due and reminder times, with the
// procedure's counting rules and the holiday calendar in force. Pure arithmetic:
// the engine loads the calendar and passes it in.
import { computeDueAt, type Period } from './period-counting';
import type { HolidayCalendar } from './calendars/holiday-calendar';

const HOUR = 3_600_000;

export interface PlannedDeadline {
  period: Period | null;
  dueAt: Date;
  remindAt: Date;
  calendarIncomplete: boolean;
  provisional: boolean;
}

/** The deployment's counting settings (APP_TIMEZONE, DEADLINE_REMINDER_LEAD_HOURS). */
export interface PlanningRules {
  timeZone: string;
  reminderLeadMs: number;
}

/** The lead before due, or half the period when the period is 24 hours or less. */
export function reminderTime(startsAt: Date, dueAt: Date, leadMs: number): Date {
  const length = dueAt.getTime() - startsAt.getTime();
  const lead = length <= 24 * HOUR ? length / 2 : leadMs;
  return new Date(Math.max(startsAt.getTime(), dueAt.getTime() - lead));
}

export function planPeriod(period: Period, startsAt: Date, calendar: HolidayCalendar, rules: PlanningRules): PlannedDeadline {
  const { dueAt, calendarIncomplete, provisional } = computeDueAt(startsAt, period, { timeZone: rules.timeZone, calendar });
  return { period, dueAt, remindAt: reminderTime(startsAt, dueAt, rules.reminderLeadMs), calendarIncomplete, provisional };
}

/** Rectification plans bring their own due time. */
export function planFixed(startsAt: Date, dueAt: Date, rules: PlanningRules): PlannedDeadline {
  return {
    period: null,
    dueAt,
    remindAt: reminderTime(startsAt, dueAt, rules.reminderLeadMs),
    calendarIncomplete: false,
    provisional: false,
  };
}
