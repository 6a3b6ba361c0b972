// Administrative cases in the caller's scope (an agency: its own; a procuratorate or
// supervisor: its region's). As the screening list (flag=flagged|near|any) the
// cases come most serious first, each with the sentences of the rules it meets.
import { useInfiniteQuery } from '@tanstack/react-query';
import { Alert, Button, Card, Flex, Space, Table, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import { Link, useNavigate } from 'react-router';
import { api, call } from '../api/client';
import { SCREENING_FLAGS, type AdminCase, type Page } from '../api/types';
import { useAuth } from '../auth/AuthContext';
import { describeError } from '../lib/problems';
import { formatDate } from '../lib/time';
import { useLang } from '../lib/useLang';
import { useUrlFilters } from '../lib/useUrlFilters';
import { ImportCasesButton } from './ImportCases';
import { ChoiceFilter, DomainFilter, TextFilter } from './ListFilters';
import { ScreeningFlag } from './Screening';

type Flag = (typeof SCREENING_FLAGS)[number] | 'any';

export function CaseRegister({ screening = false }: { screening?: boolean }) {
  const { t } = useTranslation();
  const lang = useLang();
  const navigate = useNavigate();
  const { hasRole } = useAuth();
  const { filters, set } = useUrlFilters(['flag', 'domain', 'q'] as const);
  const flag = (filters.flag as Flag | undefined) ?? (screening ? 'any' : undefined);
  const { domain, q } = filters;

  const query = useInfiniteQuery({
    queryKey: ['admin-cases', { flag, domain, q }],
    initialPageParam: undefined as string | undefined,
    queryFn: ({ pageParam }) =>
      call<Page<AdminCase>>(
        api.GET('/api/v1/admin-cases', {
          params: {
            query: {
              ...(flag ? { flag } : {}),
              ...(domain ? { domain: domain as AdminCase['domain'] } : {}),
              ...(q ? { q } : {}),
              limit: 50,
              ...(pageParam ? { cursor: pageParam } : {}),
            },
          },
        }),
      ),
    getNextPageParam: (last) => last.nextCursor ?? undefined,
  });

  const officer = hasRole('agency-officer');
  return (
    <Space orientation="vertical" size="middle" style={{ width: '100%' }}>
      <Flex justify="space-between" align="center" wrap gap="small">
        <Typography.Title level={1} style={{ fontSize: 22, margin: 0 }}>
          {t(screening ? 'screening.title' : 'cases.title')}
        </Typography.Title>
        {officer && (
          <Space wrap>
            <Button type="primary" onClick={() => void navigate('/admin-cases/new')}>
              {t('cases.record')}
            </Button>
            <ImportCasesButton />
          </Space>
        )}
      </Flex>
      {screening && <Typography.Text type="secondary">{t('screening.help')}</Typography.Text>}
      <Card size="small">
        <Flex wrap gap="small" align="center">
          <TextFilter value={q} onChange={(v) => set('q', v)} placeholder={t('cases.qPlaceholder')} />
          <ChoiceFilter<Flag>
            label={t('screening.flag')}
            allowClear={!screening}
            value={flag}
            onChange={(v) => set('flag', v === 'any' && screening ? undefined : v)}
            width={190}
            options={[
              { value: 'any', label: t('screening.any') },
              ...SCREENING_FLAGS.map((f) => ({ value: f, label: t(`screening.${f}`) })),
            ]}
          />
          <DomainFilter value={domain} onChange={(v) => set('domain', v)} />
        </Flex>
      </Card>
      {query.error && <Alert type="error" showIcon title={describeError(query.error, t)} />}
      <Table<AdminCase>
        rowKey="id"
        loading={query.isLoading}
        dataSource={query.data?.pages.flatMap((p) => p.items) ?? []}
        pagination={false}
        scroll={{ x: 1000 }}
        locale={{
          emptyText: <Typography.Text type="secondary">{t(screening ? 'screening.empty' : 'cases.empty')}</Typography.Text>,
        }}
        columns={[
          {
            title: t('cases.caseNo'),
            dataIndex: 'caseNo',
            render: (v: string, c) => <Link to={`/admin-cases/${c.id}`}>{v}</Link>,
            width: 220,
          },
          { title: t('queue.titleCol'), dataIndex: 'title', ellipsis: true },
          {
            title: t('queue.domain'),
            dataIndex: 'domain',
            render: (d: string) => t(`domain.${d}`, { defaultValue: d }),
            width: 100,
          },
          { title: t('cases.agency'), render: (_, c) => c.agency.name, ellipsis: true },
          {
            title: t('penalty.decidedAt'),
            render: (_, c) => formatDate(c.penalty.decidedAt, lang),
            width: 140,
          },
          {
            title: t('screening.flag'),
            width: screening ? 420 : 110,
            render: (_, c) =>
              screening ? (
                <div>
                  <ScreeningFlag flag={c.screening.flag} />
                  <ul style={{ margin: '4px 0 0', paddingInlineStart: 18 }}>
                    {c.screening.reasons.map((r) => (
                      <li key={`${r.rule}-${r.version}`}>{r.text}</li>
                    ))}
                  </ul>
                </div>
              ) : (
                <ScreeningFlag flag={c.screening.flag} />
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
