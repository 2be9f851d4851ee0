/**
 * The TaskQueue on BullMQ: one BullMQ job per ready task, its id the task key (a key already
 * queued or running is joined, across coordinators), removed once complete; failed jobs are kept
 * an hour with their reason. QueueEvents start from the stream's last id, read before anything is
 * enqueued, so no event of this run is skipped; what is missed anyway (a Redis restart) the
 * executor's check finds through `states`.
 */
import { Queue, QueueEvents } from 'bullmq';
import { Redis } from 'ioredis';
import type { TaskJob, TaskResult } from '../job.ts';
import { cancelChannel, RedisUnreachableError, type ProgressData, type RedisTaskPayload } from './protocol.ts';
import type { QueueEvent, QueuedState, RetryPolicy, TaskQueue } from './task-queue.ts';

export interface BullmqQueueOptions {
  readonly url: string;
  readonly name: string;
  /** the coordinator's project folder (sent with each job) */
  readonly project: string;
}

const FAILED_KEPT_S = 3_600;

function withTimeout<T>(p: Promise<T>, ms: number, why: () => Error): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<never>((_, reject) => (timer = setTimeout(() => reject(why()), ms)));
  return Promise.race([p, late]).finally(() => clearTimeout(timer));
}

/** Connects (or fails with a clear error within a few seconds) and returns the queue. */
export async function openBullmqQueue(o: BullmqQueueOptions): Promise<TaskQueue> {
  const redis = new Redis(o.url, { maxRetriesPerRequest: null, lazyConnect: true });
  let lastError = 'no answer';
  redis.on('error', (err: Error) => (lastError = err.message));
  try {
    await withTimeout(redis.connect().then(() => redis.ping()), 5_000, () => new RedisUnreachableError(o.url, lastError));
  } catch (err) {
    redis.disconnect();
    throw err instanceof RedisUnreachableError ? err : new RedisUnreachableError(o.url, lastError === 'no answer' && err instanceof Error ? err.message : lastError);
  }
  const connection = { url: o.url, maxRetriesPerRequest: null };
  const queue = new Queue(o.name, { connection });
  queue.on('error', () => undefined); // reconnects on its own; the executor's check judges the outage
  const jobKey = (key: string) => queue.toKey(key);
  const failedKey = queue.toKey('failed');
  const last = await redis.xrevrange(queue.toKey('events'), '+', '-', 'COUNT', 1);
  const events = new QueueEvents(o.name, { connection, lastEventId: last[0]?.[0] ?? '0-0' });
  events.on('error', () => undefined);
  await events.waitUntilReady();

  const listeners: ((e: QueueEvent) => void)[] = [];
  const emit = (e: QueueEvent) => listeners.forEach((l) => l(e));
  events.on('active', ({ jobId }) => emit({ type: 'active', key: jobId }));
  events.on('progress', ({ jobId, data }) => {
    const d = data as ProgressData;
    if (typeof d !== 'object' || d === null) return;
    if ('warning' in d) emit({ type: 'warning', key: jobId, message: d.warning });
    else emit({ type: 'progress', key: jobId, fraction: d.fraction, ...(d.message ? { message: d.message } : {}) });
  });
  events.on('completed', ({ jobId, returnvalue }) => {
    const result = (typeof returnvalue === 'string' ? JSON.parse(returnvalue) : returnvalue) as TaskResult;
    emit({ type: 'completed', key: jobId, result });
  });
  // a failed attempt that will be retried comes back as `waiting`/`delayed`; `failed` is final
  events.on('failed', ({ jobId, failedReason }) => emit({ type: 'failed', key: jobId, error: failedReason }));

  // the tasks made ready in one turn of the event loop go in one round trip (ZSCOREs) and one MULTI
  interface Add {
    readonly key: string;
    readonly job: TaskJob;
    readonly retry: RetryPolicy;
    resolve(): void;
    reject(e: unknown): void;
  }
  const batch: Add[] = [];
  const addBatch = async (adds: Add[]) => {
    try {
      const pipe = redis.pipeline();
      for (const a of adds) pipe.zscore(failedKey, a.key);
      const failed = ((await pipe.exec()) ?? []).map(([, v]) => v !== null && v !== undefined);
      // a job that failed before (an earlier run) would be "joined" and never run again
      await Promise.all(adds.filter((_, i) => failed[i]).map((a) => queue.remove(a.key).catch(() => undefined)));
      await queue.addBulk(
        adds.map((a) => ({
          name: 'task',
          data: { job: a.job, project: o.project } satisfies RedisTaskPayload,
          opts: { jobId: a.key, attempts: a.retry.attempts, backoff: { type: 'exponential', delay: a.retry.backoffMs }, removeOnComplete: true, removeOnFail: { age: FAILED_KEPT_S } },
        })),
      );
      for (const a of adds) a.resolve();
    } catch (err) {
      for (const a of adds) a.reject(err);
    }
  };

  return {
    where: `${o.url} (queue ${o.name})`,
    enqueue(key: string, job: TaskJob, retry: RetryPolicy) {
      return new Promise<void>((resolve, reject) => {
        if (batch.length === 0) setImmediate(() => void addBatch(batch.splice(0)));
        batch.push({ key, job, retry, resolve, reject });
      });
    },
    onEvent(listener) {
      listeners.push(listener);
    },
    async states(keys: readonly string[]) {
      const pipe = redis.pipeline();
      for (const k of keys) pipe.exists(jobKey(k)).zscore(failedKey, k).hget(jobKey(k), 'failedReason');
      const replies = (await pipe.exec()) ?? [];
      const out = new Map<string, QueuedState>();
      keys.forEach((k, i) => {
        const [exists, failed, reason] = [0, 1, 2].map((j) => replies[3 * i + j]?.[1]);
        if (failed !== null && failed !== undefined) out.set(k, { state: 'failed', error: String(reason ?? 'failed') });
        else out.set(k, exists ? { state: 'queued' } : { state: 'absent' });
      });
      return out;
    },
    async cancel(keys: readonly string[]) {
      // queued jobs go; a running one is locked by its worker, which hears the channel and stops
      await Promise.all(keys.map((k) => queue.remove(k).catch(() => undefined)));
      await redis.publish(cancelChannel(o.name), JSON.stringify(keys));
    },
    // every worker subscribes to the cancel channel (BullMQ 6.7's getWorkersCount sees no worker: its workers set no client name)
    async workers() {
      const reply = (await redis.call('PUBSUB', 'NUMSUB', cancelChannel(o.name))) as [string, number];
      return Number(reply[1]);
    },
    async close() {
      await Promise.allSettled([events.close(), queue.close()]);
      redis.disconnect();
    },
  };
}
