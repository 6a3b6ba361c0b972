// ECharts with only the parts the dashboard draws (bar, pie, line; grid, tooltip,
// legend; the canvas renderer, which writes no style attributes the CSP would
// refuse), so its chunk stays small. The chart is an image to
// assistive technology: `label` says what it shows, and every chart on the
// dashboard has the same numbers in a table next to it. The chain graph registers
// its graph series itself (ChainGraph.tsx), so the dashboard does not carry it.
import type { GraphSeriesOption } from 'echarts/charts';
import { BarChart, LineChart, PieChart, type BarSeriesOption, type LineSeriesOption, type PieSeriesOption } from 'echarts/charts';
import {
  GridComponent,
  LegendComponent,
  TooltipComponent,
  type GridComponentOption,
  type LegendComponentOption,
  type TooltipComponentOption,
} from 'echarts/components';
import * as echarts from 'echarts/core';
import { CanvasRenderer } from 'echarts/renderers';
import { Typography } from 'antd';
import { useEffect, useRef } from 'react';

echarts.use([BarChart, LineChart, PieChart, GridComponent, LegendComponent, TooltipComponent, CanvasRenderer]);

export type ChartOption = echarts.ComposeOption<
  | BarSeriesOption
  | LineSeriesOption
  | PieSeriesOption
  | GraphSeriesOption
  | GridComponentOption
  | LegendComponentOption
  | TooltipComponentOption
>;

/** What a click on the chart names: the series' data item it hit. */
export interface ChartClick {
  dataType?: string;
  data?: unknown;
}

interface Props {
  option: ChartOption;
  /** what the chart shows, in words (its accessible name) */
  label: string;
  height?: number;
  /** nothing to draw: this text instead of empty axes */
  empty?: string;
  onClick?: (item: ChartClick) => void;
}

export function EChart({ empty, ...props }: Props) {
  if (empty) {
    return (
      <div style={{ height: props.height ?? 280, display: 'grid', placeItems: 'center' }}>
        <Typography.Text type="secondary">{empty}</Typography.Text>
      </div>
    );
  }
  return <Chart {...props} />;
}

function Chart({ option, label, height = 280, onClick }: Omit<Props, 'empty'>) {
  const ref = useRef<HTMLDivElement>(null);
  const chart = useRef<echarts.ECharts | null>(null);
  const click = useRef(onClick);
  click.current = onClick;

  useEffect(() => {
    const el = ref.current!;
    const instance = echarts.init(el, undefined, { renderer: 'canvas' });
    chart.current = instance;
    instance.on('click', (params) => click.current?.(params as ChartClick));
    // the option as drawn, for the browser tests that check a chart shows nothing it should not
    Object.defineProperty(el, 'chartOption', { configurable: true, get: () => instance.getOption() });
    const observer = new ResizeObserver(() => instance.resize());
    observer.observe(el);
    return () => {
      observer.disconnect();
      instance.dispose();
      chart.current = null;
    };
  }, []);

  useEffect(() => {
    chart.current?.setOption(option, { notMerge: true });
  }, [option]);

  return <div ref={ref} role="img" aria-label={label} style={{ width: '100%', height }} />;
}
