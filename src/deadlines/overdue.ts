/**
 * SQL: true for a deadline row `d` that is overdue at `now` (a $n placeholder):
 * breached and not yet resolved, or still pending past its due time (before its
 * expiry job has marked it breached).
 */
export const overdueDeadline = (now: string, d = 'd') =>
  `((${d}.status = 'breached' AND ${d}.resolved_at IS NULL) OR (${d}.status = 'pending' AND ${d}.due_at < ${now}))`;
