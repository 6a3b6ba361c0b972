// What a list shows of an instance's deadlines (a referral, a recommendation, a reverse transfer).
import type { Deadline } from '../api/types';

interface WithDeadlines {
  deadlines: Deadline[];
  allowedEvents: string[];
}

/** What the caller may do now besides commenting: the instance waits on them. */
export const waitingEvents = (r: WithDeadlines) => r.allowedEvents.filter((e) => e !== 'COMMENT');

export function nextDeadline(r: WithDeadlines) {
  return r.deadlines
    .filter((d) => d.status === 'pending' || d.status === 'breached' || d.status === 'paused')
    .sort((a, b) => a.dueAt.localeCompare(b.dueAt))[0];
}

export function isOverdue(r: WithDeadlines, now: number): boolean {
  return r.deadlines.some((d) => d.status === 'breached' || (d.status === 'pending' && new Date(d.dueAt).getTime() < now));
}
