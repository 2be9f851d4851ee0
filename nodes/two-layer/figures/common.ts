/** Helpers shared by the study's figures: gathered one-row tables, long-format columns, styling. */
import type { Table } from 'apache-arrow';
import type { GatheredValue } from '../../../engine/ports.ts';
import { tableMetadata } from '../../../engine/table.ts';
import { tableRows } from '../../plots/index.ts';

export type Row = Record<string, unknown>;

/** every row of every gathered table, as plain objects */
export function gatheredRows(values: ReadonlyArray<GatheredValue<Table>>): Row[] {
  return values.flatMap((v) => tableRows(v.value));
}

export function firstMeta(values: ReadonlyArray<GatheredValue<Table>>): Record<string, unknown> {
  return (values[0] ? tableMetadata(values[0].value) : {}) as Record<string, unknown>;
}

/** long-format columns: one row per plotted point or line vertex */
export class LongColumns {
  readonly panel: string[] = [];
  readonly series: string[] = [];
  readonly source: string[] = [];
  readonly x: number[] = [];
  readonly y: number[] = [];
  readonly lo: number[] = [];
  readonly hi: number[] = [];

  push(panel: string, series: string, source: string, x: number, y: number, sem = Number.NaN): void {
    this.panel.push(panel);
    this.series.push(series);
    this.source.push(source);
    this.x.push(x);
    this.y.push(y);
    this.lo.push(y - 2 * sem);
    this.hi.push(y + 2 * sem);
  }

  columns() {
    return { panel: this.panel, series: this.series, source: this.source, x: this.x, y: this.y, lo: this.lo, hi: this.hi };
  }
}

/** n points log-spaced over [from, to], leaving out a window of relative half-width `gap` around 1 */
export function logGridAvoidingOne(from: number, to: number, points: number, gap = 0.004): number[] {
  const out: number[] = [];
  for (let i = 0; i < points; i++) {
    const g = from * (to / from) ** (i / (points - 1));
    if (Math.abs(g - 1) > gap) out.push(g);
  }
  return out;
}

export const PALETTE = ['#1f77b4', '#ff7f0e', '#2ca02c', '#d62728', '#9467bd', '#8c564b'];
export const axisStyle = { grid: true, gridDash: [3, 3], gridOpacity: 0.5 };

export const gammaLabel = (g: number) => `γ₁ = ${g}`;

/**
 * Layers for one panel: theory lines, simulation points with ±2 SE error bars. Lines are clipped
 * to the plot; points outside the y domain are left out and bars clamped instead, because resvg
 * aborts the process on a clipped mark that lies wholly outside its clip rectangle.
 */
export function panelLayers(o: { panel: string; xTitle: string; yTitle: string; yDomain: [number, number]; xLog: boolean; xDomain?: [number, number]; color: Record<string, unknown> }) {
  const [y0, y1] = o.yDomain;
  const x = { field: 'x', type: 'quantitative', title: o.xTitle, scale: { ...(o.xLog ? { type: 'log' } : { zero: false }), ...(o.xDomain ? { domain: o.xDomain, nice: false } : {}) }, axis: axisStyle };
  const y = { field: 'y', type: 'quantitative', title: o.yTitle, scale: { domain: o.yDomain }, axis: axisStyle };
  const only = (source: string) => [{ filter: `datum.panel === '${o.panel}'` }, { filter: `datum.source === '${source}'` }];
  const inside = [...only('simulation'), { filter: `datum.y >= ${y0} && datum.y <= ${y1}` }];
  const bars = [...inside, { calculate: `max(datum.lo, ${y0})`, as: 'loC' }, { calculate: `min(datum.hi, ${y1})`, as: 'hiC' }, { filter: 'datum.hiC > datum.loC' }];
  return {
    layer: [
      { transform: only('theory'), mark: { type: 'line', strokeWidth: 1.8, clip: true }, encoding: { x, y, color: o.color, detail: { field: 'series' } } },
      { transform: only('theory, finite n'), mark: { type: 'line', strokeWidth: 1.4, strokeDash: [5, 3], clip: true }, encoding: { x, y, color: o.color, detail: { field: 'series' } } },
      { transform: bars, mark: { type: 'rule' }, encoding: { x, y: { field: 'loC', type: 'quantitative', scale: { domain: o.yDomain } }, y2: { field: 'hiC' }, color: o.color } },
      { transform: inside, mark: { type: 'point', filled: true, size: 28 }, encoding: { x, y, color: o.color } },
    ],
  };
}
