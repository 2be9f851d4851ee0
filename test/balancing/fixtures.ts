/** Small hand-made datasets for the balancing tests. */
import type { BalancingData, Split } from '../../nodes/balancing/dataset.ts';

/** A training split with the given group counts [y][a] (features: one zero column). */
export function dataWithCounts(counts: readonly (readonly number[])[]): BalancingData {
  const y: number[] = [], a: number[] = [];
  counts.forEach((row, yy) => row.forEach((c, aa) => { for (let i = 0; i < c; i++) { y.push(yy); a.push(aa); } }));
  const split: Split = { n: y.length, d: 1, x: new Float32Array(y.length), y: Int32Array.from(y), a: Int32Array.from(a) };
  return { train: split, val: split, test: split, nLabels: counts.length, nAttributes: counts[0]!.length };
}
