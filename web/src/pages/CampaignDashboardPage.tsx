// A campaign's dashboard (admins, supervisors, procurators): its totals in the caller's
// scope, the figures by region, field or month (the selector is the API's groupBy, kept
// in the URL), a chart of transfers and acceptances per group, and the API's CSV.
import { DownloadOutlined } from '@ant-design/icons';
import { useQuery } from '@tanstack/react-query';
import { Alert, App, Button, Card, Col, Flex, Row, Select, Space, Statistic, Table, Typography } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useParams, useSearchParams } from 'react-router';
import { api, call } from '../api/client';
import type { components } from '../api/schema';
import { EChart, type ChartOption } from '../components/EChart';
import { describeError } from '../lib/problems';
import { formatMonth } from '../lib/time';
import { useLang } from '../lib/useLang';

type Campaign = components['schemas']['CampaignView'];
type Dashboard = components['schemas']['CampaignDashboard'];
type Group = components['schemas']['CampaignDashboardGroup'];
type Figures = components['schemas']['CampaignFigures'];
type GroupBy = Dashboard['groupBy'];

const GROUP_BY: GroupBy[] = ['region', 'domain', 'month'];
const PALETTE = ['#1f5fbf', '#389e0d', '#d4380d', '#722ed1'];
const COUNTS = [
  'transfers',
  'acceptances',
  'breaches',
  'screeningFlagged',
  'screeningNear',
  'recommendations',
  'linkedParties',
  'chains',
] as const;

const percent = (x: number | null) => (x === null ? '—' : `${Math.round(x * 1000) / 10}%`);
const hours = (x: number | null) => (x === null ? '—' : String(Math.round(x * 10) / 10));

export default function CampaignDashboardPage() {
  const { code = '' } = useParams();
  const { t } = useTranslation();
  const lang = useLang();
  const { message } = App.useApp();
  const [params, setParams] = useSearchParams();
  const [exporting, setExporting] = useState(false);
  const asked = params.get('groupBy') as GroupBy | null;
  const groupBy: GroupBy = asked && GROUP_BY.includes(asked) ? asked : 'region';
  const setGroupBy = (value: GroupBy) => {
    const next = new URLSearchParams(params);
    if (value === 'region') next.delete('groupBy');
    else next.set('groupBy', value);
    setParams(next, { replace: true });
  };

  const campaign = useQuery({
    queryKey: ['campaigns', code],
    queryFn: () => call<Campaign>(api.GET('/api/v1/campaigns/{code}', { params: { path: { code } } })),
  });
  const dashboard = useQuery({
    queryKey: ['campaigns', code, 'dashboard', groupBy],
    queryFn: () =>
      call<Dashboard>(api.GET('/api/v1/campaigns/{code}/dashboard', { params: { path: { code }, query: { groupBy } } })),
  });

  const keyLabel = (key: string) =>
    groupBy === 'domain' ? t(`domain.${key}`, { defaultValue: key }) : groupBy === 'month' ? formatMonth(key, lang) : key;
  const groups = dashboard.data?.groups ?? [];
  const total = dashboard.data?.total;

  const option: ChartOption = {
    color: PALETTE,
    tooltip: { renderMode: 'richText', trigger: 'axis' },
    legend: { top: 0 },
    grid: { left: 40, right: 16, top: 36, bottom: 48 },
    xAxis: {
      type: 'category',
      data: groups.map((g) => keyLabel(g.key)),
      axisLabel: { interval: 0, rotate: groups.length > 6 ? 30 : 0 },
    },
    yAxis: { type: 'value', minInterval: 1 },
    series: (['transfers', 'acceptances', 'linkedParties', 'chains'] as const).map((f) => ({
      name: t(`campaigns.figure.${f}`),
      type: 'bar' as const,
      data: groups.map((g) => g[f]),
    })),
  };
  const chartLabel = `${t('campaigns.chart')}: ${
    groups.length
      ? groups
          .map(
            (g) =>
              `${keyLabel(g.key)} ${t('campaigns.figure.transfers')} ${g.transfers}, ${t('campaigns.figure.acceptances')} ${g.acceptances}`,
          )
          .join('; ')
      : t('dashboard.noData')
  }`;

  const exportCsv = async () => {
    setExporting(true);
    try {
      // The bytes as the API sends them (with the BOM spreadsheets read as UTF-8).
      const blob = await call<Blob>(
        api.GET('/api/v1/campaigns/{code}/dashboard.csv', { params: { path: { code }, query: { groupBy } }, parseAs: 'blob' }),
      );
      const url = URL.createObjectURL(blob);
      const a = document.createElement('a');
      a.href = url;
      a.download = `${code}-${groupBy}.csv`;
      document.body.appendChild(a);
      a.click();
      a.remove();
      setTimeout(() => URL.revokeObjectURL(url), 10_000);
    } catch (e) {
      message.error(describeError(e, t));
    } finally {
      setExporting(false);
    }
  };

  const figureColumns = [
    ...COUNTS.slice(0, 2).map((f) => ({ title: t(`campaigns.figure.${f}`), dataIndex: f, key: f, align: 'right' as const })),
    {
      title: t('campaigns.figure.acceptanceRate'),
      key: 'acceptanceRate',
      align: 'right' as const,
      render: (_: unknown, g: Figures) => percent(g.acceptanceRate),
    },
    {
      title: t('campaigns.figure.medianHoursToDecision'),
      key: 'medianHoursToDecision',
      align: 'right' as const,
      render: (_: unknown, g: Figures) => hours(g.medianHoursToDecision),
    },
    ...COUNTS.slice(2).map((f) => ({ title: t(`campaigns.figure.${f}`), dataIndex: f, key: f, align: 'right' as const })),
  ];

  return (
    <Space orientation="vertical" size="middle" style={{ width: '100%' }}>
      <Link to="/campaigns">{t('campaigns.back')}</Link>
      <Flex wrap gap="small" align="center" justify="space-between">
        <Typography.Title level={1} style={{ fontSize: 22, margin: 0 }}>
          {campaign.data ? `${campaign.data.name} · ${campaign.data.code}` : code}
        </Typography.Title>
        <Flex wrap gap="small" align="center">
          <label htmlFor="campaign-group-by">{t('campaigns.groupBy')}</label>
          <Select
            id="campaign-group-by"
            aria-label={t('campaigns.groupBy')}
            value={groupBy}
            onChange={setGroupBy}
            style={{ width: 160 }}
            options={GROUP_BY.map((g) => ({ value: g, label: t(`campaigns.by.${g}`) }))}
          />
          <Button icon={<DownloadOutlined />} onClick={() => void exportCsv()} loading={exporting}>
            {t('campaigns.export')}
          </Button>
        </Flex>
      </Flex>
      {campaign.data && (
        <Typography.Text type="secondary">
          {t('campaigns.summary', {
            from: campaign.data.startsOn,
            to: campaign.data.endsOn,
            domains: campaign.data.domains.map((d) => t(`domain.${d}`)).join(t('campaigns.separator')),
            regions: campaign.data.regionCodes.join(', '),
          })}
        </Typography.Text>
      )}
      {(campaign.error ?? dashboard.error) && (
        <Alert type="error" showIcon title={describeError(campaign.error ?? dashboard.error, t)} />
      )}

      {total && (
        <Card size="small" title={<h2 style={{ fontSize: 16, margin: 0 }}>{t('campaigns.totals')}</h2>}>
          <Row gutter={[16, 16]} data-testid="campaign-totals">
            {COUNTS.slice(0, 2).map((f) => (
              <Col key={f} xs={12} md={6} lg={4}>
                <Statistic title={t(`campaigns.figure.${f}`)} value={total[f]} />
              </Col>
            ))}
            <Col xs={12} md={6} lg={4}>
              <Statistic title={t('campaigns.figure.acceptanceRate')} value={percent(total.acceptanceRate)} />
            </Col>
            <Col xs={12} md={6} lg={4}>
              <Statistic title={t('campaigns.figure.medianHoursToDecision')} value={hours(total.medianHoursToDecision)} />
            </Col>
            {COUNTS.slice(2).map((f) => (
              <Col key={f} xs={12} md={6} lg={4}>
                <Statistic title={t(`campaigns.figure.${f}`)} value={total[f]} />
              </Col>
            ))}
          </Row>
        </Card>
      )}

      <Card size="small" title={<h2 style={{ fontSize: 16, margin: 0 }}>{t('campaigns.chart')}</h2>}>
        <EChart
          option={option}
          label={chartLabel}
          empty={dashboard.isSuccess && !groups.length ? t('dashboard.noData') : undefined}
        />
      </Card>

      <Card size="small" title={<h2 style={{ fontSize: 16, margin: 0 }}>{t(`campaigns.by.${groupBy}`)}</h2>}>
        <Table<Group>
          rowKey="key"
          loading={dashboard.isLoading}
          dataSource={groups}
          pagination={false}
          size="small"
          scroll={{ x: 1100 }}
          locale={{ emptyText: <Typography.Text type="secondary">{t('dashboard.noData')}</Typography.Text> }}
          columns={[{ title: t(`campaigns.by.${groupBy}`), key: 'key', render: (_, g) => keyLabel(g.key) }, ...figureColumns]}
        />
        <Typography.Paragraph type="secondary" style={{ marginTop: 8, marginBottom: 0 }}>
          {t('campaigns.networkNote')}
        </Typography.Paragraph>
      </Card>
    </Space>
  );
}
