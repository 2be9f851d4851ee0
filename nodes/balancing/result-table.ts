/**
 * The thesis-style table (ch. 8, Table 2) as Arrow: one row per method with the selected
 * configuration, test worst-group accuracy mean ± std over seeds, the block's Alexander–Govern
 * result (or why it is untestable; numbers are null then, never a bare NaN), and the thesis'
 * value beside it when the dataset is one of the thesis' benchmarks.
 */
import type { Table, Vector } from 'apache-arrow';
import { arrow } from '../../engine/arrow.ts';
import { withMetadata } from '../../engine/table.ts';
import type { BlockTest } from './block-test.ts';
import { matchThesisDataset, THESIS_WORST_GROUP } from './reference-table.ts';
import type { MethodResult } from './summary.ts';

export interface StudyTable {
  readonly dataset: string;
  readonly results: readonly MethodResult[];
  readonly blocks: { readonly withoutAttributes: BlockTest; readonly withAttributes: BlockTest };
  readonly metadata: Readonly<Record<string, unknown>>;
}

const pct = (x: number | undefined) => (x === undefined || Number.isNaN(x) ? null : 100 * x);

export function studyTable(s: StudyTable): Table {
  const { Bool, Float64, Int32, Table, Utf8, vectorFromArray } = arrow();
  const thesis = matchThesisDataset(s.dataset);
  const rows = s.results.map((r) => {
    const block = r.usesAttributes ? s.blocks.withAttributes : s.blocks.withoutAttributes;
    const ref = thesis ? THESIS_WORST_GROUP[r.method]?.[thesis] : undefined;
    return { r, block, ref };
  });
  const col = <T>(f: (row: (typeof rows)[number]) => T) => rows.map(f);
  const vectors: Record<string, Vector> = {
    dataset: vectorFromArray(col(() => s.dataset), new Utf8()),
    method: vectorFromArray(col(({ r }) => r.method), new Utf8()),
    uses_attributes: vectorFromArray(col(({ r }) => r.usesAttributes), new Bool()),
    selector: vectorFromArray(col(({ r }) => r.selector), new Utf8()),
    config: vectorFromArray(col(({ r }) => JSON.stringify(r.config)), new Utf8()),
    configs_tried: vectorFromArray(col(({ r }) => r.configsTried), new Int32()),
    seeds: vectorFromArray(col(({ r }) => r.testWorstGroup.length), new Int32()),
    test_worst_group_mean: vectorFromArray(col(({ r }) => pct(r.mean)), new Float64()),
    test_worst_group_std: vectorFromArray(col(({ r }) => pct(r.std)), new Float64()),
    test_worst_group_per_seed: vectorFromArray(col(({ r }) => r.testWorstGroup.map((x) => (100 * x).toFixed(2)).join(' ')), new Utf8()),
    selected_epochs: vectorFromArray(col(({ r }) => r.selectedEpochs.join(' ')), new Utf8()),
    block: vectorFromArray(col(({ r }) => (r.usesAttributes ? 'with attributes' : 'without attributes')), new Utf8()),
    block_test: vectorFromArray(col(({ block }) => (block.testable ? 'alexander-govern' : 'untestable')), new Utf8()),
    block_statistic: vectorFromArray(col(({ block }) => (block.testable ? block.statistic : null)), new Float64()),
    block_pvalue: vectorFromArray(col(({ block }) => (block.testable ? block.pvalue : null)), new Float64()),
    block_significant: vectorFromArray(col(({ block }) => (block.testable ? block.significant : null)), new Bool()),
    block_untestable_reason: vectorFromArray(col(({ block }) => (block.testable ? null : block.reason)), new Utf8()),
    thesis_dataset: vectorFromArray(col(() => thesis ?? null), new Utf8()),
    thesis_mean: vectorFromArray(col(({ ref }) => ref?.[0] ?? null), new Float64()),
    thesis_std: vectorFromArray(col(({ ref }) => ref?.[1] ?? null), new Float64()),
  };
  return withMetadata(new Table(vectors), { ...s.metadata, dataset: s.dataset, thesisDataset: thesis ?? null, units: 'percent', blocks: s.blocks });
}
