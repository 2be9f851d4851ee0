/** Helpers shared by the figure nodes: reading gathered tables, averaging over seeds, styling. */
import type { Table } from 'apache-arrow';
import type { GatheredValue } from '../../../engine/ports.ts';
import { numericColumn, tableMetadata } from '../../../engine/table.ts';

export type Meta = Record<string, unknown>;

export function metaOf(t: Table): Meta {
  return (tableMetadata(t) ?? {}) as Meta;
}

export interface SeedStats {
  readonly x: Float64Array;
  readonly mean: Float64Array;
  readonly std: Float64Array;
  readonly count: number;
}

/** Mean and (population, as numpy's default) standard deviation of a column across tables sharing an x grid. */
export function statsOverSeeds(tables: readonly Table[], xName: string, yName: string): SeedStats {
  if (tables.length === 0) throw new Error('no tables to average');
  const x = numericColumn(tables[0]!, xName);
  const m = x.length;
  const mean = new Float64Array(m), sq = new Float64Array(m);
  for (const t of tables) {
    const tx = numericColumn(t, xName);
    if (tx.length !== m || tx.some((v, i) => v !== x[i])) throw new Error(`tables to average have different "${xName}" grids`);
    const y = numericColumn(t, yName);
    for (let i = 0; i < m; i++) {
      mean[i]! += y[i]!;
      sq[i]! += y[i]! * y[i]!;
    }
  }
  const n = tables.length;
  const std = new Float64Array(m);
  for (let i = 0; i < m; i++) {
    mean[i]! /= n;
    std[i] = Math.sqrt(Math.max(0, sq[i]! / n - mean[i]! * mean[i]!));
  }
  return { x, mean, std, count: n };
}

/** Group gathered values by the value of one sweep axis (or metadata key), in first-seen order. */
export function groupBy<V>(values: ReadonlyArray<GatheredValue<V>>, key: (v: GatheredValue<V>) => string | number): Map<string | number, V[]> {
  const out = new Map<string | number, V[]>();
  for (const v of values) {
    const k = key(v);
    if (!out.has(k)) out.set(k, []);
    out.get(k)!.push(v.value);
  }
  return out;
}

export function kappaLabel(k: number): string {
  return `κ=${k >= 1e4 ? k.toExponential(0).replace('e+', 'e') : k}`;
}

/** A thesis-vs-code record for the metadata: which value ran, and what each source says. */
export function sourceValues(used: Meta, paper: Record<string, { thesis: unknown; code: unknown }>): Meta {
  const out: Meta = {};
  for (const [k, v] of Object.entries(paper)) out[k] = { used: used[k], thesis: v.thesis, code: v.code, default: 'code' };
  return out;
}

export const PALETTE = ['#1f77b4', '#ff7f0e', '#2ca02c', '#d62728', '#9467bd', '#8c564b', '#e377c2'];

export const axisStyle = { grid: true, gridDash: [3, 3], gridOpacity: 0.5 };
