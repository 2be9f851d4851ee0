/**
 * What the coordinator needs of a distributed queue, and nothing more: the Redis pool implements
 * it on BullMQ (bullmq-queue.ts); the scale simulation (bench/distributed-sim.ts) implements it
 * in memory with simulated workers, so the coordinator it measures is the one that runs.
 */
import type { TaskJob, TaskResult } from '../job.ts';

/** What the queue reports about a task, by key. Events may be missed: `states` is the check. */
export type QueueEvent =
  | { readonly type: 'active'; readonly key: string }
  | { readonly type: 'progress'; readonly key: string; readonly fraction: number; readonly message?: string }
  | { readonly type: 'warning'; readonly key: string; readonly message: string }
  | { readonly type: 'completed'; readonly key: string; readonly result: TaskResult }
  /** final: the queue retries no more */
  | { readonly type: 'failed'; readonly key: string; readonly error: string };

/**
 * Where a key stands in the queue now: waiting, delayed or running; failed for good (kept a
 * while with its reason); or absent: finished and removed, or lost (a Redis restart).
 */
export type QueuedState = { readonly state: 'queued' } | { readonly state: 'failed'; readonly error: string } | { readonly state: 'absent' };

export interface RetryPolicy {
  /** attempts in all, the first included */
  readonly attempts: number;
  /** exponential backoff: the first retry waits this long, each next one twice as long */
  readonly backoffMs: number;
}

export interface TaskQueue {
  /** where workers must connect, for messages (`redis://host:6379`, `memory`) */
  readonly where: string;
  /**
   * Enqueue a ready task under its key (the job id): a key already queued or running (another
   * coordinator's, or this one's before a restart) is joined, not duplicated; a key that failed
   * earlier is replaced by a fresh job.
   */
  enqueue(key: string, job: TaskJob, retry: RetryPolicy): Promise<void>;
  /** every event of every task; the executor picks its own keys */
  onEvent(listener: (e: QueueEvent) => void): void;
  /** where these keys stand now */
  states(keys: readonly string[]): Promise<ReadonlyMap<string, QueuedState>>;
  /** drop these keys' queued jobs and tell the workers running them to stop (a channel of its own) */
  cancel(keys: readonly string[]): Promise<void>;
  /** how many workers are connected now */
  workers(): Promise<number>;
  close(): Promise<void>;
}

/** The reason a cancelled task's job fails with: a coordinator still waiting for the key enqueues it again. */
export const CANCELLED_REASON = 'cancelled by its coordinator';
