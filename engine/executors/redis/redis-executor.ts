/**
 * `executor: 'redis'`: the coordinator of a Redis pool. Loaded only when a run asks for it, so
 * other commands never load BullMQ or ioredis.
 */
import type { Store } from '../../store/store.ts';
import type { Executor } from '../job.ts';
import { openBullmqQueue } from './bullmq-queue.ts';
import { DEFAULT_QUEUE } from './protocol.ts';
import { queueExecutor } from './queue-executor.ts';

export interface RedisExecutorOptions {
  /** `redis://host:port[/db]` */
  readonly url: string;
  readonly store: Store;
  /** tasks kept queued or running at once (default 256) */
  readonly inFlight?: number;
  /** the BullMQ queue's name (default `featureflow`; startRedisWorker's `queue` must match); from the CLI, separate projects by the URL's database number instead */
  readonly queue?: string;
  /** attempts per task, the first included (default 3): a worker that dies or cannot load the node's code */
  readonly attempts?: number;
  /** the first retry's delay in ms, doubling after (default 1000) */
  readonly backoffMs?: number;
  /** the coordinator's project folder, which workers map to their own checkout (default: the current directory) */
  readonly project?: string;
}

export const REDIS_DEFAULT_IN_FLIGHT = 256;

export async function redisExecutor(o: RedisExecutorOptions): Promise<Executor> {
  const name = o.queue ?? DEFAULT_QUEUE;
  const queue = await openBullmqQueue({ url: o.url, name, project: o.project ?? process.cwd() });
  return queueExecutor(queue, {
    name: 'redis',
    store: o.store,
    inFlight: o.inFlight ?? REDIS_DEFAULT_IN_FLIGHT,
    retry: { attempts: o.attempts ?? 3, backoffMs: o.backoffMs ?? 1_000 },
    startWorkerHint: `featureflow worker --redis ${o.url} --store ${o.store.root}`,
  });
}
