/**
 * Opening a store probes that it is writable. Worker threads share the process id and open the
 * store at the same moment when a run starts: no opener may remove another's probe file (that
 * failed tasks with "not writable (ENOENT)" about once in 30 runs of a two-worker pipeline).
 */
import { describe, expect, it } from 'vitest';
import { Store } from '../../engine/store/store.ts';
import { tempStore } from './helpers.ts';

describe('Store.open', () => {
  it('succeeds for many concurrent openers of one new store in one process', async () => {
    for (let round = 0; round < 5; round++) {
      const root = tempStore();
      const opened = await Promise.allSettled(Array.from({ length: 24 }, () => Store.open(root, { durability: 'none' })));
      const failures = opened.filter((r) => r.status === 'rejected').map((r) => String((r as PromiseRejectedResult).reason));
      expect(failures).toEqual([]);
    }
  });
});
