// The list of a workflow's instances in the caller's scope (recommendations,
// reverse transfers), newest first: filters by state, direction and text in
// the address, the next due time with its countdown, what waits on the caller.
import { useInfiniteQuery } from '@tanstack/react-query';
import { Alert, Button, Card, Flex, Space, Table, Typography } from 'antd';
import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { INSTANCE_CALLS, type InstanceWorkflow, type ListQuery } from '../api/instances';
import type { Instance } from '../api/types';
import { waitingEvents } from '../lib/deadlines';
import { describeError } from '../lib/problems';
import { useUrlFilters } from '../lib/useUrlFilters';
import { instancePath, wordKey } from '../lib/workflows';
import { NextDue, useNow } from './Countdown';
import { ChoiceFilter, DirectionFilter, TextFilter } from './ListFilters';
import { Pill } from './Pill';
import { StateTag } from './StateTag';

interface Props {
  workflow: InstanceWorkflow;
  title: string;
  states: readonly string[];
  empty: string;
  extra?: ReactNode;
}

export function InstanceList({ workflow, title, states, empty, extra }: Props) {
  const { t } = useTranslation();
  const now = useNow(30_000);
  const { filters: f, set } = useUrlFilters(['state', 'direction', 'q'] as const);
  const filters = f as ListQuery;
  const words = (key: string, value: string) => t(wordKey(workflow, `${key}.${value}`), { defaultValue: value });

  const query = useInfiniteQuery({
    queryKey: [workflow, 'list', filters],
    initialPageParam: undefined as string | undefined,
    queryFn: ({ pageParam }) =>
      INSTANCE_CALLS[workflow].list({ ...filters, limit: 50, ...(pageParam ? { cursor: pageParam } : {}) }),
    getNextPageParam: (last) => last.nextCursor ?? undefined,
  });

  return (
    <Space orientation="vertical" size="middle" style={{ width: '100%' }}>
      <Flex justify="space-between" align="center" wrap gap="small">
        <Typography.Title level={1} style={{ fontSize: 22, margin: 0 }}>
          {title}
        </Typography.Title>
        {extra}
      </Flex>
      <Card size="small">
        <Flex wrap gap="small" align="center">
          <TextFilter value={filters.q} onChange={(v) => set('q', v)} placeholder={t('queue.qPlaceholder')} />
          <ChoiceFilter
            label={t('queue.state')}
            value={filters.state}
            onChange={(v) => set('state', v)}
            width={170}
            options={states.map((s) => ({ value: s, label: words('state', s) }))}
          />
          <DirectionFilter value={filters.direction} onChange={(v) => set('direction', v)} ours />
        </Flex>
      </Card>
      {query.error && <Alert type="error" showIcon title={describeError(query.error, t)} />}
      <Table<Instance>
        rowKey="id"
        loading={query.isLoading}
        dataSource={query.data?.pages.flatMap((p) => p.items) ?? []}
        pagination={false}
        scroll={{ x: 900 }}
        locale={{ emptyText: <Typography.Text type="secondary">{empty}</Typography.Text> }}
        columns={[
          {
            title: t('queue.referenceNo'),
            dataIndex: 'referenceNo',
            render: (v: string, r) => <Link to={instancePath(workflow, r.id)}>{v}</Link>,
            width: 210,
          },
          { title: t('queue.titleCol'), dataIndex: 'title', ellipsis: true },
          {
            title: t('queue.state'),
            dataIndex: 'state',
            render: (s: string) => <StateTag state={s} workflow={workflow} />,
            width: 130,
          },
          {
            title: t('instance.parties'),
            render: (_, r) => `${r.sourceAgency.name} → ${r.targetAgency.name}`,
            ellipsis: true,
          },
          { title: t('queue.nextDue'), width: 230, render: (_, r) => <NextDue item={r} now={now} /> },
          {
            title: t('queue.waitingFor'),
            width: 200,
            render: (_, r) =>
              waitingEvents(r)
                .slice(0, 3)
                .map((e) => <Pill key={e}>{words('event', e)}</Pill>),
          },
        ]}
      />
      {query.hasNextPage && (
        <Button onClick={() => void query.fetchNextPage()} loading={query.isFetchingNextPage}>
          {t('common.loadMore')}
        </Button>
      )}
    </Space>
  );
}
