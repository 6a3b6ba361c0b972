// Referrals listed for supervision in the caller's region (联合挂牌督办), newest
// first: the listing's level and bodies, the reporting period, the last progress
// report and the next one due (red once it is past).
import { useInfiniteQuery } from '@tanstack/react-query';
import { Alert, Button, Card, Flex, Space, Table, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { api, call } from '../api/client';
import { useAgencyNames } from '../api/queries';
import { LISTING_LEVELS, type ListedItem, type Page } from '../api/types';
import { ChoiceFilter } from '../components/ListFilters';
import { Pill } from '../components/Pill';
import { StateTag } from '../components/StateTag';
import { describeError } from '../lib/problems';
import { formatDateTime, formatDue } from '../lib/time';
import { useLang } from '../lib/useLang';
import { useUrlFilters } from '../lib/useUrlFilters';
import { instancePath } from '../lib/workflows';

type Level = (typeof LISTING_LEVELS)[number];

export default function ListedPage() {
  const { t } = useTranslation();
  const lang = useLang();
  const agencyName = useAgencyNames();
  const { filters, set } = useUrlFilters(['level'] as const);
  const level = LISTING_LEVELS.includes(filters.level as Level) ? (filters.level as Level) : undefined;

  const query = useInfiniteQuery({
    queryKey: ['listed', level],
    initialPageParam: undefined as string | undefined,
    queryFn: ({ pageParam }) =>
      call<Page<ListedItem>>(
        api.GET('/api/v1/supervision/listed', {
          params: { query: { ...(level ? { level } : {}), limit: 50, ...(pageParam ? { cursor: pageParam } : {}) } },
        }),
      ),
    getNextPageParam: (last) => last.nextCursor ?? undefined,
  });

  return (
    <Space orientation="vertical" size="middle" style={{ width: '100%' }}>
      <Typography.Title level={1} style={{ fontSize: 22, margin: 0 }}>
        {t('listed.title')}
      </Typography.Title>
      <Card size="small">
        <Flex wrap gap="small">
          <ChoiceFilter<Level>
            label={t('form.level')}
            value={level}
            onChange={(v) => set('level', v)}
            width={160}
            options={LISTING_LEVELS.map((l) => ({ value: l, label: t(`level.${l}`) }))}
          />
        </Flex>
      </Card>
      {query.error && <Alert type="error" showIcon title={describeError(query.error, t)} />}
      <Table<ListedItem>
        rowKey={(i) => i.referral.id}
        loading={query.isLoading}
        dataSource={query.data?.pages.flatMap((p) => p.items) ?? []}
        pagination={false}
        scroll={{ x: 1100 }}
        locale={{ emptyText: <Typography.Text type="secondary">{t('listed.empty')}</Typography.Text> }}
        columns={[
          {
            title: t('queue.referenceNo'),
            render: (_, i) => <Link to={instancePath(i.referral.workflow, i.referral.id)}>{i.referral.referenceNo}</Link>,
            width: 190,
          },
          { title: t('queue.titleCol'), render: (_, i) => i.referral.title, ellipsis: true },
          { title: t('queue.state'), render: (_, i) => <StateTag state={i.referral.state} />, width: 110 },
          { title: t('form.level'), render: (_, i) => t(`level.${i.listing.level}`), width: 90 },
          {
            title: t('listing.bodies'),
            render: (_, i) => i.listing.bodies.map((b) => agencyName(b)).join('、'),
            ellipsis: true,
          },
          {
            title: t('listing.period'),
            render: (_, i) =>
              i.listing.reportEveryDays ? t('listing.everyDays', { n: i.listing.reportEveryDays }) : t('listing.noPeriod'),
          },
          { title: t('listing.reports'), render: (_, i) => i.listing.reports, width: 80 },
          {
            title: t('listing.lastReport'),
            render: (_, i) => (i.lastReportAt ? formatDateTime(i.lastReportAt, lang) : '—'),
          },
          {
            title: t('listing.nextDue'),
            render: (_, i) =>
              i.nextReportDueAt ? (
                new Date(i.nextReportDueAt).getTime() < Date.now() ? (
                  <Pill tone="red">{formatDue(i.nextReportDueAt, lang)}</Pill>
                ) : (
                  formatDue(i.nextReportDueAt, lang)
                )
              ) : (
                '—'
              ),
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
