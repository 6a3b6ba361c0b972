// Which jobs a deadline needs, from its timing alone: used by the outbox relay
// (the timing travels in the outbox row) and by the sweeper (from the row).
import type { JobData } from './queues';

/** What arming needs to know of a deadline row at one version. */
export interface DeadlineTiming {
  deadlineId: string;
  referralId: string;
  version: number;
  status: string;
  dueAt: string;
  remindAt: string | null;
  remindedAt: string | null;
  breachedAt: string | null;
  resolvedAt: string | null;
  escalationLevel: number;
}

export type DeadlineJobName = 'deadline.remind' | 'deadline.expire' | 'deadline.escalate';
export const DEADLINE_JOB_NAMES: DeadlineJobName[] = ['deadline.remind', 'deadline.expire', 'deadline.escalate'];

export interface PlannedJob {
  name: DeadlineJobName;
  data: JobData[DeadlineJobName];
  runAt: Date;
}

const iso = (v: Date | string | null): string | null => (v === null ? null : new Date(v).toISOString());

/** A deadlines row (snake_case, as SELECT * or RETURNING * gives it) as timing. */
export function timingOf(row: {
  id: string;
  referral_id: string;
  version: number;
  status: string;
  due_at: Date | string;
  remind_at: Date | string | null;
  reminded_at: Date | string | null;
  breached_at: Date | string | null;
  resolved_at: Date | string | null;
  escalation_level: number;
}): DeadlineTiming {
  return {
    deadlineId: row.id,
    referralId: row.referral_id,
    version: row.version,
    status: row.status,
    dueAt: iso(row.due_at)!,
    remindAt: iso(row.remind_at),
    remindedAt: iso(row.reminded_at),
    breachedAt: iso(row.breached_at),
    resolvedAt: iso(row.resolved_at),
    escalationLevel: row.escalation_level,
  };
}

/** The jobs this version of the deadline wants; a later version gets jobs of its own. */
export function deadlineJobs(d: DeadlineTiming, escalationGraceMs: number): PlannedJob[] {
  const data = { deadlineId: d.deadlineId, version: d.version, referralId: d.referralId };
  if (d.status === 'pending') {
    const jobs: PlannedJob[] = [];
    if (d.remindAt && !d.remindedAt) jobs.push({ name: 'deadline.remind', data, runAt: new Date(d.remindAt) });
    jobs.push({ name: 'deadline.expire', data, runAt: new Date(d.dueAt) });
    return jobs;
  }
  if (d.status === 'breached' && !d.resolvedAt && d.escalationLevel < 2 && d.breachedAt) {
    // Level 2 comes after the grace period if the breach is still unresolved by then.
    return [{ name: 'deadline.escalate', data, runAt: new Date(new Date(d.breachedAt).getTime() + escalationGraceMs) }];
  }
  return [];
}
