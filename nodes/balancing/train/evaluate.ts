/** Per-group accuracy of a head on a split; worst-group accuracy is the minimum. */
import type { Head, PreparedSplit } from '../model/head.ts';

export interface SplitAccuracy {
  /** accuracy per group id (NaN for a group with no examples) */
  readonly groups: number[];
  readonly average: number;
}

export function groupAccuracy(head: Head, split: PreparedSplit, nGroups: number, scratch = new Int32Array(split.n)): SplitAccuracy {
  head.predict(split, scratch);
  const correct = new Array<number>(nGroups).fill(0);
  const total = new Array<number>(nGroups).fill(0);
  for (let i = 0; i < split.n; i++) {
    const g = split.groups[i]!;
    total[g]!++;
    if (scratch[i] === split.y[i]) correct[g]!++;
  }
  const all = correct.reduce((s, c) => s + c, 0);
  return { groups: correct.map((c, g) => (total[g]! > 0 ? c / total[g]! : NaN)), average: all / split.n };
}

export function worstGroup(accuracies: readonly number[]): number {
  let m = Infinity;
  for (const a of accuracies) if (!Number.isNaN(a) && a < m) m = a;
  return m;
}
