/**
 * What a worker on any host does to a shared store (issue 17, point 1): it commits objects and
 * writes the task record itself, and a task that ran twice (a requeued job) commits harmlessly
 * a second time — one object, the first record, no error. The store names itself once; a read
 * of an object the store expects survives a moment of stale lookups; temp files go only when
 * their owner is provably gone, never by their age.
 */
import { spawnSync } from 'node:child_process';
import { readdirSync, readFileSync, renameSync, statSync, utimesSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { sha256 } from '../../../engine/hash.ts';
import { MissingObjectError, StoreError } from '../../../engine/store/errors.ts';
import { processPath } from '../../../engine/store/heartbeat.ts';
import { PROCESS_ID, SPACE } from '../../../engine/store/process-identity.ts';
import type { TaskRecord } from '../../../engine/store/records.ts';
import { Store } from '../../../engine/store/store.ts';
import { runCli, tempStore } from '../helpers.ts';
import { spawnHost } from './shared-procs.ts';

const bytes = new TextEncoder().encode('a task output');
const hash = sha256(bytes);
const key = 'ab'.repeat(32);

function recordFor(output: string, host: string): TaskRecord {
  return {
    format: 'featureflow-task-record/1', key, task: 't', pipeline: 'p', step: 's',
    components: { domain: 'd', node: 'n', version: '1', code: 'c', deps: {}, params: '{}', inputs: {}, backends: {} } as unknown as TaskRecord['components'],
    params: {}, inputCells: {}, output: { kind: 'json', hash: output, bytes: 1 },
    timing: { startedAt: '', durationMs: 0 }, host, pid: 1, versions: { node: 'v', featureflow: '0' },
  };
}

const open = (root = tempStore()) => Store.open(root, { durability: 'none' });

/** Stage the object without the existence check (what a second run of the task on another host did). */
function stagedCopy(store: Store): string {
  const tmp = join(store.root, 'tmp', `${PROCESS_ID}.copy${Math.random().toString(16).slice(2)}.tmp`);
  writeFileSync(tmp, bytes);
  return tmp;
}

describe('committing on a shared store', () => {
  it('commits the same object twice without error: one object, never replaced, no temp file left', async () => {
    const store = await open();
    const [a, b] = [stagedCopy(store), stagedCopy(store)];
    await store.commitObject(hash, a);
    const inode = statSync(store.objectPath(hash)).ino;
    await store.commitObject(hash, b);
    expect(statSync(store.objectPath(hash)).ino).toBe(inode);
    expect(await store.getObject(hash)).toEqual(bytes);
    expect(readdirSync(join(store.root, 'tmp'))).toEqual([]);
  });

  it('replaces a corrupt object when committing a good copy', async () => {
    const store = await open();
    writeFileSync(store.objectPath(hash), 'rotten');
    await store.commitObject(hash, stagedCopy(store));
    expect(await store.getObject(hash)).toEqual(bytes);
  });

  it('keeps the first record of a task written twice with the same output, and replaces a different or corrupt one', async () => {
    const store = await open();
    await store.writeRecord(recordFor(hash, 'first'));
    const first = readFileSync(store.recordPath(key), 'utf8');
    await store.writeRecord(recordFor(hash, 'second'));
    expect(readFileSync(store.recordPath(key), 'utf8')).toBe(first);
    const other = sha256(new TextEncoder().encode('another output'));
    await store.writeRecord(recordFor(other, 'forced'));
    expect(await store.readRecord(key)).toMatchObject({ host: 'forced', output: { hash: other } });
    writeFileSync(store.recordPath(key), '{"torn');
    await store.writeRecord(recordFor(hash, 'repair'));
    expect(await store.readRecord(key)).toMatchObject({ host: 'repair' });
    expect(readdirSync(join(store.root, 'tmp'))).toEqual([]);
  });
});

describe('the store id', () => {
  it('is made once: hosts opening a new store at the same moment agree on it, and it stays', async () => {
    const root = join(tempStore(), 'new-store');
    const hosts = ['alpha', 'beta', 'gamma', 'delta'].map((h) => spawnHost(h, ['open', root]));
    const ids = (await Promise.all(hosts.map((h) => h.exited))).map((r) => r.out.trim());
    expect(ids[0]).toMatch(/^[0-9a-f-]{36}$/);
    expect(new Set(ids).size).toBe(1);
    expect((await open(root)).id).toBe(ids[0]);
    expect((await Store.open(root, { readOnly: true })).id).toBe(ids[0]);
    const verify = runCli(['verify', '--store', root, '--json']);
    expect(JSON.parse(verify.stdout), verify.stderr).toMatchObject({ type: 'verify', storeId: ids[0] });
  });

  it('an unreadable store.json is an error naming it and the fix', async () => {
    const root = tempStore();
    await open(root);
    writeFileSync(join(root, 'store.json'), '{"form');
    const err = await open(root).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(StoreError);
    expect((err as Error).message).toMatch(/store\.json is not a store id .*remove it and a new id is made/);
  });
});

describe('reads of what the store expects', () => {
  it('finds an object that appears a moment after the read began (a stale lookup on NFS), and reports a missing one', async () => {
    const store = await open();
    const tmp = stagedCopy(store);
    const late = setTimeout(() => renameSync(tmp, store.objectPath(hash)), 60);
    expect(await store.getObject(hash)).toEqual(bytes);
    clearTimeout(late);
    await expect(store.getObject(sha256(new TextEncoder().encode('never written')))).rejects.toBeInstanceOf(MissingObjectError);
  });

  it('finds a record a remote worker reported written when asked to expect it; a plain lookup says absent at once', async () => {
    const store = await open();
    const elsewhere = await open();
    await elsewhere.writeRecord(recordFor(hash, 'remote'));
    const written = elsewhere.recordPath(key);
    const late = join(store.root, 'tmp', `${PROCESS_ID}.late.tmp`);
    renameSync(written, late);
    expect(await store.readRecord(key)).toBeUndefined();
    const moveIn = setTimeout(() => renameSync(late, store.recordPath(key)), 60);
    expect(await store.readRecord(key, { expected: true })).toMatchObject({ host: 'remote' });
    clearTimeout(moveIn);
  });
});

describe('cleaning temp files', () => {
  it('removes only files whose owner is provably gone, however old the others look', async () => {
    const store = await open();
    const tmp = (owner: string) => {
      const p = join(store.root, 'tmp', `${owner}.${Math.random().toString(16).slice(2, 14)}.tmp`);
      writeFileSync(p, 'x');
      utimesSync(p, new Date('2000-01-01'), new Date('2000-01-01')); // "old" by anyone's clock
      return p;
    };
    const record = (id: string, pid: number, space: string | null) =>
      writeFileSync(processPath(store.root, id), `${'0'.repeat(16)}\n${JSON.stringify({ id, host: 'h', space, bootId: null, pid, pidStart: null })}\n`);
    const dead = spawnSync('true').pid!;
    record('dead-here', dead, SPACE);
    record('elsewhere', dead, 'another-machine-ns1');
    writeFileSync(processPath(store.root, 'ended'), '');
    const mine = tmp(PROCESS_ID);
    const foreign = tmp('elsewhere');
    tmp('dead-here');
    tmp('ended');
    tmp('never-registered');
    expect(await store.cleanTmp()).toBe(3);
    expect(readdirSync(join(store.root, 'tmp')).sort()).toEqual([mine, foreign].map((p) => p.split('/').at(-1)).sort());
    expect(readdirSync(join(store.root, 'processes')).sort()).toEqual([PROCESS_ID, 'elsewhere'].sort());
  });
});
