/** Mean ± standard deviation over seeds of the final accuracy and sparsity, per (form, width, α). */
import { z } from 'zod';
import type { Table } from 'apache-arrow';
import { defineNode } from '../../engine/node.ts';
import { table } from '../../engine/ports.ts';
import { columnsTable, numericColumn, tableMetadata } from '../../engine/table.ts';

export interface CurvePoint {
  readonly l1Form: string;
  readonly width: number;
  readonly alpha: number;
  readonly seeds: number;
  readonly accuracyMean: number;
  readonly accuracyStd: number;
  readonly sparsityMean: number;
  readonly sparsityStd: number;
}

/** sample standard deviation (n − 1), 0 for a single seed */
function meanStd(values: readonly number[]): [number, number] {
  const n = values.length;
  const mean = values.reduce((a, b) => a + b, 0) / n;
  if (n < 2) return [mean, 0];
  const ss = values.reduce((a, v) => a + (v - mean) ** 2, 0);
  return [mean, Math.sqrt(ss / (n - 1))];
}

export function curvePoints(runs: Table): CurvePoint[] {
  const form = runs.getChild('l1Form')!;
  const width = numericColumn(runs, 'width'), alpha = numericColumn(runs, 'alpha');
  const acc = numericColumn(runs, 'testAccuracy'), sp = numericColumn(runs, 'sparsity');
  const groups = new Map<string, { l1Form: string; width: number; alpha: number; acc: number[]; sp: number[] }>();
  for (let i = 0; i < runs.numRows; i++) {
    const f = String(form.get(i));
    const key = `${f}|${width[i]}|${alpha[i]}`;
    let g = groups.get(key);
    if (!g) groups.set(key, (g = { l1Form: f, width: width[i]!, alpha: alpha[i]!, acc: [], sp: [] }));
    g.acc.push(acc[i]!);
    g.sp.push(sp[i]!);
  }
  return [...groups.values()].map((g) => {
    const [accuracyMean, accuracyStd] = meanStd(g.acc);
    const [sparsityMean, sparsityStd] = meanStd(g.sp);
    return { l1Form: g.l1Form, width: g.width, alpha: g.alpha, seeds: g.acc.length, accuracyMean, accuracyStd, sparsityMean, sparsityStd };
  });
}

export const sweepCurve = defineNode({
  name: 'sparse/sweep-curve',
  version: 1,
  description: 'final test accuracy and sparsity against α: mean and sample std over seeds per penalty form and width',
  module: import.meta.url,
  params: z.object({}),
  inputs: { runs: table },
  output: table,
  run(ctx) {
    const points = curvePoints(ctx.inputs.runs);
    const col = <K extends keyof CurvePoint>(k: K) => points.map((p) => p[k]);
    return columnsTable(
      {
        l1Form: col('l1Form'),
        width: col('width'),
        alpha: col('alpha'),
        seeds: col('seeds'),
        accuracyMean: col('accuracyMean'),
        accuracyStd: col('accuracyStd'),
        sparsityMean: col('sparsityMean'),
        sparsityStd: col('sparsityStd'),
      },
      { ...(tableMetadata(ctx.inputs.runs) as object), std: 'sample standard deviation over seeds (n − 1); 0 for one seed' },
    );
  },
});
