import { useEffect, useRef } from 'react';
import uPlot from 'uplot';
import 'uplot/dist/uPlot.min.css';
import type { AnalyticsTrends, DailyTrend } from '../../lib/protocol/analytics-api';
import { formatCount, formatDay, formatShortDay } from './format';

interface TrendSeries {
  key: 'sessions' | 'visitors' | 'conversions' | 'events';
  label: string;
  color: string;
  /** Events outnumber sessions many times over: they get their own axis, on the right. */
  scale: 'y' | 'events';
}

/** The lines, with colours that keep at least 4.5:1 contrast on white. */
export const TREND_SERIES: readonly TrendSeries[] = [
  { key: 'sessions', label: 'Sessions', color: '#4f46e5', scale: 'y' },
  { key: 'visitors', label: 'Visitors', color: '#0e7490', scale: 'y' },
  { key: 'conversions', label: 'Conversions', color: '#15803d', scale: 'y' },
  { key: 'events', label: 'Events', color: '#c2410c', scale: 'events' },
];

const HEIGHT_PX = 280;
const AXIS_COLOR = '#475569';
const GRID_COLOR = '#e8edf3';
/** Whole numbers only on the count axes. */
const COUNT_INCREMENTS = [1, 2, 5, 10, 20, 50, 100, 200, 500, 1e3, 2e3, 5e3, 1e4, 2e4, 5e4, 1e5, 2e5, 5e5, 1e6, 2e6, 5e6, 1e7];

const secondsOfDay = (day: DailyTrend): number => Date.parse(`${day.date}T00:00:00Z`) / 1000;
const isoDayOfSeconds = (seconds: number): string => new Date(seconds * 1000).toISOString().slice(0, 10);
const countRange = (_u: uPlot, _min: number | null, max: number | null): uPlot.Range.MinMax => [0, Math.max(4, Math.ceil((max ?? 0) * 1.15))];

/** Range totals per series: the legend shows them while no day is hovered. */
type Totals = Record<TrendSeries['key'], number>;

function options(width: number, totals: Totals): uPlot.Options {
  const countAxis = (scale: string, side: 1 | 3): uPlot.Axis => ({
    scale,
    side,
    stroke: AXIS_COLOR,
    grid: { show: side === 3, stroke: GRID_COLOR, width: 1 },
    ticks: { show: false },
    incrs: COUNT_INCREMENTS,
    values: (_u, splits) => splits.map((value) => formatCount(value)),
    size: 48,
  });
  return {
    width,
    height: HEIGHT_PX,
    // Days are UTC days: label the axis in UTC, whatever the viewer's zone.
    tzDate: (seconds) => uPlot.tzDate(new Date(seconds * 1000), 'Etc/UTC'),
    scales: { x: { time: true }, y: { range: countRange }, events: { range: countRange } },
    axes: [
      {
        stroke: AXIS_COLOR,
        grid: { show: false },
        ticks: { stroke: GRID_COLOR, width: 1 },
        space: 56,
        values: (_u, splits) => splits.map((seconds) => formatShortDay(isoDayOfSeconds(seconds))),
      },
      countAxis('y', 3),
      { ...countAxis('events', 1), label: 'Events', labelSize: 18, labelFont: '600 12px system-ui, sans-serif' },
    ],
    series: [
      { label: 'Day', value: (_u, seconds) => (seconds === null ? 'whole range' : formatDay(isoDayOfSeconds(seconds))) },
      ...TREND_SERIES.map(
        (series): uPlot.Series => ({
          label: series.label,
          scale: series.scale,
          stroke: series.color,
          width: 2,
          ...(series.key === 'sessions' ? { fill: 'rgba(79, 70, 229, 0.08)' } : {}),
          ...(series.scale === 'events' ? { dash: [6, 4] } : {}),
          points: { size: 6, fill: '#ffffff' },
          value: (_u, value, _seriesIndex, dataIndex) => formatCount(dataIndex === null ? totals[series.key] : (value ?? 0)),
        }),
      ),
    ],
    cursor: { drag: { x: false, y: false }, points: { size: 8 } },
    legend: { live: true },
  };
}

function totalsOf(trends: AnalyticsTrends): Totals {
  const sum = (key: TrendSeries['key']): number => trends.days.reduce((total, day) => total + day[key], 0);
  return { sessions: sum('sessions'), visitors: sum('visitors'), conversions: sum('conversions'), events: sum('events') };
}

function alignedData(trends: AnalyticsTrends): uPlot.AlignedData {
  return [trends.days.map(secondsOfDay), ...TREND_SERIES.map((series) => trends.days.map((day) => day[series.key]))];
}

/** Sessions, visitors, conversions and events per day: a uPlot line chart, with the numbers as a table for screen readers. */
export function TrendsChart({ trends }: { trends: AnalyticsTrends }) {
  const container = useRef<HTMLDivElement>(null);

  useEffect(() => {
    const element = container.current;
    if (!element) return;
    const chart = new uPlot(options(Math.max(280, element.clientWidth), totalsOf(trends)), alignedData(trends), element);
    const observer = new ResizeObserver(() => chart.setSize({ width: Math.max(280, element.clientWidth), height: HEIGHT_PX }));
    observer.observe(element);
    return () => {
      observer.disconnect();
      chart.destroy();
    };
  }, [trends]);

  return (
    <section className="fwd-panel fwd-trends" data-testid="trends-chart" aria-labelledby="fwd-trends-title">
      <h2 id="fwd-trends-title" className="fwd-panel__title">
        Trends by day
      </h2>
      <p className="fwd-muted fwd-panel__hint">Events use the right-hand axis. Click a legend entry to hide or show its line.</p>
      <div ref={container} className="fwd-chart" aria-hidden="true" />
      <details className="fwd-details">
        <summary>Show the numbers</summary>
        <div className="fwd-table-wrap">
          <table className="fwd-table">
            <caption className="fwd-visually-hidden">Trends by day (UTC)</caption>
            <thead>
              <tr>
                <th scope="col">Day</th>
                {TREND_SERIES.map((series) => (
                  <th key={series.key} scope="col">
                    {series.label}
                  </th>
                ))}
              </tr>
            </thead>
            <tbody>
              {trends.days.map((day) => (
                <tr key={day.date}>
                  <th scope="row">{formatDay(day.date)}</th>
                  {TREND_SERIES.map((series) => (
                    <td key={series.key}>{formatCount(day[series.key])}</td>
                  ))}
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      </details>
    </section>
  );
}
