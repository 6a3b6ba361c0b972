// Arms BullMQ jobs for deadline rows and sweeps for any the queue lost.
// A deadline's jobs are keyed by (id, version): a changed deadline gets new jobs,
// and a stale job finds a newer version and does nothing.
import { Injectable, Logger, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { Clock } from '../common/clock';
import { AppConfig } from '../config/app-config';
import type { ServiceNotice } from '../notifications/notification-texts';
import { OUTBOX_TOPICS, OutboxWriter } from '../outbox/outbox.writer';
import { QueueService } from '../queues/queue.service';

interface DeadlineJobRow {
  id: string;
  version: number;
  status: string;
  due_at: Date;
  remind_at: Date | null;
  reminded_at: Date | null;
  breached_at: Date | null;
  resolved_at: Date | null;
  escalation_level: number;
}

@Injectable()
export class DeadlineScheduler implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger('Deadlines');
  private timer?: NodeJS.Timeout;
  private sweeping: Promise<number> | null = null;

  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly queues: QueueService,
    private readonly clock: Clock,
    private readonly config: AppConfig,
    private readonly outbox: OutboxWriter,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    if (!this.config.RUN_WORKERS) return;
    await this.sweep();
    this.timer = setInterval(
      () => void this.sweep().catch((e) => this.logger.warn(`sweep failed: ${e.message}`)),
      this.config.SWEEP_INTERVAL_MS,
    );
  }

  async onApplicationShutdown(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    await this.sweeping?.catch(() => undefined);
  }

  /** (Re-)arms the jobs of one deadline as its row says now. */
  async arm(deadlineId: string): Promise<void> {
    const [d]: DeadlineJobRow[] = await this.db.query(`SELECT * FROM deadlines WHERE id = $1`, [deadlineId]);
    if (d) await this.armRow(d);
  }

  /**
   * Every deadline whose time comes before the next sweep but one gets its jobs
   * (a Redis flush or restart loses nothing: a later deadline is re-armed as it
   * approaches), and every one whose time has come runs now (a service down for
   * days catches up). Looking only that far ahead keeps a sweep cheap with many
   * open deadlines.
   */
  sweep(): Promise<number> {
    this.sweeping ??= this.sweepOnce().finally(() => (this.sweeping = null));
    return this.sweeping;
  }

  private async sweepOnce(): Promise<number> {
    const horizon = new Date(this.clock.now().getTime() + Math.max(2 * this.config.SWEEP_INTERVAL_MS, 5 * 60_000));
    const rows: DeadlineJobRow[] = await this.db.query(
      `SELECT * FROM deadlines
        WHERE (status = 'pending' AND (due_at <= $1 OR (reminded_at IS NULL AND remind_at <= $1)))
           OR (status = 'breached' AND resolved_at IS NULL AND escalation_level < 2
               AND breached_at + ($2 * interval '1 hour') <= $1)`,
      [horizon, this.config.ESCALATION_GRACE_HOURS],
    );
    for (const d of rows) await this.ensureJobs(d);
    await this.remindToLoadCalendars().catch((e) => this.logger.warn(`calendar reminder failed: ${e.message}`));
    return rows.length;
  }

  /**
   * DOMAIN.md: open deadlines counted into a year whose calendar is not loaded remind
   * the admins to load it, once per year. Written here, never in an event's transaction:
   * one row shared by unrelated referrals there made concurrent events queue on it.
   * The notice goes to the administration agency only and names no referral.
   */
  async remindToLoadCalendars(): Promise<number> {
    const years: { year: number; pending: number }[] = await this.db.query(
      `SELECT y.year, count(DISTINCT d.id)::int AS pending
         FROM deadlines d
        CROSS JOIN LATERAL generate_series(
               extract(year FROM (d.starts_at AT TIME ZONE $1)::date + 1)::int, -- the start day is not counted
               extract(year FROM (d.due_at - interval '1 millisecond') AT TIME ZONE $1)::int) AS y(year)
        WHERE d.calendar_incomplete AND d.status IN ('pending', 'paused')
          AND NOT EXISTS (SELECT 1 FROM calendars c WHERE c.year = y.year)
          AND NOT EXISTS (SELECT 1 FROM outbox o WHERE o.dedupe_key = 'calendar-missing:' || y.year)
        GROUP BY y.year ORDER BY y.year`,
      [this.config.APP_TIMEZONE],
    );
    if (years.length === 0) return 0;
    const [admin]: { id: string }[] = await this.db.query(`SELECT id FROM agencies WHERE code = 'caselink-admin'`);
    if (!admin) return 0; // no administration agency yet: a later sweep reminds
    await this.db.transaction(async (tx) => {
      for (const { year, pending } of years) {
        await this.outbox.write(tx, OUTBOX_TOPICS.notification, `calendar-missing:${year}`, {
          template: 'calendar-missing' satisfies ServiceNotice,
          recipientAgencyIds: [admin.id],
          notice: { year, pendingDeadlines: pending },
        });
        this.logger.log(`calendar ${year} not loaded: ${pending} open deadlines counted provisionally; admins reminded`);
      }
    });
    return years.length;
  }

  private async armRow(d: DeadlineJobRow): Promise<void> {
    await this.ensureJobs(d);
    // Jobs of the version before are now stale; clearing them keeps Redis small (they would do nothing anyway).
    if (d.version > 1) {
      const old = { deadlineId: d.id, version: d.version - 1 };
      await Promise.all([
        this.queues.removeIfWaiting('deadline.remind', old),
        this.queues.removeIfWaiting('deadline.expire', old),
        this.queues.removeIfWaiting('deadline.escalate', old),
      ]);
    }
  }

  private async ensureJobs(d: DeadlineJobRow): Promise<void> {
    const ref = { deadlineId: d.id, version: d.version };
    if (d.status === 'pending') {
      if (d.remind_at && !d.reminded_at) await this.queues.ensure('deadline.remind', ref, d.remind_at);
      await this.queues.ensure('deadline.expire', ref, d.due_at);
    } else if (d.status === 'breached' && !d.resolved_at && d.escalation_level < 2 && d.breached_at) {
      // Level 2 comes after the grace period if the breach is still unresolved by then.
      const grace = this.config.ESCALATION_GRACE_HOURS * 3_600_000;
      await this.queues.ensure('deadline.escalate', ref, new Date(d.breached_at.getTime() + grace));
    }
  }
}
