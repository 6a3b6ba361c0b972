// Turns a deadline kind and a start into due and reminder times, with the
// procedure's counting rules and the holiday calendar in force.
import { Injectable } from '@nestjs/common';
import { AppConfig } from '../config/app-config';
import { DEADLINE_RULES, reviewPeriod, type DeadlineKind, type ReviewTier } from '../../workflows/referral/referral.deadlines';
import { computeDueAt, type Period } from '../../workflows/period-counting';
import type { HolidayCalendar } from '../../workflows/calendars/holiday-calendar';

const HOUR = 3_600_000;

export interface PlannedDeadline {
  period: Period | null;
  dueAt: Date;
  remindAt: Date;
  calendarIncomplete: boolean;
  provisional: boolean;
}

/** The lead before due, or half the period when the period is 24 hours or less. */
export function reminderTime(startsAt: Date, dueAt: Date, leadMs: number): Date {
  const length = dueAt.getTime() - startsAt.getTime();
  const lead = length <= 24 * HOUR ? length / 2 : leadMs;
  return new Date(Math.max(startsAt.getTime(), dueAt.getTime() - lead));
}

@Injectable()
export class DeadlinePlanner {
  constructor(private readonly config: AppConfig) {}

  private leadMs(): number {
    return this.config.DEADLINE_REMINDER_LEAD_HOURS * HOUR;
  }

  periodOf(kind: DeadlineKind, reviewTier: ReviewTier): Period | null {
    return kind === 'review' ? reviewPeriod(reviewTier) : DEADLINE_RULES[kind].period;
  }

  plan(period: Period, startsAt: Date, calendar: HolidayCalendar): PlannedDeadline {
    const { dueAt, calendarIncomplete, provisional } = computeDueAt(startsAt, period, {
      timeZone: this.config.APP_TIMEZONE,
      calendar,
    });
    return { period, dueAt, remindAt: reminderTime(startsAt, dueAt, this.leadMs()), calendarIncomplete, provisional };
  }

  /** Rectification plans bring their own due time. */
  planFixed(startsAt: Date, dueAt: Date): PlannedDeadline {
    return {
      period: null,
      dueAt,
      remindAt: reminderTime(startsAt, dueAt, this.leadMs()),
      calendarIncomplete: false,
      provisional: false,
    };
  }
}
