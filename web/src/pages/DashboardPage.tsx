// Supervision dashboard (procurators, supervisors, admins): the region's overdue
// transfers with drill-down, charts of the referrals by state and by domain, the
// on-time rate of each police unit and its median hours to a decision month by
// month, and the CSV export. The region selector narrows the overdue list (the
// API's regionCode) and the police-unit charts (by the unit's region); the state
// and domain counts cover the caller's whole scope (the stats take no region).
import { DownloadOutlined, ReloadOutlined } from '@ant-design/icons';
import { useInfiniteQuery, useQueries, useQuery } from '@tanstack/react-query';
import { Alert, App, Button, Card, Col, Flex, Row, Select, Space, Table, Typography } from 'antd';
import { useMemo, useState, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useSearchParams } from 'react-router';
import { api, call } from '../api/client';
import { useAgencies } from '../api/queries';
import type { components } from '../api/schema';
import { useAuth } from '../auth/AuthContext';
import { EChart, type ChartOption } from '../components/EChart';
import { Pill } from '../components/Pill';
import { StateTag } from '../components/StateTag';
import { describeError } from '../lib/problems';
import { covers, regionLevel, regionsWithin } from '../lib/regions';
import { durationParts, formatDateTime, formatDue, formatMonth, monthWindows } from '../lib/time';
import { useLang } from '../lib/useLang';

type OverdueItem = components['schemas']['OverdueItem'];
type OverduePage = components['schemas']['OverduePage'];
type Stats = components['schemas']['Stats'];
type GroupBy = Stats['groupBy'];

const MONTHS = 6;
const MAX_UNITS = 8; // police units drawn in the monthly chart
const PALETTE = ['#1f5fbf', '#d4380d', '#389e0d', '#722ed1', '#d48806', '#08979c', '#c41d7f', '#595959'];

function fetchStats(groupBy: GroupBy, range?: { from: string; to: string }) {
  return call<Stats>(api.GET('/api/v1/supervision/stats', { params: { query: { groupBy, ...range } } }));
}

function ChartCard({ title, children }: { title: string; children: ReactNode }) {
  return (
    <Card size="small" title={<h2 style={{ fontSize: 16, margin: 0 }}>{title}</h2>} style={{ height: '100%' }}>
      {children}
    </Card>
  );
}

export default function DashboardPage() {
  const { t } = useTranslation();
  const lang = useLang();
  const { message } = App.useApp();
  const { user, hasRole } = useAuth();
  const [params, setParams] = useSearchParams();
  const [exporting, setExporting] = useState(false);
  const agencies = useAgencies();

  // The caller's region and the regions under it that the directory knows; an admin sees all.
  const own = hasRole('admin') ? null : (user?.agency.regionCode ?? null);
  const regions = useMemo(
    () =>
      regionsWithin(
        own,
        (agencies.data ?? []).map((a) => a.regionCode),
      ),
    [own, agencies.data],
  );
  const asked = params.get('region');
  const region = asked && regions.includes(asked) ? asked : (own ?? '');
  const setRegion = (value: string) => {
    const next = new URLSearchParams(params);
    if (value && value !== own) next.set('region', value);
    else next.delete('region');
    setParams(next, { replace: true });
  };
  const inRegion = (code: string | undefined) => !region || (!!code && covers(region, code));
  const regionLabel = (code: string) => `${code} · ${t(`dashboard.level.${regionLevel(code)}`)}`;

  const overdue = useInfiniteQuery({
    queryKey: ['supervision', 'overdue', region],
    initialPageParam: undefined as string | undefined,
    queryFn: ({ pageParam }) =>
      call<OverduePage>(
        api.GET('/api/v1/supervision/overdue', {
          params: {
            query: { limit: 20, ...(region ? { regionCode: region } : {}), ...(pageParam ? { cursor: pageParam } : {}) },
          },
        }),
      ),
    getNextPageParam: (last) => last.nextCursor ?? undefined,
  });
  const overdueRows = overdue.data?.pages.flatMap((p) => p.items) ?? [];

  const byState = useQuery({ queryKey: ['supervision', 'stats', 'state'], queryFn: () => fetchStats('state') });
  const byDomain = useQuery({ queryKey: ['supervision', 'stats', 'domain'], queryFn: () => fetchStats('domain') });
  const byUnit = useQuery({ queryKey: ['supervision', 'stats', 'targetAgency'], queryFn: () => fetchStats('targetAgency') });
  // Months end at the service's own "now" (the `to` of the default range), not the browser's.
  const windows = byState.data ? monthWindows(byState.data.to, MONTHS) : [];
  const monthly = useQueries({
    queries: windows.map((w) => ({
      queryKey: ['supervision', 'stats', 'targetAgency', w.from, w.to],
      queryFn: () => fetchStats('targetAgency', { from: w.from, to: w.to }),
    })),
  });

  const agencyById = useMemo(() => new Map((agencies.data ?? []).map((a) => [a.id, a])), [agencies.data]);
  const agencyName = (id: string) => agencyById.get(id)?.name ?? id.slice(0, 8);
  const unitInRegion = (id: string) => inRegion(agencyById.get(id)?.regionCode);

  const summary = (pairs: [string, string | number][]) =>
    pairs.length ? pairs.map(([k, v]) => `${k} ${v}`).join(lang === 'zh' ? '，' : ', ') : t('dashboard.noData');

  // ---- charts --------------------------------------------------------------------

  const stateGroups = byState.data?.groups ?? [];
  const stateLabels = stateGroups.map((g) => t(`state.${g.key}`, { defaultValue: g.key }));
  const stateOption: ChartOption = {
    color: PALETTE,
    tooltip: { renderMode: 'richText', trigger: 'axis' },
    legend: { top: 0 },
    grid: { left: 40, right: 16, top: 36, bottom: 72 },
    xAxis: { type: 'category', data: stateLabels, axisLabel: { interval: 0, rotate: 35 } },
    yAxis: { type: 'value', minInterval: 1 },
    series: [
      { name: t('dashboard.total'), type: 'bar', data: stateGroups.map((g) => g.total) },
      { name: t('dashboard.overdue'), type: 'bar', data: stateGroups.map((g) => g.overdue) },
    ],
  };

  const domainGroups = byDomain.data?.groups ?? [];
  const domainOption: ChartOption = {
    color: PALETTE,
    tooltip: { renderMode: 'richText', trigger: 'item' },
    legend: { type: 'scroll', bottom: 0 },
    series: [
      {
        name: t('dashboard.byDomain'),
        type: 'pie',
        radius: ['35%', '65%'],
        center: ['50%', '45%'],
        data: domainGroups.map((g) => ({ name: t(`domain.${g.key}`, { defaultValue: g.key }), value: g.total })),
      },
    ],
  };

  const unitGroups = (byUnit.data?.groups ?? []).filter((g) => unitInRegion(g.key) && g.onTimeRate !== null);
  const onTimeOption: ChartOption = {
    color: PALETTE,
    tooltip: { renderMode: 'richText', trigger: 'axis', valueFormatter: (v) => `${v}%` },
    grid: { left: 8, right: 40, top: 8, bottom: 24, containLabel: true },
    xAxis: { type: 'value', max: 100, axisLabel: { formatter: '{value}%' } },
    yAxis: { type: 'category', data: unitGroups.map((g) => agencyName(g.key)), inverse: true },
    series: [
      {
        name: t('dashboard.onTimeRate'),
        type: 'bar',
        data: unitGroups.map((g) => Math.round((g.onTimeRate ?? 0) * 1000) / 10),
        label: { show: true, position: 'right', formatter: '{c}%' },
      },
    ],
  };

  const monthLabels = windows.map((w) => formatMonth(w.month, lang));
  const unitIds = [
    ...new Set(monthly.flatMap((q) => (q.data?.groups ?? []).filter((g) => g.medianHoursToDecision !== null).map((g) => g.key))),
  ]
    .filter(unitInRegion)
    .slice(0, MAX_UNITS);
  const medianSeries = unitIds.map((id) => ({
    name: agencyName(id),
    type: 'line' as const,
    connectNulls: false,
    data: monthly.map((q) => {
      const h = q.data?.groups.find((g) => g.key === id)?.medianHoursToDecision;
      return h === null || h === undefined ? null : Math.round(h * 10) / 10;
    }),
  }));
  const medianOption: ChartOption = {
    color: PALETTE,
    tooltip: { renderMode: 'richText', trigger: 'axis' },
    legend: { type: 'scroll', top: 0 },
    grid: { left: 48, right: 16, top: 36, bottom: 32 },
    xAxis: { type: 'category', data: monthLabels },
    yAxis: { type: 'value', name: t('dashboard.hours') },
    series: medianSeries,
  };

  // ---- export --------------------------------------------------------------------

  const exportCsv = async () => {
    setExporting(true);
    try {
      // The bytes as sent (the BOM that tells spreadsheets it is UTF-8 included).
      const blob = await call<Blob>(api.GET('/api/v1/supervision/export.csv', { parseAs: 'blob' }));
      const url = URL.createObjectURL(blob);
      const a = document.createElement('a');
      a.href = url;
      a.download = `caselink-referrals-${(byState.data?.to ?? new Date().toISOString()).slice(0, 10)}.csv`;
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

  const statsError = byState.error ?? byDomain.error ?? byUnit.error ?? monthly.find((q) => q.error)?.error;
  const range =
    byState.data &&
    t('dashboard.range', { from: formatDateTime(byState.data.from, lang), to: formatDateTime(byState.data.to, lang) });

  return (
    <Space orientation="vertical" size="middle" style={{ width: '100%' }}>
      <Flex wrap gap="small" align="center" justify="space-between">
        <Typography.Title level={1} style={{ fontSize: 22, margin: 0 }}>
          {t('dashboard.title')}
        </Typography.Title>
        <Flex wrap gap="small" align="center">
          <label htmlFor="dashboard-region">{t('dashboard.region')}</label>
          <Select
            id="dashboard-region"
            aria-label={t('dashboard.region')}
            value={region}
            onChange={setRegion}
            style={{ width: 200 }}
            options={[
              ...(own === null ? [{ value: '', label: t('dashboard.allRegions') }] : []),
              ...regions.map((code) => ({ value: code, label: regionLabel(code) })),
            ]}
          />
          <Button icon={<DownloadOutlined />} onClick={() => void exportCsv()} loading={exporting}>
            {t('dashboard.export')}
          </Button>
        </Flex>
      </Flex>

      <Card
        size="small"
        title={
          <h2 style={{ fontSize: 16, margin: 0 }}>
            {t('dashboard.overdueTitle')}
            {region ? ` · ${region}` : ''}
          </h2>
        }
        extra={
          <Button
            size="small"
            icon={<ReloadOutlined />}
            aria-label={t('common.refresh')}
            onClick={() => void overdue.refetch()}
          />
        }
      >
        {overdue.error && <Alert type="error" showIcon title={describeError(overdue.error, t)} />}
        <Table<OverdueItem>
          rowKey={(r) => r.deadline.id}
          loading={overdue.isLoading}
          dataSource={overdueRows}
          pagination={false}
          size="small"
          scroll={{ x: 1000 }}
          locale={{ emptyText: <Typography.Text type="secondary">{t('dashboard.noOverdue')}</Typography.Text> }}
          columns={[
            {
              title: t('queue.referenceNo'),
              key: 'referenceNo',
              width: 190,
              render: (_, r) => <Link to={`/referrals/${r.referral.id}`}>{r.referral.referenceNo}</Link>,
            },
            { title: t('queue.titleCol'), key: 'title', ellipsis: true, render: (_, r) => r.referral.title },
            { title: t('queue.state'), key: 'state', width: 130, render: (_, r) => <StateTag state={r.referral.state} /> },
            {
              title: t('dashboard.deadline'),
              key: 'deadline',
              width: 210,
              render: (_, r) => (
                <Space orientation="vertical" size={0}>
                  <span>{t(`deadlineKind.${r.deadline.kind}`, { defaultValue: r.deadline.kind })}</span>
                  <Typography.Text type="secondary">{formatDue(r.deadline.dueAt, lang)}</Typography.Text>
                </Space>
              ),
            },
            {
              title: t('dashboard.overdueBy'),
              key: 'overdueBy',
              width: 140,
              render: (_, r) => {
                const d = durationParts(r.overdueBy);
                const text = [
                  d.days ? t('countdown.d', { n: d.days }) : '',
                  d.days || d.hours ? t('countdown.h', { n: d.hours }) : '',
                  d.days ? '' : t('countdown.m', { n: d.minutes }),
                ]
                  .filter(Boolean)
                  .join(' ');
                return (
                  <Typography.Text type="danger" strong>
                    {text}
                  </Typography.Text>
                );
              },
            },
            {
              title: t('dashboard.escalation'),
              key: 'escalation',
              width: 130,
              render: (_, r) => (
                <Pill tone={r.escalationLevel >= 2 ? 'red' : r.escalationLevel === 1 ? 'orange' : 'default'}>
                  {t(`dashboard.escalationLevel.${Math.min(r.escalationLevel, 2)}`)}
                </Pill>
              ),
            },
            {
              title: t('referral.responsible'),
              key: 'responsible',
              ellipsis: true,
              render: (_, r) => agencyName(r.deadline.responsibleAgencyId),
            },
            {
              title: t('referral.region'),
              key: 'region',
              width: 90,
              render: (_, r) => r.referral.regionCode,
            },
          ]}
        />
        {overdue.hasNextPage && (
          <Button style={{ marginTop: 8 }} onClick={() => void overdue.fetchNextPage()} loading={overdue.isFetchingNextPage}>
            {t('common.loadMore')}
          </Button>
        )}
      </Card>

      {statsError && <Alert type="error" showIcon title={describeError(statsError, t)} />}
      {range && <Typography.Text type="secondary">{range}</Typography.Text>}
      <Row gutter={[16, 16]}>
        <Col xs={24} lg={12}>
          <ChartCard title={t('dashboard.byState')}>
            <EChart
              option={stateOption}
              empty={byState.isSuccess && !stateGroups.length ? t('dashboard.noData') : undefined}
              label={`${t('dashboard.byState')}: ${summary(stateGroups.map((g, i) => [stateLabels[i], g.total]))}`}
            />
          </ChartCard>
        </Col>
        <Col xs={24} lg={12}>
          <ChartCard title={t('dashboard.byDomain')}>
            <EChart
              option={domainOption}
              empty={byDomain.isSuccess && !domainGroups.length ? t('dashboard.noData') : undefined}
              label={`${t('dashboard.byDomain')}: ${summary(domainGroups.map((g) => [t(`domain.${g.key}`, { defaultValue: g.key }), g.total]))}`}
            />
          </ChartCard>
        </Col>
        <Col xs={24} lg={12}>
          <ChartCard title={t('dashboard.onTimeByUnit')}>
            <EChart
              option={onTimeOption}
              empty={byUnit.isSuccess && !unitGroups.length ? t('dashboard.noData') : undefined}
              height={Math.max(200, 40 * unitGroups.length + 48)}
              label={`${t('dashboard.onTimeByUnit')}: ${summary(
                unitGroups.map((g) => [agencyName(g.key), `${Math.round((g.onTimeRate ?? 0) * 100)}%`]),
              )}`}
            />
          </ChartCard>
        </Col>
        <Col xs={24} lg={12}>
          <ChartCard title={t('dashboard.medianByMonth')}>
            <EChart
              option={medianOption}
              empty={
                monthly.length > 0 && monthly.every((q) => q.isSuccess) && !medianSeries.length
                  ? t('dashboard.noData')
                  : undefined
              }
              label={`${t('dashboard.medianByMonth')}: ${summary(
                medianSeries.map((s) => [s.name, s.data.map((v, i) => `${monthLabels[i]} ${v ?? '—'}`).join(' / ')]),
              )}`}
            />
          </ChartCard>
        </Col>
      </Row>
    </Space>
  );
}
