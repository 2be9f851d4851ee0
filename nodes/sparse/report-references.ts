/**
 * For `featureflow report`: the paper notebook's accuracies beside this run's curve. The notebook
 * gives the shape by ranges of α (shared/science/sparse-double-descent.md), not one number per
 * cell, so each of our cells sits beside the range it should fall in.
 */
import type { Table } from 'apache-arrow';
import type { ReferenceBlock } from '../../engine/report/model.ts';

function notebookRange(alpha: number, width: number): string {
  if (alpha <= 1) return '≈ 85 %';
  if (alpha <= 100) return '10–60 % (the dip)';
  return width >= 25 ? 'recovers (≈ 85 %)' : 'recovers, noisy (narrow model)';
}

const pct = (x: unknown) => (typeof x === 'number' ? `${(x <= 1 ? 100 * x : x).toFixed(1)} %` : '—');

export function reportReferences(outputs: ReadonlyMap<string, readonly unknown[]>): ReferenceBlock[] {
  const table = outputs.get('curve')?.[0] as Table | undefined;
  if (!table) return [];
  const rows = table
    .toArray()
    .map((r) => r.toJSON() as Record<string, unknown>)
    .filter((r) => r.l1Form === 'notebook');
  return [
    {
      output: 'curve',
      title: "Final test accuracy, notebook L1 form: this run beside the paper notebook's",
      columns: ['width', 'α', 'seeds', 'this run (mean)', 'notebook'],
      rows: rows.map((r) => [r.width, r.alpha, r.seeds, pct(r.accuracyMean), notebookRange(Number(r.alpha), Number(r.width))]),
      note: "the notebook is single-seed and reports the curve's shape by ranges of α; small (CI) runs train for fewer epochs and sit below it",
    },
  ];
}
