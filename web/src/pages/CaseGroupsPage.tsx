// The case groups (并案) in which the caller may see at least one member, newest first.
import { useInfiniteQuery } from '@tanstack/react-query';
import { Alert, Button, Card, Flex, Space, Table, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { api, call } from '../api/client';
import type { Page } from '../api/types';
import { ChoiceFilter } from '../components/ListFilters';
import { Pill } from '../components/Pill';
import type { CaseGroupSummary } from '../lib/caseGroups';
import { describeError } from '../lib/problems';
import { formatDateTime } from '../lib/time';
import { useLang } from '../lib/useLang';
import { useUrlFilters } from '../lib/useUrlFilters';

type Open = 'true' | 'false';

export default function CaseGroupsPage() {
  const { t } = useTranslation();
  const lang = useLang();
  const { filters, set } = useUrlFilters(['open'] as const);
  const open = filters.open as Open | undefined;

  const query = useInfiniteQuery({
    queryKey: ['case-groups', { open }],
    initialPageParam: undefined as string | undefined,
    queryFn: ({ pageParam }) =>
      call<Page<CaseGroupSummary>>(
        api.GET('/api/v1/case-groups', {
          params: {
            query: { ...(open ? { open: open === 'true' } : {}), limit: 50, ...(pageParam ? { cursor: pageParam } : {}) },
          },
        }),
      ),
    getNextPageParam: (last) => last.nextCursor ?? undefined,
  });

  return (
    <Space orientation="vertical" size="middle" style={{ width: '100%' }}>
      <Typography.Title level={1} style={{ fontSize: 22, margin: 0 }}>
        {t('caseGroup.listTitle')}
      </Typography.Title>
      <Typography.Text type="secondary">{t('caseGroup.listHelp')}</Typography.Text>
      <Card size="small">
        <Flex wrap gap="small" align="center">
          <ChoiceFilter<Open>
            label={t('caseGroup.status')}
            value={open}
            onChange={(v) => set('open', v)}
            width={160}
            options={[
              { value: 'true', label: t('caseGroup.open') },
              { value: 'false', label: t('caseGroup.dissolved') },
            ]}
          />
        </Flex>
      </Card>
      {query.error && <Alert type="error" showIcon title={describeError(query.error, t)} />}
      <Table<CaseGroupSummary>
        rowKey="id"
        loading={query.isLoading}
        dataSource={query.data?.pages.flatMap((p) => p.items) ?? []}
        pagination={false}
        scroll={{ x: 800 }}
        locale={{ emptyText: <Typography.Text type="secondary">{t('caseGroup.empty')}</Typography.Text> }}
        columns={[
          {
            title: t('caseGroup.name'),
            dataIndex: 'name',
            render: (v: string, g) => <Link to={`/case-groups/${g.id}`}>{v}</Link>,
          },
          { title: t('caseGroup.leadAgency'), render: (_, g) => g.leadAgency.name, ellipsis: true },
          { title: t('caseGroup.memberCount'), dataIndex: 'memberCount', width: 110 },
          {
            title: t('caseGroup.status'),
            width: 120,
            render: (_, g) => (
              <Pill tone={g.open ? 'blue' : 'default'}>{t(g.open ? 'caseGroup.open' : 'caseGroup.dissolved')}</Pill>
            ),
          },
          { title: t('caseGroup.createdAt'), width: 180, render: (_, g) => formatDateTime(g.createdAt, lang) },
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
