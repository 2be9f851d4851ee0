/**
 * What disks and hostile entries do to the store (issue 12, findings 2 and 4): an odd entry (a
 * directory or a symlink loop where an object or record belongs) reads as corrupt rather than
 * crashing; every failed write is a StoreError naming the path, the store and the fix, and leaves
 * no temp or lock file behind — on a real full disk too (a 2 MB tmpfs, when this runs as root).
 */
import { mkdirSync, readdirSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { checkCache } from '../../../engine/cache.ts';
import { sha256 } from '../../../engine/hash.ts';
import { CorruptObjectError, StoreError } from '../../../engine/store/errors.ts';
import type { TaskRecord } from '../../../engine/store/records.ts';
import { Store } from '../../../engine/store/store.ts';
import { tempStore } from '../helpers.ts';
import { tmpfsOrSkip, type Mount } from './mounts.ts';

const bytes = new TextEncoder().encode('some object');
const hash = sha256(bytes);

function recordFor(key: string, output: string, size: number): TaskRecord {
  return {
    format: 'featureflow-task-record/1', key, task: 't', pipeline: 'p', step: 's',
    components: { domain: 'd', node: 'n', version: '1', code: 'c', deps: {}, params: '{}', inputs: {}, backends: {} } as unknown as TaskRecord['components'],
    params: {}, inputCells: {}, output: { kind: 'json', hash: output, bytes: size },
    timing: { startedAt: '', durationMs: 0 }, host: 'h', pid: 1, versions: { node: 'v', featureflow: '0' },
  };
}

async function open(root = tempStore()): Promise<Store> {
  return Store.open(root, { durability: 'none' });
}

describe('odd entries read as corrupt, never crash', () => {
  it('an object path that is a directory or a symlink loop is a corrupt object', async () => {
    const store = await open();
    mkdirSync(store.objectPath(hash));
    expect(await store.objectState(hash)).toBe('corrupt');
    await expect(store.getObject(hash)).rejects.toBeInstanceOf(CorruptObjectError);
    const loop = sha256(new TextEncoder().encode('loop'));
    symlinkSync(store.objectPath(loop), store.objectPath(loop));
    expect(await store.objectState(loop)).toBe('corrupt');
  });

  it('a task-record path that is a directory or a symlink loop is a corrupt record, and the cache check says so', async () => {
    const store = await open();
    const dirKey = 'ab'.repeat(32);
    const loopKey = 'cd'.repeat(32);
    mkdirSync(store.recordPath(dirKey));
    symlinkSync(store.recordPath(loopKey), store.recordPath(loopKey));
    expect(await store.readRecord(dirKey)).toBe('corrupt');
    expect(await store.readRecord(loopKey)).toBe('corrupt');
    expect((await checkCache(store, dirKey)).state).toBe('record-corrupt');
  });

  it('a record whose object path is a directory is an object-corrupt cache entry', async () => {
    const store = await open();
    const key = 'ef'.repeat(32);
    await store.writeRecord(recordFor(key, hash, bytes.byteLength));
    mkdirSync(store.objectPath(hash));
    expect((await checkCache(store, key)).state).toBe('object-corrupt');
  });
});

describe('failed writes are StoreErrors naming path, store and fix, and leave no temp file', () => {
  it('committing an object onto a directory', async () => {
    const store = await open();
    mkdirSync(store.objectPath(hash));
    const staged = await store.stageObject(bytes);
    const err = await store.commitObject(hash, staged.tmp!).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(StoreError);
    expect(err).toMatchObject({ path: store.objectPath(hash), store: store.root, code: 'EISDIR' });
    expect((err as Error).message).toContain(store.objectPath(hash));
    expect((err as Error).message).toMatch(/remove that entry/);
    expect(readdirSync(join(store.root, 'tmp'))).toEqual([]);
  });

  it('writing a task record onto a directory', async () => {
    const store = await open();
    const key = 'ab'.repeat(32);
    mkdirSync(store.recordPath(key));
    const err = await store.writeRecord(recordFor(key, hash, 1)).catch((e: unknown) => e);
    expect(err).toMatchObject({ name: 'StoreError', path: store.recordPath(key), store: store.root });
    expect(readdirSync(join(store.root, 'tmp'))).toEqual([]);
  });

  it('taking a lock whose path is a directory', async () => {
    const store = await open();
    const key = 'ab'.repeat(32);
    mkdirSync(store.lockPath(key));
    await expect(store.tryLock(key)).rejects.toMatchObject({ name: 'StoreError', path: store.lockPath(key) });
    expect(readdirSync(join(store.root, 'locks'))).toEqual([`${key}.lock`]);
  });
});

describe('a full disk (2 MB tmpfs)', () => {
  let disk: Mount | undefined;
  afterAll(() => disk?.unmount());

  it('makes every write a StoreError that says the disk is full, leaving no temp, lock or owner file', async (ctx) => {
    disk = tmpfsOrSkip(ctx, '2m', 'the full-disk test');
    const store = await open(join(disk.dir, 'store'));
    // fill the disk
    try {
      for (let i = 0; ; i++) writeFileSync(join(disk.dir, `filler-${i}`), new Uint8Array(256 * 1024));
    } catch (err) {
      expect((err as NodeJS.ErrnoException).code).toBe('ENOSPC');
    }
    try {
      for (let i = 0; ; i++) writeFileSync(join(disk.dir, `small-${i}`), new Uint8Array(4096));
    } catch {
      // full to the last page
    }
    const big = new Uint8Array(64 * 1024).fill(7);
    const failures = [
      await store.stageObject(big).catch((e: unknown) => e),
      await store.writeRecord(recordFor('ab'.repeat(32), hash, 1)).catch((e: unknown) => e),
      await store.tryLock('cd'.repeat(32)).catch((e: unknown) => e),
      await store.writeJsonAtomic('runs/p/r.json', { a: 'x'.repeat(10_000) }).catch((e: unknown) => e),
    ];
    for (const err of failures) {
      expect(err).toBeInstanceOf(StoreError);
      expect(err).toMatchObject({ code: 'ENOSPC', store: store.root });
      expect((err as Error).message).toContain(store.root);
      expect((err as Error).message).toMatch(/full: free space, or choose another store with --store DIR/);
    }
    expect(readdirSync(join(store.root, 'tmp'))).toEqual([]);
    expect(readdirSync(join(store.root, 'locks'))).toEqual([]);
    expect(readdirSync(join(store.root, 'tasks', 'ab'))).toEqual([]);
  });
});
