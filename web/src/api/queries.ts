// Shared server state (TanStack Query): the directory and the signed-in user's notifications.
import { useQuery } from '@tanstack/react-query';
import { api, call } from './client';
import type { Agency, AgencyKind } from './types';

export function useAgencies(kind?: AgencyKind) {
  return useQuery({
    queryKey: ['agencies', kind ?? 'all'],
    queryFn: () => call<{ items: Agency[] }>(api.GET('/api/v1/agencies', { params: { query: kind ? { kind } : {} } as never })),
    staleTime: 5 * 60_000,
    select: (d) => d.items,
  });
}

/** id → name of every agency (for tasks, deadlines and the timeline's actors). */
export function useAgencyNames(): (id: string | null | undefined) => string {
  const { data } = useAgencies();
  return (id) => (id ? (data?.find((a) => a.id === id)?.name ?? id.slice(0, 8)) : '—');
}
