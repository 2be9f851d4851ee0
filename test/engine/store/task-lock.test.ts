/**
 * The run's wait for a task lock another run holds (issue 12, finding 6): it hears who holds it,
 * once per holder, and ends with the lock, the other run's result, or a cancellation.
 */
import { describe, expect, it } from 'vitest';
import { humanSink } from '../../../engine/cli/progress.ts';
import type { LockHolder } from '../../../engine/store/lock-owner.ts';
import { Store } from '../../../engine/store/store.ts';
import { lockOrWait } from '../../../engine/store/task-lock.ts';
import { tempStore } from '../helpers.ts';

const key = 'ab'.repeat(32);

describe('lockOrWait', () => {
  it('reports the holder once, then takes the lock when it is released', async () => {
    const store = await Store.open(tempStore(), { durability: 'none' });
    const other = (await store.tryLock(key)).held!;
    const heard: LockHolder[] = [];
    const waiting = lockOrWait(store, key, { signal: new AbortController().signal, onWait: (h) => heard.push(h), cachedHash: async () => undefined, pollMs: 5 });
    await new Promise((r) => setTimeout(r, 60));
    await other.release();
    const outcome = await waiting;
    expect(outcome.kind).toBe('held');
    expect(heard).toEqual([expect.objectContaining({ pid: process.pid, state: 'live' })]);
    if (outcome.kind === 'held') await outcome.lock.release();
  });

  it("ends with the other run's result when the task becomes cached, or with the cancellation", async () => {
    const store = await Store.open(tempStore(), { durability: 'none' });
    const other = (await store.tryLock(key)).held!;
    let polls = 0;
    const cached = await lockOrWait(store, key, { signal: new AbortController().signal, onWait() {}, cachedHash: async () => (++polls > 2 ? 'h'.repeat(64) : undefined), pollMs: 1 });
    expect(cached).toEqual({ kind: 'cached', hash: 'h'.repeat(64) });
    const stop = new AbortController();
    const cancelled = lockOrWait(store, key, { signal: stop.signal, onWait: () => stop.abort(), cachedHash: async () => undefined, pollMs: 1 });
    expect(await cancelled).toEqual({ kind: 'cancelled' });
    await other.release();
  });

  it('the CLI prints one line naming the holder while a task waits', () => {
    const out: string[] = [];
    const sink = humanSink({ isTTY: false, write: (s: string) => out.push(s) } as unknown as NodeJS.WriteStream);
    sink.next({ type: 'task-waiting', task: 'noise[seed=0]', step: 'noise', holder: { host: 'h1', pid: 42, since: '2026-01-01T00:00:00Z', state: 'live' } });
    expect(out.join('')).toBe('waiting for noise[seed=0]: another run is computing it (h1 pid 42, since 2026-01-01T00:00:00Z)\n');
  });
});
