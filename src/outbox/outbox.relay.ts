// After commit, outbox rows become BullMQ jobs. Rows are claimed with
// FOR UPDATE SKIP LOCKED so several relays share the work; job ids are
// deterministic, so a relay that dies after adding a job and before marking the
// row adds nothing the second time. LISTEN/NOTIFY wakes it at once; polling is
// the safety net; a failing row backs off and keeps its error visible.
import { Inject, Injectable, Logger, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { Client } from 'pg';
import { DataSource } from 'typeorm';
import { AppConfig } from '../config/app-config';
import { DATABASE_URL } from '../database/database-url';
import { DeadlineScheduler } from '../deadlines/deadline.scheduler';
import { QueueService } from '../queues/queue.service';
import { OUTBOX_TOPICS } from './outbox.writer';
import { within } from '../common/within';

const BATCH = 100;
const POLL_MS = 1000;
// A stalled Redis must not keep the claim transaction (and its row locks) open: the row
// backs off instead, and a job the stalled call adds later is deduplicated by its id.
const DISPATCH_TIMEOUT_MS = 5000;

interface OutboxRow {
  id: string;
  topic: string;
  payload: Record<string, any>;
  attempts: number;
}

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
    private readonly deadlines: DeadlineScheduler,
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
      const rows: OutboxRow[] = await tx.query(
        `SELECT id, topic, payload, attempts FROM outbox
          WHERE dispatched_at IS NULL AND available_at <= now()
          ORDER BY id LIMIT ${BATCH} FOR UPDATE SKIP LOCKED`,
      );
      for (const row of rows) {
        try {
          await within(DISPATCH_TIMEOUT_MS, this.dispatch(row), 'the dispatch');
          // clock_timestamp(), not now(): the moment the job was handed to Redis, for latency measurements
          await tx.query(
            `UPDATE outbox SET dispatched_at = clock_timestamp(), attempts = attempts + 1, last_error = NULL WHERE id = $1`,
            [row.id],
          );
        } catch (e) {
          // Back off exponentially (1 s … 5 min) and keep the error visible on the row.
          const backoffMs = Math.min(300_000, 1000 * 2 ** Math.min(row.attempts, 10));
          await tx.query(
            `UPDATE outbox SET attempts = attempts + 1, last_error = $2, available_at = now() + ($3 * interval '1 millisecond') WHERE id = $1`,
            [row.id, (e as Error).message.slice(0, 1000), backoffMs],
          );
        }
      }
      return rows.length;
    });
  }

  private async dispatch(row: OutboxRow): Promise<void> {
    switch (row.topic) {
      case OUTBOX_TOPICS.deadline:
        return this.deadlines.arm(row.payload.deadlineId);
      case OUTBOX_TOPICS.notification:
        return this.queues.add('notification.deliver', { outboxId: String(row.id) });
      case OUTBOX_TOPICS.timeline:
        return this.queues.add('webhook.fanout', { referralId: row.payload.referralId, seq: row.payload.seq });
      default:
        throw new Error(`unknown outbox topic ${row.topic}`);
    }
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
