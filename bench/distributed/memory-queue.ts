/**
 * The scale simulation's queue: the TaskQueue interface (engine/executors/redis/task-queue.ts)
 * in memory, with `workers` simulated workers that take jobs in order, "compute" for a random
 * time, write the record into a store of records in memory, and report completion; a fraction
 * of completion events is dropped, as Redis may drop them, so the coordinator's check path runs.
 */
import type { TaskJob, TaskResult } from '../../engine/executors/job.ts';
import type { QueueEvent, QueuedState, RetryPolicy, TaskQueue } from '../../engine/executors/redis/task-queue.ts';
import type { TaskRecord } from '../../engine/store/records.ts';

/**
 * What the coordinator's executor reads of a store, counting reads. Keys are `k<base-36 index>`;
 * one bit per task and one record object for all, so the simulated shared store stays out of
 * the coordinator's measured memory.
 */
export class MemoryRecords {
  readonly root = 'memory';
  private readonly done: Uint8Array;
  reads = 0;
  constructor(
    tasks: number,
    private readonly record: TaskRecord,
  ) {
    this.done = new Uint8Array(tasks);
  }
  static index(key: string): number {
    return parseInt(key.slice(1), 36);
  }
  add(key: string): void {
    this.done[MemoryRecords.index(key)] = 1;
  }
  async readRecord(key: string): Promise<TaskRecord | undefined> {
    this.reads++;
    return this.done[MemoryRecords.index(key)] ? this.record : undefined;
  }
}

export interface MemoryQueueOptions {
  readonly workers: number;
  /** draws one task's duration in ms */
  readonly duration: () => number;
  /** fraction of completion events lost on the way */
  readonly dropEvents: number;
  readonly records: MemoryRecords;
}

export class MemoryQueue implements TaskQueue {
  readonly where = 'memory';
  private readonly waiting: string[] = [];
  private head = 0;
  private readonly jobs = new Map<string, { job: TaskJob; running: boolean }>();
  private readonly listeners: ((e: QueueEvent) => void)[] = [];
  private idle: number;
  calls = 0;
  dropped = 0;

  constructor(private readonly o: MemoryQueueOptions) {
    this.idle = o.workers;
  }

  async enqueue(key: string, job: TaskJob, _retry: RetryPolicy): Promise<void> {
    this.calls++;
    if (this.jobs.has(key)) return; // joined, as BullMQ does for a repeated jobId
    this.jobs.set(key, { job, running: false });
    this.waiting.push(key);
    this.dispatch();
  }

  onEvent(listener: (e: QueueEvent) => void): void {
    this.listeners.push(listener);
  }

  async states(keys: readonly string[]): Promise<ReadonlyMap<string, QueuedState>> {
    this.calls++;
    return new Map(keys.map((k) => [k, this.jobs.has(k) ? { state: 'queued' as const } : { state: 'absent' as const }]));
  }

  async cancel(keys: readonly string[]): Promise<void> {
    this.calls++;
    for (const k of keys) if (!this.jobs.get(k)?.running) this.jobs.delete(k);
  }

  async workers(): Promise<number> {
    return this.o.workers;
  }

  async close(): Promise<void> {}

  private emit(e: QueueEvent): void {
    for (const l of this.listeners) l(e);
  }

  private dispatch(): void {
    while (this.idle > 0 && this.head < this.waiting.length) {
      const key = this.waiting[this.head++]!;
      if (this.head > 65_536) this.waiting.splice(0, this.head), (this.head = 0);
      const entry = this.jobs.get(key);
      if (!entry) continue; // cancelled
      entry.running = true;
      this.idle--;
      this.emit({ type: 'active', key });
      setTimeout(() => this.finish(key), this.o.duration());
    }
  }

  private finish(key: string): void {
    const result: TaskResult = { hash: `h-${key}`, bytes: 8, staged: [], durationMs: 0, recorded: true };
    this.o.records.add(key);
    this.jobs.delete(key);
    this.idle++;
    if (Math.random() < this.o.dropEvents) this.dropped++;
    else this.emit({ type: 'completed', key, result });
    this.dispatch();
  }
}
