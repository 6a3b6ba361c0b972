// The work queue (home page): referrals of the caller's agency waiting on it
// (an allowed event other than COMMENT), their next due time and a countdown.
// Filters live in the address, so the page comes back as it was left.
import { useInfiniteQuery } from '@tanstack/react-query';
import { Alert, Button, Card, Flex, Input, Select, Space, Switch, Table, Typography } from 'antd';
import { useMemo } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { api, call } from '../api/client';
import { STATES, type Page, type Referral } from '../api/types';
import { NextDue, useNow } from '../components/Countdown';
import { ChoiceFilter, DirectionFilter, DomainFilter, TextFilter } from '../components/ListFilters';
import { Pill } from '../components/Pill';
import { StateTag } from '../components/StateTag';
import { nextDeadline, waitingEvents } from '../lib/deadlines';
import { describeError } from '../lib/problems';
import { useUrlFilters } from '../lib/useUrlFilters';

const FILTERS = ['state', 'domain', 'direction', 'campaign', 'q'] as const;
type Sort = 'due' | 'updated' | 'created';

export default function QueuePage() {
  const { t } = useTranslation();
  const now = useNow(30_000);
  const { params, filters, set } = useUrlFilters(FILTERS);
  const waitingOnly = params.get('all') !== '1';
  const sort = (params.get('sort') as Sort) ?? 'due';

  const query = useInfiniteQuery({
    queryKey: ['referrals', filters],
    initialPageParam: undefined as string | undefined,
    queryFn: ({ pageParam }) =>
      call<Page<Referral>>(
        api.GET('/api/v1/referrals', {
          params: { query: { ...filters, limit: 50, ...(pageParam ? { cursor: pageParam } : {}) } as never },
        }),
      ),
    getNextPageParam: (last) => last.nextCursor ?? undefined,
  });

  const rows = useMemo(() => {
    const all = query.data?.pages.flatMap((p) => p.items) ?? [];
    const shown = waitingOnly ? all.filter((r) => waitingEvents(r).length > 0) : all;
    const due = (r: Referral) => nextDeadline(r)?.dueAt ?? '9999';
    return [...shown].sort((a, b) =>
      sort === 'due'
        ? due(a).localeCompare(due(b))
        : sort === 'updated'
          ? b.updatedAt.localeCompare(a.updatedAt)
          : b.createdAt.localeCompare(a.createdAt),
    );
  }, [query.data, waitingOnly, sort]);

  return (
    <Space orientation="vertical" size="middle" style={{ width: '100%' }}>
      <Typography.Title level={1} style={{ fontSize: 22, margin: 0 }}>
        {t('queue.title')}
      </Typography.Title>
      <Card size="small">
        <Flex wrap gap="small" align="center">
          <TextFilter value={filters.q} onChange={(v) => set('q', v)} placeholder={t('queue.qPlaceholder')} />
          <ChoiceFilter
            label={t('queue.state')}
            value={filters.state}
            onChange={(v) => set('state', v)}
            width={160}
            options={STATES.map((s) => ({ value: s, label: t(`state.${s}`) }))}
          />
          <DomainFilter value={filters.domain} onChange={(v) => set('domain', v)} />
          <DirectionFilter value={filters.direction} onChange={(v) => set('direction', v)} />
          <Input
            aria-label={t('queue.campaign')}
            placeholder={t('queue.campaign')}
            defaultValue={filters.campaign}
            allowClear
            onPressEnter={(e) => set('campaign', (e.target as HTMLInputElement).value || undefined)}
            onBlur={(e) => set('campaign', e.target.value || undefined)}
            style={{ width: 150 }}
          />
          <Select<Sort>
            aria-label={t('queue.sort')}
            value={sort}
            onChange={(v) => set('sort', v === 'due' ? undefined : v)}
            style={{ width: 140 }}
            options={[
              { value: 'due', label: t('queue.sortDue') },
              { value: 'updated', label: t('queue.sortUpdated') },
              { value: 'created', label: t('queue.sortCreated') },
            ]}
          />
          <Space>
            <Switch id="waiting-only" checked={waitingOnly} onChange={(on) => set('all', on ? undefined : '1')} />
            <label htmlFor="waiting-only">{t('queue.waitingOnly')}</label>
          </Space>
        </Flex>
      </Card>
      {query.error && <Alert type="error" showIcon title={describeError(query.error, t)} />}
      <Table<Referral>
        rowKey="id"
        loading={query.isLoading}
        dataSource={rows}
        pagination={false}
        scroll={{ x: 900 }}
        locale={{ emptyText: <Typography.Text type="secondary">{t('queue.empty')}</Typography.Text> }}
        columns={[
          {
            title: t('queue.referenceNo'),
            dataIndex: 'referenceNo',
            render: (v: string, r) => <Link to={`/referrals/${r.id}`}>{v}</Link>,
            width: 190,
          },
          { title: t('queue.titleCol'), dataIndex: 'title', ellipsis: true },
          { title: t('queue.state'), dataIndex: 'state', render: (s: string) => <StateTag state={s} />, width: 120 },
          {
            title: t('queue.domain'),
            dataIndex: 'domain',
            render: (d: string) => t(`domain.${d}`, { defaultValue: d }),
            width: 110,
          },
          {
            title: t('queue.parties'),
            render: (_, r) => `${r.sourceAgency.name} → ${r.targetAgency.name}`,
            ellipsis: true,
          },
          {
            title: t('queue.nextDue'),
            width: 230,
            render: (_, r) => <NextDue item={r} now={now} />,
          },
          {
            title: t('queue.waitingFor'),
            width: 200,
            render: (_, r) =>
              waitingEvents(r)
                .slice(0, 3)
                .map((e) => <Pill key={e}>{t(`event.${e}`, { defaultValue: e })}</Pill>),
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
