/**
 * A run on a disk that fills up (issue 12, finding 2): every task that cannot write fails with one
 * line naming the path, the store and the fix; what fit is computed, and served from the cache on
 * the next run; the run ends with a summary; no lock, temp file or run marker is left behind.
 * Needs a 2 MB tmpfs (root; CI runs as root) and says so when it cannot mount one.
 */
import { readdirSync, unlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { Store } from '../../../engine/store/store.ts';
import { ofType, runAll, summaryOf, tinyPipelinePath } from '../helpers.ts';
import { tmpfsOrSkip, type Mount } from './mounts.ts';

describe('a run on a disk that fills up (2 MB tmpfs)', () => {
  let disk: Mount | undefined;
  afterAll(() => disk?.unmount());

  it('fails the tasks that cannot write, naming path, store and fix; keeps what fit; leaves nothing behind', async (ctx) => {
    disk = tmpfsOrSkip(ctx, '2m', 'the full-disk run test');
    const root = join(disk.dir, 'store');
    await Store.open(root);
    try {
      for (let i = 0; ; i++) writeFileSync(join(disk.dir, `filler-${i}`), new Uint8Array(64 * 1024));
    } catch {
      // full
    }
    // completely full (not even a lock fits), then room for some tasks but not all
    for (const room of [false, true]) {
      if (room) unlinkSync(join(disk.dir, 'filler-0'));
      for (const executor of ['in-process', 'threads'] as const) {
        const events = await runAll(tinyPipelinePath, { store: root, executor, concurrency: 2 });
        const summary = summaryOf(events);
        expect(summary.failed).toBeGreaterThan(0);
        for (const f of ofType(events, 'task-failed')) expect(f.error).toMatch(new RegExp(`^store ${root}: cannot .* \\(ENOSPC\\): the disk \\(or quota\\) holding the store is full`));
        if (room) expect(summary.computed + summary.cached).toBeGreaterThan(0);
        expect(readdirSync(join(root, 'locks'))).toEqual([]);
        expect(readdirSync(join(root, 'tmp'))).toEqual([]);
        expect(readdirSync(join(root, 'active'))).toEqual([]);
      }
    }
  });
});
