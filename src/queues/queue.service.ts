// BullMQ queues over Redis. PostgreSQL is the truth; a job is only a trigger.
import { Injectable, OnApplicationShutdown } from '@nestjs/common';
import { Job, Queue } from 'bullmq';
import { Clock } from '../common/clock';
import { AppConfig } from '../config/app-config';
import { createRedis, redisTarget, type RedisConnection } from '../redis/redis';
import { jobId, jobOptions, JOBS, QUEUES, type JobData, type JobName, type QueueName } from './queues';

/** A job for addBulk: run at `runAt` (by the service clock), or now. */
export interface JobToAdd<N extends JobName = JobName> {
  name: N;
  data: JobData[N];
  runAt?: Date;
}

export function queueConnection(config: AppConfig): RedisConnection {
  // BullMQ needs maxRetriesPerRequest: null for blocking commands; a cluster (REDIS_CLUSTER_NODES) gets a cluster client.
  return createRedis(redisTarget(config), { redis: { maxRetriesPerRequest: null } });
}

@Injectable()
export class QueueService implements OnApplicationShutdown {
  private readonly connection: RedisConnection;
  readonly queues: Record<QueueName, Queue>;

  constructor(
    private readonly config: AppConfig,
    private readonly clock: Clock,
  ) {
    this.connection = queueConnection(config);
    this.connection.on('error', () => undefined);
    this.queues = Object.fromEntries(
      QUEUES.map((name) => [
        name,
        new Queue(name, { connection: this.connection, prefix: config.QUEUE_PREFIX, streams: { events: { maxLen: 1000 } } }),
      ]),
    ) as Record<QueueName, Queue>;
  }

  /** Adds a job to run at `runAt` (by the service clock), or now. The id makes a repeat add nothing. */
  async add<N extends JobName>(name: N, data: JobData[N], runAt?: Date): Promise<void> {
    const delay = runAt ? runAt.getTime() - this.clock.now().getTime() : 0;
    await this.queue(name).add(name, data, jobOptions(name, data, delay, this.tuning()));
  }

  /**
   * Adds many jobs in one round trip per queue. BullMQ itself skips a job whose id
   * is already there, so a repeat (a retried relay batch) adds nothing.
   */
  async addBulk(jobs: JobToAdd[]): Promise<void> {
    const now = this.clock.now().getTime();
    const byQueue = new Map<QueueName, Parameters<Queue['addBulk']>[0]>();
    for (const { name, data, runAt } of jobs) {
      const delay = runAt ? runAt.getTime() - now : 0;
      const queue = JOBS[name];
      if (!byQueue.has(queue)) byQueue.set(queue, []);
      byQueue.get(queue)!.push({ name, data, opts: jobOptions(name, data, delay, this.tuning()) });
    }
    await Promise.all([...byQueue].map(([queue, list]) => this.queues[queue].addBulk(list)));
  }

  /**
   * Removes jobs still waiting for their time (delayed). A job already due is left to
   * run: it finds nothing to do, and a worker taking over a stalled one must find it.
   */
  async removeDelayed(jobs: JobToAdd[]): Promise<void> {
    await Promise.all(
      jobs.map(async ({ name, data }) => {
        const id = jobId(name, data);
        if ((await this.queue(name).getJobState(id)) === 'delayed') await this.queue(name).remove(id);
      }),
    );
  }

  /**
   * Makes sure the job is live: added if missing, run again if it failed (its
   * retries ran out, e.g. during a database outage, while the row still wants
   * it), and run now if its time has come by the service clock (which the test
   * clock may have moved). A completed job is left alone: its handler decided.
   */
  async ensure<N extends JobName>(name: N, data: JobData[N], runAt: Date): Promise<'added' | 'promoted' | 'retried' | 'present'> {
    const job = await this.queue(name).getJob(jobId(name, data));
    if (!job) {
      await this.add(name, data, runAt);
      return 'added';
    }
    const state = await job.getState();
    if (state === 'failed') {
      await job.retry('failed').catch(() => undefined); // another sweeper got there first: fine
      return 'retried';
    }
    if (state === 'delayed' && runAt.getTime() <= this.clock.now().getTime()) {
      await job.promote().catch(() => undefined); // raced with its own timer: fine either way
      return 'promoted';
    }
    return 'present';
  }

  async removeIfWaiting<N extends JobName>(name: N, data: JobData[N]): Promise<void> {
    const job: Job | undefined = await this.queue(name).getJob(jobId(name, data));
    if (job && ((await job.isDelayed()) || (await job.isWaiting()))) await job.remove().catch(() => undefined);
  }

  queue(name: JobName): Queue {
    return this.queues[JOBS[name]];
  }

  private tuning() {
    return { webhookMaxAttempts: this.config.WEBHOOK_MAX_ATTEMPTS, webhookBackoffMs: this.config.WEBHOOK_BACKOFF_MS };
  }

  async onApplicationShutdown(): Promise<void> {
    await Promise.all(Object.values(this.queues).map((q) => q.close()));
    this.connection.disconnect();
  }
}
