/**
 * For `featureflow report`: the thesis' Table 2 (test worst-group accuracy on the four real
 * benchmarks) beside this run's table, method by method.
 */
import type { Table } from 'apache-arrow';
import type { ReferenceBlock } from '../../engine/report/model.ts';
import { matchThesisDataset, THESIS_DATASETS, THESIS_WORST_GROUP } from './reference-table.ts';

const pm = (mean: unknown, std: unknown) => (typeof mean === 'number' ? `${mean.toFixed(1)} ± ${typeof std === 'number' ? std.toFixed(1) : '?'}` : '—');

export function reportReferences(outputs: ReadonlyMap<string, readonly unknown[]>): ReferenceBlock[] {
  const table = outputs.get('table')?.[0] as Table | undefined;
  if (!table) return [];
  const rows = table.toArray().map((r) => r.toJSON() as Record<string, unknown>);
  const dataset = String(rows[0]?.dataset ?? 'ours');
  const thesis = matchThesisDataset(dataset);
  return [
    {
      output: 'table',
      title: 'Thesis Table 2: test worst-group accuracy (%), mean ± std over 5 seeds',
      columns: ['method', `this run (${dataset})`, ...THESIS_DATASETS.map((d) => `thesis ${d}`)],
      rows: rows.map((r) => {
        const ref = THESIS_WORST_GROUP[String(r.method)];
        return [r.method, pm(r.test_worst_group_mean, r.test_worst_group_std), ...THESIS_DATASETS.map((d) => (ref ? pm(ref[d][0], ref[d][1]) : '—'))];
      }),
      note: thesis
        ? `this run's dataset is the thesis' ${thesis}: compare with that column`
        : 'the thesis reports the four real benchmarks only; the synthetic example (eq. 8.4.1) has no published numbers, so compare the ranking of the methods, not the values',
    },
  ];
}
