// After commit, outbox rows become BullMQ jobs. Rows are claimed with
// FOR UPDATE SKIP LOCKED so the relays of every process share the work; a batch
// becomes jobs in one round trip per queue (addBulk) and is marked in one UPDATE.
// Job ids are deterministic, so a relay that dies after adding and before marking
// adds nothing the second time. LISTEN/NOTIFY wakes it at once; polling is the
// safety net; a row that fails alone backs off and keeps its error visible.
import { Inject, Injectable, Logger, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { Client } from 'pg';
import { DataSource, type EntityManager } from 'typeorm';
import { AppConfig, escalationGraceMs } from '../config/app-config';
import { DATABASE_URL } from '../database/database-url';
import { deadlineJobs, DEADLINE_JOB_NAMES, timingOf, type DeadlineTiming } from '../queues/deadline-jobs';
import { QueueService, type JobToAdd } from '../queues/queue.service';
import { claimDue, markDispatched, markFailed, OUTBOX_TOPICS, type OutboxRow } from './outbox.repository';
import { within } from '../common/within';
import { deadlineRecord } from '../deadlines/deadlines.repository';

const BATCH = 100;
const POLL_MS = 1000;
// A stalled Redis must not keep the claim transaction (and its row locks) open: the row
// backs off instead, and a job the stalled call adds later is deduplicated by its id.
const DISPATCH_TIMEOUT_MS = 5000;

@Injectable()
export class OutboxRelay implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger('OutboxRelay');
  private listener?: Client;
  private timer?: NodeJS.Timeout;
  private running: Promise<void> | null = null;
  private again = false;
  private stopped = false;

  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly config: AppConfig,
    private readonly queues: QueueService,
    @Inject(DATABASE_URL) private readonly databaseUrl: string,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    if (!this.config.RUN_WORKERS) return;
    await this.listen();
    this.timer = setInterval(() => this.nudge(), POLL_MS);
    this.nudge();
  }

  /** Run a drain now, or once more right after the one in progress. */
  nudge(): void {
    if (this.stopped) return;
    if (this.running) {
      this.again = true;
      return;
    }
    this.running = this.drain()
      .then(() => undefined)
      .catch((e) => this.logger.warn(`relay pass failed: ${(e as Error).message}`))
      .finally(() => {
        this.running = null;
        if (this.again) {
          this.again = false;
          this.nudge();
        }
      });
  }

  /** Relays until no claimable row is left. Returns how many rows were dispatched. */
  async drain(): Promise<number> {
    let total = 0;
    for (;;) {
      const n = await this.relayBatch();
      total += n;
      if (n < BATCH) return total;
    }
  }

  private async relayBatch(): Promise<number> {
    return this.db.transaction(async (tx) => {
      const rows = await claimDue(tx, BATCH);
      if (rows.length === 0) return 0;
      const planned = await Promise.all(rows.map((row) => this.jobsOf(tx, row).catch((e: Error) => e)));
      const ready = rows.filter((_, i) => !(planned[i] instanceof Error));
      const jobs = planned.flatMap((p) => (p instanceof Error ? [] : p));
      try {
        await within(DISPATCH_TIMEOUT_MS, this.queues.addBulk(jobs), 'the dispatch');
        await markDispatched(
          tx,
          ready.map((r) => r.id),
        );
      } catch (e) {
        // A row that cannot become jobs failed above on its own; what fails here is Redis: the batch backs off.
        for (const row of ready) await markFailed(tx, row, (e as Error).message);
      }
      for (const [i, p] of planned.entries()) if (p instanceof Error) await markFailed(tx, rows[i], p.message);
      this.dropStaleDeadlineJobs(rows);
      return rows.length;
    });
  }

  /** The jobs an outbox row stands for. */
  private async jobsOf(tx: EntityManager, row: OutboxRow): Promise<JobToAdd[]> {
    switch (row.topic) {
      case OUTBOX_TOPICS.deadline: {
        const timing = await this.timingOf(tx, row.payload);
        return timing ? deadlineJobs(timing, escalationGraceMs(this.config)) : [];
      }
      case OUTBOX_TOPICS.notification:
        return [{ name: 'notification.deliver', data: { outboxId: String(row.id) } }];
      case OUTBOX_TOPICS.timeline:
        return [{ name: 'webhook.fanout', data: { referralId: row.payload.referralId, seq: row.payload.seq } }];
      default:
        throw new Error(`unknown outbox topic ${row.topic}`);
    }
  }

  /** Rows written since the timing travels with them need no read; older rows read the deadline as it is now. */
  private async timingOf(tx: EntityManager, payload: Record<string, any>): Promise<DeadlineTiming | null> {
    if (payload.status) return payload as DeadlineTiming;
    const row = await deadlineRecord(tx, payload.deadlineId);
    return row ? timingOf(row) : null;
  }

  /** Jobs of a deadline's version before are stale (they would do nothing); clearing them keeps Redis small. */
  private dropStaleDeadlineJobs(rows: OutboxRow[]): void {
    const stale = rows
      .filter((r) => r.topic === OUTBOX_TOPICS.deadline && r.payload.version > 1)
      .flatMap((r) =>
        DEADLINE_JOB_NAMES.map((name) => ({ name, data: { deadlineId: r.payload.deadlineId, version: r.payload.version - 1 } })),
      );
    if (stale.length > 0) void this.queues.removeDelayed(stale).catch(() => undefined);
  }

  private async listen(): Promise<void> {
    const client = new Client({ connectionString: this.databaseUrl });
    client.on('error', (e) => {
      this.logger.warn(`LISTEN connection lost (${e.message}); polling until it is back`);
      this.listener = undefined;
      setTimeout(() => !this.stopped && this.listen().catch(() => undefined), 1000);
    });
    client.on('notification', () => this.nudge());
    await client.connect();
    await client.query('LISTEN caselink_outbox');
    this.listener = client;
  }

  async onApplicationShutdown(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearInterval(this.timer);
    await this.running;
    await this.listener?.end().catch(() => undefined);
  }
}
