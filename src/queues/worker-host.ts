// Runs the BullMQ workers of a process with RUN_WORKERS=true: one worker per
// queue, dispatching by job name to the handlers. Start-up fails if a job name has no handler.
import { Inject, Injectable, Logger, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { Worker } from 'bullmq';
import { AppConfig } from '../config/app-config';
import type { RedisConnection } from '../redis/redis';
import { JOB_HANDLERS, type JobHandlers } from './job-handlers';
import { queueConnection } from './queue.service';
import { JOBS, KEEP_COMPLETED, KEEP_FAILED, QUEUES, type JobName } from './queues';

@Injectable()
export class WorkerHost implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger('Workers');
  private workers: Worker[] = [];
  private connections: RedisConnection[] = [];

  constructor(
    private readonly config: AppConfig,
    @Inject(JOB_HANDLERS) private readonly handlers: JobHandlers,
  ) {}

  onApplicationBootstrap(): void {
    const missing = (Object.keys(JOBS) as JobName[]).filter((name) => typeof this.handlers[name] !== 'function');
    if (missing.length > 0) throw new Error(`No handler for job(s): ${missing.join(', ')}`);
    if (!this.config.RUN_WORKERS) return;
    for (const queue of QUEUES) {
      const connection = queueConnection(this.config);
      connection.on('error', () => undefined);
      this.connections.push(connection);
      const worker = new Worker(
        queue,
        async (job) => {
          const handler = this.handlers[job.name as JobName] as (d: unknown, a: object) => Promise<void>;
          if (!handler) throw new Error(`No handler for job ${job.name}`);
          await handler(job.data, { attemptsMade: job.attemptsMade, attempts: job.opts.attempts ?? 1 });
          await this.faultPause(job.name);
        },
        {
          connection,
          prefix: this.config.QUEUE_PREFIX,
          concurrency: queue === 'webhooks' ? 8 : 4,
          lockDuration: this.config.WORKER_LOCK_MS,
          stalledInterval: this.config.WORKER_LOCK_MS,
          removeOnComplete: KEEP_COMPLETED,
          removeOnFail: KEEP_FAILED,
        },
      );
      worker.on('failed', (job, err) =>
        this.logger.warn(`${job?.name} ${job?.id} failed (attempt ${job?.attemptsMade}): ${err.message}`),
      );
      worker.on('error', (err) => this.logger.warn(`worker ${queue}: ${err.message}`));
      this.workers.push(worker);
    }
    this.logger.log(`workers running for queues: ${QUEUES.join(', ')}`);
  }

  /**
   * Fault tests only (NODE_ENV=test): hold a job after its effect and before it is
   * acknowledged, so a test can kill -9 the process exactly there.
   */
  private async faultPause(jobName: string): Promise<void> {
    const names = this.config.NODE_ENV === 'test' ? (process.env.FAULT_PAUSE_AFTER_JOB ?? '').split(',') : [];
    if (!names.includes(jobName)) return;
    process.stdout.write(`fault-pause ${jobName}\n`);
    await new Promise((r) => setTimeout(r, 60_000));
  }

  /** Graceful: stop taking jobs, let the running ones finish, close connections. */
  async onApplicationShutdown(): Promise<void> {
    await Promise.all(this.workers.map((w) => w.close()));
    for (const c of this.connections) c.disconnect();
  }
}
