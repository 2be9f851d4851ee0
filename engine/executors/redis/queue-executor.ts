/**
 * The coordinator's side of a distributed pool, over any TaskQueue: each task the run hands it
 * is enqueued under its key, the queue's events become the task's hooks (started, progress,
 * warnings, failure), and a result counts only once the coordinator's own store holds its
 * record. Queue events can be missed (a reconnect, a Redis restart), so a periodic check asks
 * the queue where every pending key stands and the store whether it is done: a key the queue
 * lost is enqueued again, a key done is taken from the store. The store is the truth.
 */
import type { Store } from '../../store/store.ts';
import type { TaskRecord } from '../../store/records.ts';
import { TaskError, type Executor, type TaskHooks, type TaskJob, type TaskResult } from '../job.ts';
import { CANCELLED_REASON, type QueueEvent, type RetryPolicy, type TaskQueue } from './task-queue.ts';

export interface QueueExecutorOptions {
  readonly name: string;
  /** the coordinator's store (what of it the executor reads): a task is done when its record is here */
  readonly store: Pick<Store, 'root' | 'readRecord'>;
  /** tasks kept queued or running at once */
  readonly inFlight: number;
  readonly retry: RetryPolicy;
  /** how often pending keys are checked against the queue and the store (ms) */
  readonly checkEveryMs?: number;
  /** how long the queue may stay unreachable before the pending tasks fail (ms) */
  readonly patienceMs?: number;
  /** how often one key may be lost by the queue and enqueued again before its task fails */
  readonly maxRequeues?: number;
  /** what to tell a user who has no worker running */
  readonly startWorkerHint: string;
}

interface Pending {
  readonly key: string;
  readonly job: TaskJob;
  readonly hooks: TaskHooks;
  readonly promise: Promise<TaskResult>;
  resolve(r: TaskResult): void;
  reject(e: unknown): void;
  /** Date.now() when the queue last accepted it; undefined while (re)enqueueing */
  enqueuedAt: number | undefined;
  started: boolean;
  requeues: number;
  settling: boolean;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const messageOf = (err: unknown) => (err instanceof Error ? err.message : String(err));

function withTimeout<T>(p: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<never>((_, reject) => (timer = setTimeout(() => reject(new Error(`${what}: no answer within ${ms} ms`)), ms)));
  return Promise.race([p, late]).finally(() => clearTimeout(timer));
}

export function queueExecutor(queue: TaskQueue, o: QueueExecutorOptions): Executor {
  const checkEveryMs = o.checkEveryMs ?? 1_000;
  const patienceMs = o.patienceMs ?? 60_000;
  const maxRequeues = o.maxRequeues ?? 5;
  const pending = new Map<string, Pending>();
  let lastReached = Date.now();
  let timer: NodeJS.Timeout | undefined;
  let checking = false;
  let toldNoWorker = false;
  let lastWorkerCheck = 0;
  const cancelBatch = new Set<string>();
  // one abort listener per signal (a run's tasks share one), not one per task: hundreds are in flight
  const bySignal = new Map<AbortSignal, Set<Pending>>();
  const watch = (p: Pending) => {
    const signal = p.hooks.signal;
    let set = bySignal.get(signal);
    if (!set) {
      const mine = new Set<Pending>();
      bySignal.set(signal, (set = mine));
      signal.addEventListener('abort', () => {
        bySignal.delete(signal);
        for (const q of mine) {
          cancelSoon(q.key);
          finish(q, { error: signal.reason });
        }
      }, { once: true });
    }
    set.add(p);
  };

  const finish = (p: Pending, outcome: { result: TaskResult } | { error: unknown }) => {
    if (pending.get(p.key) !== p) return;
    pending.delete(p.key);
    bySignal.get(p.hooks.signal)?.delete(p);
    if ('result' in outcome) p.resolve(outcome.result);
    else p.reject(outcome.error);
    if (pending.size === 0 && timer) {
      clearInterval(timer);
      timer = undefined;
    }
  };

  /** The record the coordinator's store holds for the key, looked up a few times (NFS caches a miss). */
  const recordOf = async (key: string, tries: number): Promise<TaskRecord | undefined> => {
    for (let i = 0; ; i++) {
      const r = await o.store.readRecord(key);
      if (r !== undefined && r !== 'corrupt') return r;
      if (i + 1 >= tries) return undefined;
      await sleep(50 << i);
    }
  };

  const fromRecord = (r: TaskRecord): TaskResult => ({ hash: r.output.hash, bytes: r.output.bytes, staged: [], durationMs: r.timing.durationMs, recorded: true });

  /** A worker said done: believe it once the record is in this store. */
  const settleDone = async (p: Pending) => {
    if (p.settling) return;
    p.settling = true;
    const record = await recordOf(p.key, 5).catch(() => undefined);
    if (record) return finish(p, { result: fromRecord(record) });
    finish(p, {
      error: new TaskError(
        `a worker reported ${p.job.task} done, but store ${o.store.root} holds no record of it: does every worker's --store point at this same shared directory?`,
      ),
    });
  };

  const enqueue = (p: Pending) => {
    p.enqueuedAt = undefined;
    queue.enqueue(p.key, p.job, o.retry).then(
      () => {
        lastReached = Date.now();
        p.enqueuedAt ??= Date.now();
      },
      () => undefined, // the check retries it, and gives up after patienceMs
    );
  };

  const onEvent = (e: QueueEvent) => {
    const p = pending.get(e.key);
    if (!p) return;
    lastReached = Date.now();
    switch (e.type) {
      case 'active':
        if (!p.started) p.hooks.onStart?.();
        p.started = true;
        return;
      case 'progress':
        return p.hooks.onProgress(e.fraction, e.message);
      case 'warning':
        return p.hooks.onWarning(e.message);
      case 'completed':
        return void settleDone(p);
      case 'failed':
        // another coordinator cancelled the key this run still needs: enqueue it again
        if (e.error.startsWith(CANCELLED_REASON) && !p.hooks.signal.aborted) return enqueue(p);
        return finish(p, { error: new TaskError(e.error) });
    }
  };
  queue.onEvent(onEvent);

  const failAll = (why: string) => {
    for (const p of [...pending.values()]) finish(p, { error: new TaskError(why) });
  };

  const requeueLost = async (p: Pending) => {
    const record = await recordOf(p.key, 1);
    if (record) return finish(p, { result: fromRecord(record) });
    if (pending.get(p.key) !== p || p.enqueuedAt === undefined) return; // settled or re-enqueued meanwhile
    if (++p.requeues > maxRequeues) {
      return finish(p, { error: new TaskError(`the queue at ${queue.where} lost ${p.job.task} ${p.requeues} times (Redis restarting without persistence?): run again`) });
    }
    p.hooks.onWarning(`the queue at ${queue.where} lost this task (a Redis restart?): enqueued again`);
    enqueue(p);
  };

  const check = async () => {
    if (checking) return;
    checking = true;
    try {
      for (const p of pending.values()) if (p.enqueuedAt === undefined && !p.settling) enqueue(p);
      const due = [...pending.values()].filter((p) => !p.settling && p.enqueuedAt !== undefined && Date.now() - p.enqueuedAt >= checkEveryMs);
      if (due.length > 0) {
        const states = await withTimeout(queue.states(due.map((p) => p.key)), Math.max(checkEveryMs, 2_000), `the queue at ${queue.where}`);
        lastReached = Date.now();
        for (const p of due) {
          const s = states.get(p.key);
          if (s?.state === 'failed') onEvent({ type: 'failed', key: p.key, error: s.error });
          else if (s?.state === 'absent') await requeueLost(p);
        }
      }
      await warnWithoutWorkers();
    } catch (err) {
      if (Date.now() - lastReached > patienceMs) {
        failAll(`lost the queue at ${queue.where} for ${Math.round((Date.now() - lastReached) / 1000)} s (${messageOf(err)}): the tasks finished so far are in the store; run again once it is back`);
      }
    } finally {
      checking = false;
    }
  };

  /** Nothing runs and no worker listens: say so once, with the command that starts one. */
  const warnWithoutWorkers = async () => {
    if (Date.now() - lastWorkerCheck < 5 * checkEveryMs || pending.size === 0) return;
    lastWorkerCheck = Date.now();
    const n = await queue.workers();
    if (n > 0) toldNoWorker = false;
    else if (!toldNoWorker) {
      toldNoWorker = true;
      pending.values().next().value?.hooks.onWarning(`no worker is connected to ${queue.where}; start one in a checkout of this project: ${o.startWorkerHint}`);
    }
  };

  // a cancelled run's keys go in one message, sent before the executor closes the connection
  let cancelling: Promise<void> = Promise.resolve();
  const flushCancels = () => {
    const keys = [...cancelBatch];
    cancelBatch.clear();
    if (keys.length > 0) cancelling = cancelling.then(() => withTimeout(queue.cancel(keys), 5_000, 'cancel').catch(() => undefined));
    return cancelling;
  };
  const cancelSoon = (key: string) => {
    if (cancelBatch.size === 0) setImmediate(() => void flushCancels());
    cancelBatch.add(key);
  };

  return {
    name: o.name,
    concurrency: o.inFlight,
    inFlight: o.inFlight,
    remote: true,
    execute(job: TaskJob, hooks: TaskHooks): Promise<TaskResult> {
      const key = job.record?.key;
      if (!key) return Promise.reject(new Error(`${o.name}: task ${job.task} came without its record template`));
      const existing = pending.get(key);
      if (existing) return existing.promise;
      if (hooks.signal.aborted) return Promise.reject(hooks.signal.reason);
      let resolve!: (r: TaskResult) => void;
      let reject!: (e: unknown) => void;
      const promise = new Promise<TaskResult>((res, rej) => ((resolve = res), (reject = rej)));
      const p: Pending = { key, job, hooks, promise, resolve, reject, enqueuedAt: undefined, started: false, requeues: 0, settling: false };
      pending.set(key, p);
      watch(p);
      timer ??= setInterval(() => void check(), checkEveryMs);
      enqueue(p);
      return promise;
    },
    async close() {
      if (timer) clearInterval(timer);
      timer = undefined;
      await flushCancels();
      await queue.close();
    },
  };
}
