// The holiday calendar lives in PostgreSQL (shipped years seeded at boot, later
// years loaded by an admin); replacing a year recomputes every pending deadline.
import { Injectable, Logger } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import { defaultCalendarYears, HolidayCalendar, type YearCalendar } from '../../workflows/calendars/holiday-calendar';
import { Clock } from '../common/clock';
import { validationFailed } from '../common/problem';
import { AdvisoryLock } from '../database/advisory-locks';
import { OutboxWriter } from '../outbox/outbox.writer';
import { AppConfig, planningRules } from '../config/app-config';
import { planPeriod, type PlanningRules } from '../../workflows/deadline-planning';
import { timingOf } from '../queues/deadline-jobs';
import { lockReferralsWithLiveDeadlines } from '../referrals/referrals.repository';
import { findYear, insertYearIfMissing, loadCalendar, upsertYear } from './calendars.repository';
import { anyCountedOnMissingCalendar, lockLiveDayBased, replanDeadline } from './deadlines.repository';

@Injectable()
export class CalendarsService {
  private readonly logger = new Logger('Calendars');

  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly outbox: OutboxWriter,
    private readonly clock: Clock,
    private readonly config: AppConfig,
  ) {}

  private rules(): PlanningRules {
    return planningRules(this.config);
  }

  /**
   * Shipped years are inserted once; a year an admin replaced is never overwritten.
   * A year newly shipped (or deadlines counted before the provisional calendar existed)
   * recomputes the pending deadlines, as loading a year through the API does.
   */
  async seedShippedYears(): Promise<number> {
    const inserted: number[] = [];
    for (const y of defaultCalendarYears()) {
      if (await insertYearIfMissing(this.db.manager, y)) inserted.push(y.year);
    }
    const stale = await anyCountedOnMissingCalendar(this.db);
    if (inserted.length === 0 && !stale) return 0;
    return this.db.transaction(async (tx) => {
      await tx.query('SELECT pg_advisory_xact_lock($1)', [AdvisoryLock.CalendarChange]);
      const recomputed = await this.recomputePending(tx);
      if (recomputed > 0)
        this.logger.log(`shipped calendars ${inserted.join(', ') || '(none new)'}: ${recomputed} pending deadlines moved`);
      return recomputed;
    });
  }

  calendar(tx: EntityManager = this.db.manager): Promise<HolidayCalendar> {
    return loadCalendar(tx);
  }

  async getYear(year: number): Promise<YearCalendar> {
    // A year not loaded answers with empty lists: weekends only, as DOMAIN.md says.
    return (await findYear(this.db.manager, year)) ?? { year, holidays: [], workdays: [] };
  }

  async replaceYear(input: YearCalendar): Promise<{ calendar: YearCalendar; recomputed: number }> {
    try {
      new HolidayCalendar([input]); // validates the dates and that they belong to the year
    } catch (e) {
      throw validationFailed([{ field: 'holidays', message: (e as Error).message }]);
    }
    return this.db.transaction(async (tx) => {
      // One calendar change at a time, so recomputations do not interleave.
      await tx.query('SELECT pg_advisory_xact_lock($1)', [AdvisoryLock.CalendarChange]);
      await upsertYear(tx, input);
      const recomputed = await this.recomputePending(tx);
      this.logger.log(`calendar ${input.year} replaced; ${recomputed} pending deadlines moved`);
      return { calendar: (await findYear(tx, input.year))!, recomputed };
    });
  }

  /** Recount every open day-based deadline from its start; rows whose due time changes get a new version (and job). */
  private async recomputePending(tx: EntityManager): Promise<number> {
    const calendar = await this.calendar(tx);
    // Lock the referrals first, in the engine's order (referral, then its deadlines), so a
    // transition running meanwhile waits instead of deadlocking with this recomputation.
    await lockReferralsWithLiveDeadlines(tx);
    const open = await lockLiveDayBased(tx);
    let changed = 0;
    for (const d of open) {
      const planned = planPeriod({ unit: d.periodUnit as never, length: d.periodLength! }, d.startsAt, calendar, this.rules());
      const dueAt = new Date(planned.dueAt.getTime() + Number(d.pausedMs));
      if (
        dueAt.getTime() === d.dueAt.getTime() &&
        planned.calendarIncomplete === d.calendarIncomplete &&
        planned.provisional === d.provisional
      ) {
        continue;
      }
      // a due time moved later deserves a fresh reminder before it
      const row = await replanDeadline(tx, d.id, {
        remindedAt: dueAt > d.dueAt ? null : d.remindedAt,
        dueAt,
        remindAt: new Date(planned.remindAt.getTime() + Number(d.pausedMs)),
        calendarIncomplete: planned.calendarIncomplete,
        provisional: planned.provisional,
        updatedAt: this.clock.now(),
      });
      await this.outbox.deadlineChanged(tx, timingOf(row));
      changed++;
    }
    return changed;
  }
}
