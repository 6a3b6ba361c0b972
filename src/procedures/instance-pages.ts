// A page of any workflow's instances for a caller: the list query's common filters
// (state, direction, overdue, words, the cursor) and the keyset page, newest first.
import type { Principal } from '../auth/principal';
import { visibleReferrals } from '../auth/scope';
import { decodeCursor, encodeCursor } from '../common/cursor';
import type { Queryable } from '../common/sql-params';
import { listReferrals, type ReferralFilter, type ReferralRow } from '../referrals/referrals.repository';

export interface InstanceListQuery {
  state?: string;
  direction?: 'incoming' | 'outgoing';
  overdue?: 'true' | 'false';
  q?: string;
  limit?: number;
  cursor?: string;
}

export async function pageOfInstances<V>(
  q: Queryable,
  principal: Principal,
  workflow: string,
  query: InstanceListQuery,
  now: Date,
  more: Partial<ReferralFilter>,
  render: (rows: ReferralRow[]) => Promise<V[]>,
): Promise<{ items: V[]; nextCursor: string | null }> {
  const limit = query.limit ?? 20;
  const rows = await listReferrals(
    q,
    visibleReferrals(principal),
    {
      ...more,
      workflow,
      state: query.state,
      targetAgencyId: query.direction === 'incoming' ? principal.agency.id : undefined,
      sourceAgencyId: query.direction === 'outgoing' ? principal.agency.id : undefined,
      overdueAt: query.overdue === 'true' ? now : undefined,
      text: query.q || undefined,
      before: decodeCursor(query.cursor) ?? undefined,
    },
    limit + 1,
  );
  const page = rows.slice(0, limit);
  const last = page[page.length - 1];
  return { items: await render(page), nextCursor: rows.length > limit ? encodeCursor(last.createdAt, last.id) : null };
}
