// Overdue transfers of the caller's region (procurators, supervisors, admins):
// most overdue first, drill-down to the referral, escalation level, CSV export.
import { DownloadOutlined } from '@ant-design/icons';
import { useInfiniteQuery } from '@tanstack/react-query';
import { Alert, App, Button, Card, Flex, Select, Space, Table, Typography } from 'antd';
import type { TFunction } from 'i18next';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { api, authorizedFetch, call } from '../api/client';
import { useAgencyNames } from '../api/queries';
import { DEADLINE_KINDS, WORKFLOW_DEADLINE_KINDS, type OverdueItem, type Page } from '../api/types';
import { ChoiceFilter, DomainFilter } from '../components/ListFilters';
import { Pill } from '../components/Pill';
import { StateTag } from '../components/StateTag';
import { describeError } from '../lib/problems';
import { formatDue } from '../lib/time';
import { useLang } from '../lib/useLang';
import { instancePath } from '../lib/workflows';

const WORKFLOWS = ['referral', 'transfer-recommendation', 'reverse-transfer'] as const;
type Workflow = (typeof WORKFLOWS)[number];

function overdueText(seconds: number, t: TFunction): string {
  const days = Math.floor(seconds / 86_400);
  const hours = Math.floor((seconds % 86_400) / 3600);
  const minutes = Math.floor((seconds % 3600) / 60);
  return [
    days ? t('countdown.d', { n: days }) : '',
    days || hours ? t('countdown.h', { n: hours }) : '',
    t('countdown.m', { n: minutes }),
  ]
    .filter(Boolean)
    .join(' ');
}

export default function OverduePage() {
  const { t } = useTranslation();
  const lang = useLang();
  const { message } = App.useApp();
  const agencyName = useAgencyNames();
  const [domain, setDomain] = useState<string>();
  const [kind, setKind] = useState<string>();
  const [workflow, setWorkflow] = useState<Workflow>();
  const [exporting, setExporting] = useState(false);

  const query = useInfiniteQuery({
    queryKey: ['overdue', domain, kind, workflow],
    initialPageParam: undefined as string | undefined,
    queryFn: ({ pageParam }) =>
      call<Page<OverdueItem>>(
        api.GET('/api/v1/supervision/overdue', {
          params: {
            query: {
              ...(domain ? { domain } : {}),
              ...(kind ? { kind } : {}),
              ...(workflow ? { workflow } : {}),
              limit: 50,
              ...(pageParam ? { cursor: pageParam } : {}),
            } as never,
          },
        }),
      ),
    getNextPageParam: (last) => last.nextCursor ?? undefined,
  });

  const exportCsv = async () => {
    setExporting(true);
    try {
      const res = await authorizedFetch('/api/v1/supervision/export.csv');
      const url = URL.createObjectURL(await res.blob());
      const a = document.createElement('a');
      a.href = url;
      a.download = 'caselink-referrals.csv';
      document.body.appendChild(a);
      a.click();
      a.remove();
      setTimeout(() => URL.revokeObjectURL(url), 10_000);
    } catch (e) {
      void message.error(describeError(e, t));
    } finally {
      setExporting(false);
    }
  };

  return (
    <Space orientation="vertical" size="middle" style={{ width: '100%' }}>
      <Flex justify="space-between" align="center" wrap gap="small">
        <Typography.Title level={1} style={{ fontSize: 22, margin: 0 }}>
          {t('overdue.title')}
        </Typography.Title>
        <Button icon={<DownloadOutlined />} onClick={() => void exportCsv()} loading={exporting}>
          {t('overdue.export')}
        </Button>
      </Flex>
      <Card size="small">
        <Flex wrap gap="small">
          <DomainFilter value={domain} onChange={setDomain} width={160} />
          <Select
            aria-label={t('referral.kind')}
            placeholder={t('referral.kind')}
            allowClear
            value={kind}
            onChange={setKind}
            style={{ width: 200 }}
            options={[...DEADLINE_KINDS, ...WORKFLOW_DEADLINE_KINDS].map((k) => ({ value: k, label: t(`deadlineKind.${k}`) }))}
          />
          <ChoiceFilter<Workflow>
            label={t('overdue.workflow')}
            value={workflow}
            onChange={setWorkflow}
            width={200}
            options={WORKFLOWS.map((w) => ({ value: w, label: t(`overdue.workflows.${w}`) }))}
          />
        </Flex>
      </Card>
      {query.error && <Alert type="error" showIcon title={describeError(query.error, t)} />}
      <Table<OverdueItem>
        rowKey={(i) => i.deadline.id}
        loading={query.isLoading}
        dataSource={query.data?.pages.flatMap((p) => p.items) ?? []}
        pagination={false}
        scroll={{ x: 1000 }}
        locale={{ emptyText: <Typography.Text type="secondary">{t('overdue.empty')}</Typography.Text> }}
        columns={[
          {
            title: t('queue.referenceNo'),
            render: (_, i) => <Link to={instancePath(i.referral.workflow, i.referral.id)}>{i.referral.referenceNo}</Link>,
            width: 190,
          },
          { title: t('queue.titleCol'), render: (_, i) => i.referral.title, ellipsis: true },
          {
            title: t('queue.state'),
            render: (_, i) => <StateTag state={i.referral.state} workflow={i.referral.workflow} />,
            width: 120,
          },
          {
            title: t('referral.kind'),
            render: (_, i) => t(`deadlineKind.${i.deadline.kind}`, { defaultValue: i.deadline.kind }),
          },
          { title: t('referral.dueAt'), render: (_, i) => formatDue(i.deadline.dueAt, lang) },
          {
            title: t('overdue.by'),
            render: (_, i) => <Pill tone="red">{overdueText(i.overdueBy, t)}</Pill>,
          },
          { title: t('overdue.escalation'), dataIndex: 'escalationLevel', width: 100 },
          { title: t('referral.responsible'), render: (_, i) => agencyName(i.deadline.responsibleAgencyId), ellipsis: true },
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
