/**
 * The run's side of a task lock: take it, or wait while another run computes the task and then
 * use that run's result. The waiter hears once about each holder it waits for (the run turns
 * that into a task-waiting event), never waits silently.
 */
import type { LockHolder } from './lock-owner.ts';
import type { HeldLock } from './locks.ts';
import type { Store } from './store.ts';

export type TaskLockOutcome =
  | { readonly kind: 'held'; readonly lock: HeldLock }
  /** another run finished the task meanwhile: its output hash */
  | { readonly kind: 'cached'; readonly hash: string }
  | { readonly kind: 'cancelled' };

export interface TaskLockOptions {
  readonly signal: AbortSignal;
  /** called once per distinct holder while waiting */
  readonly onWait: (holder: LockHolder) => void;
  /** the task's output hash if it is cached now (the run's checkCache), else undefined */
  readonly cachedHash: () => Promise<string | undefined>;
  readonly pollMs?: number;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export async function lockOrWait(store: Store, key: string, o: TaskLockOptions): Promise<TaskLockOutcome> {
  let told = '';
  for (;;) {
    if (o.signal.aborted) return { kind: 'cancelled' };
    const attempt = await store.tryLock(key);
    if (attempt.held) {
      // the holder we waited for may have written the record from another host just now
      if (told !== '') store.refreshRecordLookup(key);
      return { kind: 'held', lock: attempt.held };
    }
    const who = `${attempt.holder.host}\0${attempt.holder.pid}\0${attempt.holder.since}`;
    if (who !== told) o.onWait(attempt.holder);
    told = who;
    await sleep(o.pollMs ?? 25);
    const hash = await o.cachedHash();
    if (hash !== undefined) return { kind: 'cached', hash };
  }
}
