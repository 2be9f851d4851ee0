/**
 * Model selection over the epochs of one run: the epoch with the best validation worst-group
 * accuracy (a later epoch wins ties, as `>=` in the authors' code), the best validation average
 * accuracy (no attributes needed), or simply the last epoch.
 */
import { z } from 'zod';
import { worstGroup } from './evaluate.ts';

export const selector = z.enum(['worst-group-val', 'average-val', 'last']);
export type Selector = z.output<typeof selector>;
export const SELECTORS: readonly Selector[] = selector.options;

export interface EpochCurves {
  readonly groupAccuracy: { readonly val: readonly (readonly number[])[] };
  readonly averageAccuracy: { readonly val: readonly number[] };
}

export function selectionScore(run: EpochCurves, sel: Selector, epoch: number): number {
  if (sel === 'worst-group-val') return worstGroup(run.groupAccuracy.val[epoch]!);
  if (sel === 'average-val') return run.averageAccuracy.val[epoch]!;
  return epoch;
}

export function selectEpoch(run: EpochCurves, sel: Selector): number {
  const epochs = run.averageAccuracy.val.length;
  if (epochs === 0) throw new Error('selectEpoch: the run has no epochs');
  if (sel === 'last') return epochs - 1;
  let best = 0, bestScore = -Infinity;
  for (let e = 0; e < epochs; e++) {
    const s = selectionScore(run, sel, e);
    if (s >= bestScore) {
      bestScore = s;
      best = e;
    }
  }
  return best;
}
