/**
 * The coordinator's side of a distributed pool, over any TaskQueue: each task the run hands it
 * is enqueued under its key, the queue's events become the task's hooks (started, progress,
 * warnings, failure), and a result counts only once the coordinator's own store holds its
 * record. Queue events can be missed (a reconnect, a Redis restart), so a periodic check asks
 * the queue where every pending key stands and the store whether it is done: a key the queue
 * lost is enqueued again, a key done is taken from the store. The store is the truth.
 */
import type { TaskRecord } from '../../store/records.ts';
import type { Store } from '../../store/store.ts';
import { TaskError, type Executor, type TaskHooks, type TaskJob, type TaskResult } from '../job.ts';
import { CancelBatch } from './cancel-batch.ts';
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
  /** Date.now() when the queue last accepted it; 'sending' while the queue has not answered; 'no' after a failed send */
  queued: number | 'sending' | 'no';
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

const fromRecord = (r: TaskRecord): TaskResult => ({ hash: r.output.hash, bytes: r.output.bytes, staged: [], durationMs: r.timing.durationMs, recorded: true });

export function queueExecutor(queue: TaskQueue, o: QueueExecutorOptions): Executor {
  return new QueueExecutor(queue, o);
}

class QueueExecutor implements Executor {
  readonly name: string;
  readonly concurrency: number;
  readonly inFlight: number;
  readonly remote = true;
  private readonly checkEveryMs: number;
  private readonly pending = new Map<string, Pending>();
  /** one abort listener per signal (a run's tasks share one), not one per task: hundreds are in flight */
  private readonly bySignal = new Map<AbortSignal, Set<Pending>>();
  private readonly cancels: CancelBatch;
  private lastReached = Date.now();
  private lastProblem = 'no answer';
  private timer: NodeJS.Timeout | undefined;
  private checking = false;
  private toldNoWorker = false;
  private lastWorkerCheck = 0;

  constructor(
    private readonly queue: TaskQueue,
    private readonly o: QueueExecutorOptions,
  ) {
    this.name = o.name;
    this.concurrency = this.inFlight = o.inFlight;
    this.checkEveryMs = o.checkEveryMs ?? 1_000;
    this.cancels = new CancelBatch((keys) => withTimeout(queue.cancel(keys), 5_000, 'cancel'));
    queue.onEvent((e) => this.onEvent(e));
  }

  execute(job: TaskJob, hooks: TaskHooks): Promise<TaskResult> {
    const key = job.record?.key;
    if (!key) return Promise.reject(new Error(`${this.name}: task ${job.task} came without its record template`));
    const existing = this.pending.get(key);
    if (existing) return existing.promise;
    if (hooks.signal.aborted) return Promise.reject(hooks.signal.reason);
    let resolve!: (r: TaskResult) => void;
    let reject!: (e: unknown) => void;
    const promise = new Promise<TaskResult>((res, rej) => ((resolve = res), (reject = rej)));
    const p: Pending = { key, job, hooks, promise, resolve, reject, queued: 'no', started: false, requeues: 0, settling: false };
    this.pending.set(key, p);
    this.watch(p);
    if (!this.timer) {
      this.lastReached = Date.now(); // the patience counts from the first task pending, not from idle time
      this.timer = setInterval(() => void this.check(), this.checkEveryMs);
    }
    this.enqueue(p);
    return promise;
  }

  async close(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
    await this.cancels.flush(); // before the connection goes
    await this.queue.close();
  }

  private watch(p: Pending): void {
    const signal = p.hooks.signal;
    let set = this.bySignal.get(signal);
    if (!set) {
      const mine = new Set<Pending>();
      this.bySignal.set(signal, (set = mine));
      const onAbort = () => {
        this.bySignal.delete(signal);
        for (const q of mine) {
          this.cancels.add(q.key);
          this.finish(q, { error: signal.reason });
        }
      };
      signal.addEventListener('abort', onAbort, { once: true });
    }
    set.add(p);
  }

  private finish(p: Pending, outcome: { result: TaskResult } | { error: unknown }): void {
    if (this.pending.get(p.key) !== p) return;
    this.pending.delete(p.key);
    this.bySignal.get(p.hooks.signal)?.delete(p);
    if ('result' in outcome) p.resolve(outcome.result);
    else p.reject(outcome.error);
    if (this.pending.size === 0 && this.timer) {
      clearInterval(this.timer);
      this.timer = undefined;
    }
  }

  private enqueue(p: Pending): void {
    p.queued = 'sending';
    this.queue.enqueue(p.key, p.job, this.o.retry).then(
      () => {
        this.lastReached = Date.now();
        if (p.queued === 'sending') p.queued = Date.now();
      },
      (err: unknown) => {
        p.queued = 'no'; // the check sends it again, and gives up after patienceMs
        this.lastProblem = messageOf(err);
      },
    );
  }

  private onEvent(e: QueueEvent): void {
    const p = this.pending.get(e.key);
    if (!p) return;
    this.lastReached = Date.now();
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
        return void this.settleDone(p);
      case 'failed':
        // another coordinator cancelled the key this run still needs: enqueue it again
        if (e.error.startsWith(CANCELLED_REASON) && !p.hooks.signal.aborted) return this.enqueue(p);
        return this.finish(p, { error: new TaskError(e.error) });
    }
  }

  /** The record the coordinator's store holds for the key, looked up a few times (NFS caches a miss). */
  private async recordOf(key: string, tries: number): Promise<TaskRecord | undefined> {
    for (let i = 0; ; i++) {
      const r = await this.o.store.readRecord(key);
      if (r !== undefined && r !== 'corrupt') return r;
      if (i + 1 >= tries) return undefined;
      await sleep(50 << i);
    }
  }

  /** A worker said done: believe it once the record is in this store. */
  private async settleDone(p: Pending): Promise<void> {
    if (p.settling) return;
    p.settling = true;
    const record = await this.recordOf(p.key, 5).catch(() => undefined);
    if (record) return this.finish(p, { result: fromRecord(record) });
    const why = `a worker reported ${p.job.task} done, but store ${this.o.store.root} holds no record of it: does every worker's --store point at this same shared directory?`;
    this.finish(p, { error: new TaskError(why) });
  }

  /** Every checkEveryMs: resend what failed to send, and ask the queue about keys whose events may be lost. */
  private async check(): Promise<void> {
    if (this.checking) return;
    this.checking = true;
    try {
      const live = [...this.pending.values()].filter((p) => !p.settling);
      for (const p of live) if (p.queued === 'no') this.enqueue(p);
      const due = live.filter((p) => typeof p.queued === 'number' && Date.now() - p.queued >= this.checkEveryMs);
      if (due.length > 0) await this.checkStates(due);
      await this.warnWithoutWorkers();
    } catch (err) {
      this.lastProblem = messageOf(err);
    } finally {
      this.checking = false;
    }
    this.giveUpIfSilent();
  }

  /** The queue has answered nothing (no event, no send, no state) for patienceMs: fail what is pending. */
  private giveUpIfSilent(): void {
    const silentMs = Date.now() - this.lastReached;
    if (this.pending.size === 0 || silentMs <= (this.o.patienceMs ?? 60_000)) return;
    const why = `lost the queue at ${this.queue.where} for ${Math.round(silentMs / 1000)} s (${this.lastProblem}): the tasks finished so far are in the store; run again once it is back`;
    for (const p of [...this.pending.values()]) this.finish(p, { error: new TaskError(why) });
  }

  private async checkStates(due: readonly Pending[]): Promise<void> {
    const states = await withTimeout(this.queue.states(due.map((p) => p.key)), Math.max(this.checkEveryMs, 2_000), `the queue at ${this.queue.where}`);
    this.lastReached = Date.now();
    for (const p of due) {
      const s = states.get(p.key);
      if (s?.state === 'failed') this.onEvent({ type: 'failed', key: p.key, error: s.error });
      else if (s?.state === 'absent') await this.requeueLost(p);
    }
  }

  /** Not in the queue: done (its record is here) or lost (a Redis restart), then enqueued again. */
  private async requeueLost(p: Pending): Promise<void> {
    const record = await this.recordOf(p.key, 1);
    if (record) return this.finish(p, { result: fromRecord(record) });
    if (this.pending.get(p.key) !== p || typeof p.queued !== 'number') return; // settled or resent meanwhile
    if (++p.requeues > (this.o.maxRequeues ?? 5)) {
      return this.finish(p, { error: new TaskError(`the queue at ${this.queue.where} lost ${p.job.task} ${p.requeues} times (Redis restarting without persistence?): run again`) });
    }
    p.hooks.onWarning(`the queue at ${this.queue.where} lost this task (a Redis restart?): enqueued again`);
    this.enqueue(p);
  }

  /** Nothing runs and no worker listens: say so once, with the command that starts one. */
  private async warnWithoutWorkers(): Promise<void> {
    if (Date.now() - this.lastWorkerCheck < 5 * this.checkEveryMs || this.pending.size === 0) return;
    this.lastWorkerCheck = Date.now();
    if ((await this.queue.workers()) > 0) {
      this.toldNoWorker = false;
    } else if (!this.toldNoWorker) {
      this.toldNoWorker = true;
      const hint = `no worker is connected to ${this.queue.where}; start one in a checkout of this project: ${this.o.startWorkerHint}`;
      this.pending.values().next().value?.hooks.onWarning(hint);
    }
  }
}
