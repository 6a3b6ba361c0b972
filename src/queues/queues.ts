// Every queue and job name, and every job's options, in one place.
import type { JobsOptions } from 'bullmq';

export const QUEUES = ['deadlines', 'notifications', 'webhooks'] as const;
export type QueueName = (typeof QUEUES)[number];

/** Job name → the queue it runs on. Payloads carry ids only: the row is the truth. */
export const JOBS = {
  'deadline.remind': 'deadlines',
  'deadline.expire': 'deadlines',
  'deadline.escalate': 'deadlines',
  'notification.deliver': 'notifications',
  'webhook.fanout': 'webhooks',
  'webhook.deliver': 'webhooks',
} as const satisfies Record<string, QueueName>;
export type JobName = keyof typeof JOBS;

export interface JobData {
  // referralId lets the processor lock the referral before the deadline (jobs armed before it was added lack it).
  'deadline.remind': { deadlineId: string; version: number; referralId?: string };
  'deadline.expire': { deadlineId: string; version: number; referralId?: string };
  'deadline.escalate': { deadlineId: string; version: number; referralId?: string };
  'notification.deliver': { outboxId: string };
  'webhook.fanout': { referralId: string; seq: number };
  'webhook.deliver': { deliveryId: string };
}

export interface JobTuning {
  webhookMaxAttempts: number;
  webhookBackoffMs: number;
}

// BullMQ refuses ':' in custom ids.
const id = (...parts: (string | number)[]) => parts.join('.');

/** Deterministic ids: adding the same job twice (a retried relay, a sweep) adds it once. */
export function jobId<N extends JobName>(name: N, data: JobData[N]): string {
  const d = data as Record<string, string | number>;
  switch (name) {
    case 'deadline.remind':
    case 'deadline.expire':
    case 'deadline.escalate':
      return id(name, d.deadlineId, `v${d.version}`);
    case 'notification.deliver':
      return id(name, d.outboxId);
    case 'webhook.fanout':
      return id(name, d.referralId, d.seq);
    case 'webhook.deliver':
      return id(name, d.deliveryId);
  }
  throw new Error(`unknown job ${name}`);
}

// Completed jobs stay long enough for id de-duplication to matter, then go. Set on the
// workers, not on each job: stored in every pending job's hash, they cost ~100 bytes a deadline.
export const KEEP_COMPLETED = { age: 7 * 24 * 3600, count: 50_000 };
export const KEEP_FAILED = { age: 30 * 24 * 3600, count: 50_000 };

export function jobOptions<N extends JobName>(name: N, data: JobData[N], delayMs: number, tuning: JobTuning): JobsOptions {
  const base: JobsOptions = {
    jobId: jobId(name, data),
    delay: Math.max(0, Math.round(delayMs)),
  };
  if (name === 'webhook.deliver') {
    return { ...base, attempts: tuning.webhookMaxAttempts, backoff: { type: 'exponential', delay: tuning.webhookBackoffMs } };
  }
  // Internal jobs retry quickly: their failures are the database or Redis coming back.
  return { ...base, attempts: 10, backoff: { type: 'exponential', delay: 1000 } };
}
