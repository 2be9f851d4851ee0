/**
 * Gathers every training cell of the sweep into one table, a row per run with its final-epoch
 * numbers. Each run's own metadata (not the sweep coordinates) says what it was, so the table is
 * right whichever params a pipeline chose to sweep.
 */
import { z } from 'zod';
import { defineNode } from '../../engine/node.ts';
import { many, table } from '../../engine/ports.ts';
import { columnsTable, numericColumn, tableMetadata } from '../../engine/table.ts';
import { L1_FORM_DESCRIPTIONS } from './l1-forms.ts';

interface RunMeta {
  width: number;
  alpha: number;
  seed: number;
  l1Form: 'notebook' | 'elementwise';
  epochs: number;
  backend: string;
  trainCount: number;
  testCount: number;
  lr: number;
  batchSize: number;
  sparsityThreshold: number;
  data: unknown;
}

export const sweepRuns = defineNode({
  name: 'sparse/sweep-runs',
  version: 1,
  description: 'one row per trained network: width, α, seed, penalty form, final test accuracy and sparsity',
  module: import.meta.url,
  params: z.object({}),
  inputs: { runs: many(table) },
  output: table,
  run(ctx) {
    const rows = ctx.inputs.runs
      .map(({ value }) => {
        const meta = tableMetadata(value) as RunMeta;
        const last = (name: string) => {
          const c = numericColumn(value, name);
          return c[c.length - 1]!;
        };
        return { meta, testAccuracy: last('testAccuracy'), testLoss: last('testLoss'), trainLoss: last('trainLoss'), sparsity: last('sparsity') };
      })
      .sort((a, b) => a.meta.l1Form.localeCompare(b.meta.l1Form) || b.meta.width - a.meta.width || a.meta.alpha - b.meta.alpha || a.meta.seed - b.meta.seed);
    if (rows.length === 0) throw new Error('sparse/sweep-runs: no runs gathered');
    const first = rows[0]!.meta;
    const forms = [...new Set(rows.map((r) => r.meta.l1Form))];
    return columnsTable(
      {
        l1Form: rows.map((r) => r.meta.l1Form),
        width: rows.map((r) => r.meta.width),
        alpha: rows.map((r) => r.meta.alpha),
        seed: rows.map((r) => r.meta.seed),
        testAccuracy: rows.map((r) => r.testAccuracy),
        sparsity: rows.map((r) => r.sparsity),
        testLoss: rows.map((r) => r.testLoss),
        trainLoss: rows.map((r) => r.trainLoss),
      },
      {
        study: 'sparse-double-descent',
        runs: rows.length,
        l1Forms: Object.fromEntries(forms.map((f) => [f, L1_FORM_DESCRIPTIONS[f]])),
        epochs: first.epochs,
        lr: first.lr,
        batchSize: first.batchSize,
        sparsityThreshold: first.sparsityThreshold,
        backends: [...new Set(rows.map((r) => r.meta.backend))],
        trainCount: first.trainCount,
        testCount: first.testCount,
        data: first.data,
        columns: 'final-epoch values; testAccuracy on the test split, sparsity = fraction of weight-matrix entries with |w| < sparsityThreshold',
      },
    );
  },
});
