// The recommendation and reverse-transfer resources (docs/api.md "Other workflows:
// the conventions"): the same calls on two paths, typed from the OpenAPI document.
import { api, call } from './client';
import type { Instance, Page, Recommendation, ReverseTransfer, TimelineEvent, Verification } from './types';

export type InstanceWorkflow = 'transfer-recommendation' | 'reverse-transfer';

export interface ListQuery {
  state?: string;
  direction?: 'incoming' | 'outgoing';
  q?: string;
  adminCaseId?: string;
  cursor?: string;
  limit?: number;
}

interface Calls {
  list(query: ListQuery): Promise<Page<Instance>>;
  read(id: string): Promise<Instance>;
  timeline(id: string): Promise<{ items: TimelineEvent[] }>;
  verify(id: string): Promise<Verification>;
  send(id: string, version: number, payload: Record<string, unknown>): Promise<Instance>;
}

const ifMatch = (version: number) => ({ 'If-Match': `"${version}"` }) as never;

export const INSTANCE_CALLS: Record<InstanceWorkflow, Calls> = {
  'transfer-recommendation': {
    list: (query) => call<Page<Recommendation>>(api.GET('/api/v1/recommendations', { params: { query } })),
    read: (id) => call<Recommendation>(api.GET('/api/v1/recommendations/{id}', { params: { path: { id } } })),
    timeline: (id) => call(api.GET('/api/v1/recommendations/{id}/timeline', { params: { path: { id } } })),
    verify: (id) => call(api.GET('/api/v1/recommendations/{id}/verify', { params: { path: { id } } })),
    send: (id, version, payload) =>
      call<Recommendation>(
        api.POST('/api/v1/recommendations/{id}/events', {
          params: { path: { id }, header: ifMatch(version) },
          body: payload as never,
        }),
      ),
  },
  'reverse-transfer': {
    list: (query) => call<Page<ReverseTransfer>>(api.GET('/api/v1/reverse-transfers', { params: { query } })),
    read: (id) => call<ReverseTransfer>(api.GET('/api/v1/reverse-transfers/{id}', { params: { path: { id } } })),
    timeline: (id) => call(api.GET('/api/v1/reverse-transfers/{id}/timeline', { params: { path: { id } } })),
    verify: (id) => call(api.GET('/api/v1/reverse-transfers/{id}/verify', { params: { path: { id } } })),
    send: (id, version, payload) =>
      call<ReverseTransfer>(
        api.POST('/api/v1/reverse-transfers/{id}/events', {
          params: { path: { id }, header: ifMatch(version) },
          body: payload as never,
        }),
      ),
  },
};
