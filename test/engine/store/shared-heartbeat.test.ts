/**
 * Heartbeats across hosts (issue 17, point 1): a holder on another host is judged by its
 * heartbeat counter, watched on the judge's own clock — never by comparing clocks, never by a
 * pid that means nothing here. A live holder whose main thread is blocked is not taken over, by
 * a judge whose clock runs five minutes ahead; a killed one is.
 */
import { spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { silentFor } from '../../../engine/store/heartbeat.ts';
import { HOST, BOOT_ID } from '../../../engine/store/process-identity.ts';
import { Store } from '../../../engine/store/store.ts';
import { tempStore } from '../helpers.ts';
import { requireFaketime, spawnHost, TEST_STALE_MS, type HostProcess } from './shared-procs.ts';

const spawned: HostProcess[] = [];
afterEach(() => {
  for (const p of spawned.splice(0)) p.child.kill('SIGKILL');
});

// this process judges too: the stale time is read on each call
const before = process.env.FEATUREFLOW_TEST_LOCK_STALE_MS;
beforeAll(() => void (process.env.FEATUREFLOW_TEST_LOCK_STALE_MS = String(TEST_STALE_MS)));
afterAll(() => {
  if (before === undefined) delete process.env.FEATUREFLOW_TEST_LOCK_STALE_MS;
  else process.env.FEATUREFLOW_TEST_LOCK_STALE_MS = before;
});

const key = (c: string) => c.repeat(64);

async function holdOn(root: string, k: string, blockMs: number): Promise<{ holder: HostProcess; id: string }> {
  const holder = spawnHost('alpha', ['hold', root, k, String(blockMs)]);
  spawned.push(holder);
  const line = await holder.firstLine;
  expect(line, (await Promise.race([holder.exited, Promise.resolve({ out: '' })])).out).toMatch(/^held /);
  return { holder, id: line.slice('held '.length) };
}

async function judgeFor(root: string, k: string, maxMs: number, skew?: string): Promise<{ held: boolean; waitedMs: number }> {
  const judge = spawnHost('beta', ['judge', root, k, String(maxMs)], skew ? { skew } : {});
  spawned.push(judge);
  const r = await judge.exited;
  expect(r.code, r.out).toBe(0);
  return JSON.parse(r.out.trim().split('\n').at(-1)!) as { held: boolean; waitedMs: number };
}

describe('watching a heartbeat', () => {
  it('counts only time the judge was watching: a 40 s stall of its own is 1 s of evidence, and a change starts the count again', () => {
    let now = 0;
    const clock = vi.spyOn(performance, 'now').mockImplementation(() => now);
    try {
      const poll = (seen: string, afterMs: number) => ((now += afterMs), silentFor('subject', seen, 30_000));
      expect(poll('beat 7', 0)).toBe(false);
      expect(poll('beat 7', 40_000)).toBe(false); // the judge (and maybe the holder) was frozen
      let polls = 0;
      while (!poll('beat 7', 500)) polls++;
      expect(polls).toBe(57); // 1 s + 58 × 0.5 s reaches 30 s
      expect(poll('beat 8', 500)).toBe(false);
      expect(poll('beat 8', 25_000)).toBe(false);
    } finally {
      clock.mockRestore();
    }
  });
});

describe('heartbeats across hosts', () => {
  it('a judge 5 min ahead never takes a lock whose holder lives with a blocked main thread, and takes it once the holder is killed', { timeout: 60_000 }, async () => {
    requireFaketime();
    const root = tempStore();
    const k = key('a');
    const { holder } = await holdOn(root, k, 2 * TEST_STALE_MS);
    // watched for more than the stale time while the holder's main thread is blocked throughout
    expect(await judgeFor(root, k, 1.5 * TEST_STALE_MS, '+5m')).toMatchObject({ held: false });
    holder.child.kill('SIGKILL');
    await holder.exited;
    expect(await judgeFor(root, k, 10 * TEST_STALE_MS, '+5m')).toMatchObject({ held: true });
  });

  it('a lock from a host that shares our hostname (a container) is judged by its heartbeat, not by a pid that is dead here', { timeout: 60_000 }, async () => {
    const root = tempStore();
    const store = await Store.open(root, { durability: 'none' });
    const { holder, id } = await holdOn(root, key('b'), 0);
    const deadHere = spawnSync('true').pid!;
    const k = key('c');
    // what a holder in another container with our hostname and a pid number free here writes:
    // it beats through the record of the live process `id`
    const foreign = { format: 'featureflow-lock/2', token: 'container-lock', process: id, space: `${BOOT_ID ?? 'x'}-ns1`, host: HOST, bootId: BOOT_ID, pid: deadHere, pidStart: null, since: '' };
    writeFileSync(store.lockPath(k), JSON.stringify(foreign));
    const first = await store.tryLock(k);
    expect(first.holder).toMatchObject({ host: HOST, pid: deadHere, state: 'remote' });
    const until = performance.now() + 1.5 * TEST_STALE_MS;
    while (performance.now() < until) {
      expect((await store.tryLock(k)).held).toBeUndefined();
      await new Promise((r) => setTimeout(r, 25));
    }
    holder.child.kill('SIGKILL');
    await holder.exited;
    const gaveUp = performance.now() + 10 * TEST_STALE_MS;
    let taken = await store.tryLock(k);
    while (!taken.held && performance.now() < gaveUp) {
      await new Promise((r) => setTimeout(r, 25));
      taken = await store.tryLock(k);
    }
    expect(taken.held).toBeDefined();
    await taken.held!.release();
  });
});
