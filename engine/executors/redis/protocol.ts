/**
 * What the coordinator and the Redis pool's workers agree on: the queue's name, the job's
 * payload, the progress messages, and the channel cancellations travel on (BullMQ's own
 * cancellation reaches only the worker that asks, so cancelling needs a channel of its own).
 */
import type { TaskJob } from '../job.ts';

export const DEFAULT_QUEUE = 'featureflow';

/** Redis pub/sub channel of a queue's cancellations: each message is a JSON array of task keys. */
export const cancelChannel = (queue: string) => `featureflow:${queue}:cancel`;

export interface RedisTaskPayload {
  readonly job: TaskJob;
  /** the coordinator's project folder: a worker maps the node's module path into its own checkout */
  readonly project: string;
}

/** A job's progress data: a fraction, or a warning (BullMQ has one progress field per job). */
export type ProgressData = { readonly fraction: number; readonly message?: string } | { readonly warning: string };

/** Redis cannot be reached at the URL given: the CLI exits 2 with this message. */
export class RedisUnreachableError extends Error {
  constructor(url: string, why: string) {
    super(`cannot reach Redis at ${url} (${why}): start it (Debian/Ubuntu: apt-get install redis-server; or redis-server --port 6379) and check the URL`);
    this.name = 'RedisUnreachableError';
  }
}
