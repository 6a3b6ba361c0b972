// The chain of cases and parties (issue 11 §1): a force-laid ECharts graph fed by a
// links answer (the referral page) or a chain answer (the chain view), and the same
// nodes in a table, which is what assistive technology reads (the canvas is an image).
// A case outside the caller's scope is drawn grey and dashed with its holding unit
// and region only: the answer holds nothing else of it, and the option copies no
// field the table does not show.
import { GraphChart } from 'echarts/charts';
import * as echarts from 'echarts/core';
import { Space, Table, Typography } from 'antd';
import { useMemo } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useNavigate } from 'react-router';
import type { CaseNode, ChainEdge, PartyNode } from '../api/types';
import { EChart, type ChartClick, type ChartOption } from './EChart';
import { STATE_TONES } from './StateTag';
import { StateTag } from './StateTag';
import { TONES } from './Pill';

echarts.use([GraphChart]);

export interface ChainData {
  parties: PartyNode[];
  cases: CaseNode[];
  edges: ChainEdge[];
}

// Region fills (no state or tone colour among them, so a border reads as the state).
const REGION_COLORS = ['#4c78a8', '#54a24b', '#b279a2', '#e45756', '#72b7b2', '#9d755d', '#eeca3b', '#ff9da6'];
const PARTY_COLOR = '#f58518';
const HIDDEN_COLOR = '#bfbfbf';
const EDGE_COLOR = { confirmed: '#262626', possible: '#ad6800' } as const;

type Row = { key: string; node: 'party'; party: PartyNode } | { key: string; node: 'case'; item: CaseNode };

const caseRegion = (c: CaseNode) => (c.inScope ? c.regionCode : c.holdingAgency?.regionCode);

interface Props {
  chain: ChainData;
  /** the node the page is about (drawn larger) */
  focus?: string;
  /** parties open their chain view (procurators and supervisors) */
  partyLinks?: boolean;
  height?: number;
}

export function ChainGraph({ chain, focus, partyLinks = false, height = 420 }: Props) {
  const { t } = useTranslation();
  const navigate = useNavigate();

  const rows: Row[] = useMemo(
    () => [
      ...chain.parties.map((party) => ({ key: party.key, node: 'party' as const, party })),
      ...chain.cases.map((item) => ({ key: item.key, node: 'case' as const, item })),
    ],
    [chain],
  );
  const labelOf = useMemo(() => {
    const labels = new Map<string, string>();
    for (const r of rows) {
      if (r.node === 'party') labels.set(r.key, r.party.name);
      else if (r.item.inScope) labels.set(r.key, r.item.referenceNo ?? r.item.caseNo ?? r.item.title ?? r.key);
      else
        labels.set(r.key, t('chain.hiddenLabel', { name: r.item.holdingAgency?.name, region: r.item.holdingAgency?.regionCode }));
    }
    return labels;
  }, [rows, t]);
  const regions = useMemo(
    () => [...new Set(chain.cases.filter((c) => c.inScope).map(caseRegion))].filter(Boolean).sort() as string[],
    [chain],
  );

  const pathOf = (key: string): string | undefined => {
    const row = rows.find((r) => r.key === key);
    if (!row) return undefined;
    if (row.node === 'party') return partyLinks ? `/parties/${row.party.id}/chain` : undefined;
    if (!row.item.inScope || !row.item.id) return undefined;
    return row.item.type === 'referral' ? `/referrals/${row.item.id}` : `/admin-cases/${row.item.id}`;
  };

  const option: ChartOption = useMemo(() => {
    const categories = [
      { name: t('chain.party'), itemStyle: { color: PARTY_COLOR } },
      { name: t('chain.outOfScope'), itemStyle: { color: HIDDEN_COLOR } },
      ...regions.map((code, i) => ({
        name: t('chain.region', { code }),
        itemStyle: { color: REGION_COLORS[i % REGION_COLORS.length] },
      })),
    ];
    const data = rows.map((r) => {
      const size = r.key === focus ? 44 : 30;
      if (r.node === 'party')
        return { id: r.key, name: labelOf.get(r.key)!, category: 0, symbol: 'circle', symbolSize: size - 6 };
      if (!r.item.inScope)
        return {
          id: r.key,
          name: labelOf.get(r.key)!,
          category: 1,
          symbol: 'rect',
          symbolSize: size,
          itemStyle: { borderType: 'dashed' as const, borderColor: '#595959', borderWidth: 2, opacity: 0.8 },
        };
      const state = r.item.state;
      return {
        id: r.key,
        name: labelOf.get(r.key)!,
        category: 2 + regions.indexOf(caseRegion(r.item) ?? ''),
        symbol: r.item.type === 'referral' ? 'roundRect' : 'diamond',
        symbolSize: size,
        // the state as the border, in the hue of its tag
        itemStyle: state ? { borderColor: TONES[STATE_TONES[state] ?? 'default'][0], borderWidth: 4 } : undefined,
      };
    });
    return {
      tooltip: { renderMode: 'richText', trigger: 'item' },
      legend: { type: 'scroll', bottom: 0, data: categories.map((c) => c.name) },
      series: [
        {
          type: 'graph',
          layout: 'force',
          roam: true,
          draggable: true,
          force: { repulsion: 260, edgeLength: [70, 140], gravity: 0.08 },
          label: { show: true, position: 'bottom', fontSize: 11, color: '#262626' },
          categories,
          data,
          links: chain.edges.map((e) => ({
            source: e.source,
            target: e.target,
            lineStyle: {
              color: EDGE_COLOR[e.match],
              type: e.match === 'confirmed' ? ('solid' as const) : ('dashed' as const),
              width: e.match === 'confirmed' ? 2 : 1.5,
            },
          })),
        },
      ],
    };
  }, [chain, rows, labelOf, regions, focus, t]);

  const onClick = (item: ChartClick) => {
    const id = item.dataType === 'node' ? (item.data as { id?: string } | undefined)?.id : undefined;
    const path = id ? pathOf(id) : undefined;
    if (path) void navigate(path);
  };

  const neighbours = (key: string) =>
    chain.edges
      .filter((e) => e.source === key || e.target === key)
      .map((e) => `${labelOf.get(e.source === key ? e.target : e.source) ?? '?'}（${t(`chain.match.${e.match}`)}）`);

  return (
    <div data-testid="chain-graph">
      <EChart option={option} label={t('chain.graphLabel', { count: rows.length })} height={height} onClick={onClick} />
      <Space wrap size="middle" style={{ margin: '4px 0 12px' }} aria-hidden>
        {(['confirmed', 'possible'] as const).map((m) => (
          <span key={m}>
            <svg width="36" height="10" role="presentation">
              <line
                x1="0"
                y1="5"
                x2="36"
                y2="5"
                stroke={EDGE_COLOR[m]}
                strokeWidth={m === 'confirmed' ? 2 : 1.5}
                strokeDasharray={m === 'confirmed' ? undefined : '5 3'}
              />
            </svg>{' '}
            <Typography.Text type="secondary">{t(`chain.match.${m}`)}</Typography.Text>
          </span>
        ))}
        <Typography.Text type="secondary">{t('chain.legendHelp')}</Typography.Text>
      </Space>
      <Table<Row>
        size="small"
        rowKey="key"
        pagination={false}
        scroll={{ x: 760 }}
        data-testid="chain-table"
        dataSource={rows}
        rowClassName={(r) => (r.node === 'case' && !r.item.inScope ? 'caselink-out-of-scope' : '')}
        columns={[
          {
            title: t('chain.node'),
            render: (_, r) =>
              r.node === 'party'
                ? t(`suspectKind.${r.party.kind}`)
                : r.item.inScope
                  ? t(`chain.type.${r.item.type}`)
                  : t('chain.hiddenCase', { type: t(`chain.type.${r.item.type}`) }),
          },
          {
            title: t('chain.name'),
            render: (_, r) => {
              const path = pathOf(r.key);
              const label = labelOf.get(r.key);
              return path ? <Link to={path}>{label}</Link> : label;
            },
          },
          {
            title: t('chain.detail'),
            render: (_, r) =>
              r.node === 'party' ? (
                <span className="caselink-mono">{r.party.identifier ?? t('chain.byName')}</span>
              ) : r.item.inScope ? (
                r.item.title
              ) : (
                <span className="caselink-mono">{r.item.sharedIdentifier ?? '—'}</span>
              ),
          },
          {
            title: t('chain.regionCol'),
            render: (_, r) => (r.node === 'case' ? (caseRegion(r.item) ?? '—') : '—'),
          },
          {
            title: t('referral.state'),
            render: (_, r) => (r.node === 'case' && r.item.state ? <StateTag state={r.item.state} /> : '—'),
          },
          {
            title: t('chain.agency'),
            render: (_, r) =>
              r.node === 'party'
                ? '—'
                : r.item.inScope
                  ? (r.item.targetAgency ?? r.item.agency)?.name
                  : r.item.holdingAgency?.name,
          },
          { title: t('chain.linkedTo'), render: (_, r) => neighbours(r.key).join('；') },
        ]}
      />
    </div>
  );
}
