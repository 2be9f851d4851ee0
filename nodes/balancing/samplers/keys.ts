/** Balancing keys: by class (y) or by group (y, a). */
import { groupIds, nGroups, type BalancingData } from '../dataset.ts';
import { z } from 'zod';

export const balanceBy = z.enum(['class', 'group']);
export type BalanceBy = z.output<typeof balanceBy>;

export function balanceKeys(data: BalancingData, by: BalanceBy): { keys: Int32Array; k: number } {
  return by === 'group'
    ? { keys: groupIds(data.train, data.nAttributes), k: nGroups(data) }
    : { keys: data.train.y, k: data.nLabels };
}
