/**
 * A Redis pool worker (`featureflow worker`): a BullMQ worker on this host, in a checkout of the
 * coordinator's project, against the same shared store. Each job runs through runRemoteTask on
 * a local process pool, never on this event loop (BullMQ renews its job locks here; a node
 * holding the loop would have its job judged stalled and run twice). A node's own error fails
 * the task at once; a worker process that dies, code that differs from the run's, or a store
 * error is retried (elsewhere, perhaps) with backoff. Cancellations arrive on their own channel.
 */
import { hostname } from 'node:os';
import { relative, resolve, sep } from 'node:path';
import { pathToFileURL } from 'node:url';
import { UnrecoverableError, Worker, type Job } from 'bullmq';
import { Redis } from 'ioredis';
import { StoreError } from '../../store/errors.ts';
import type { Store } from '../../store/store.ts';
import { moduleFile } from '../../registry/module-id.ts';
import type { NodeAddress } from '../../registry/find-node.ts';
import { TaskError, type TaskJob, type TaskResult } from '../job.ts';
import { processPoolExecutor } from '../process-pool.ts';
import { runRemoteTask } from '../remote-task.ts';
import { cancelChannel, DEFAULT_QUEUE, RedisUnreachableError, type ProgressData, type RedisTaskPayload } from './protocol.ts';
import { CANCELLED_REASON } from './task-queue.ts';

export interface RedisWorkerOptions {
  readonly url: string;
  readonly store: Store;
  /** this checkout of the coordinator's project */
  readonly project: string;
  /** tasks at once, each in its own worker process */
  readonly concurrency: number;
  readonly queue?: string;
  /** BullMQ's job lock (ms): a worker silent this long is judged dead and its task retried (default 30 s) */
  readonly lockMs?: number;
  readonly log?: (line: string) => void;
}

export interface RunningWorker {
  /** stop taking jobs and finish the running ones (`force`: abandon them; they are retried elsewhere) */
  close(force?: boolean): Promise<void>;
}

/** Errors another attempt (maybe on another worker) can get past; a node's own error it cannot. */
const RETRYABLE = new Set(['WorkerExit', 'CodeChangedError', 'NodeNotFoundError', 'StoreError']);
const retryable = (err: unknown) => err instanceof StoreError || (err instanceof TaskError && RETRYABLE.has(err.errorName ?? ''));

/** The node's module (and the run's entry) as this checkout holds them. */
function rebase(job: TaskJob, from: string, to: string): TaskJob {
  if (resolve(from) === resolve(to)) return job;
  const move = (url: string) => {
    const rel = relative(from, moduleFile(url));
    return rel.startsWith('..') || rel.startsWith(sep) ? url : pathToFileURL(resolve(to, rel)).href;
  };
  const node: NodeAddress = { ...job.node, module: move(job.node.module), ...(job.node.entry ? { entry: move(job.node.entry) } : {}) };
  return { ...job, node };
}

export async function startRedisWorker(o: RedisWorkerOptions): Promise<RunningWorker> {
  const log = o.log ?? (() => undefined);
  const name = o.queue ?? DEFAULT_QUEUE;
  const who = `${hostname()} pid ${process.pid}`;
  const subscriber = new Redis(o.url, { maxRetriesPerRequest: null, lazyConnect: true });
  let lastError = 'no answer';
  subscriber.on('error', (err: Error) => (lastError = err.message));
  const reached = subscriber.connect().then(() => subscriber.subscribe(cancelChannel(name)));
  const patience = new Promise<never>((_, reject) => setTimeout(() => reject(new RedisUnreachableError(o.url, lastError)), 5_000).unref());
  await Promise.race([reached, patience]).catch((err: unknown) => {
    subscriber.disconnect();
    throw err instanceof RedisUnreachableError ? err : new RedisUnreachableError(o.url, lastError === 'no answer' && err instanceof Error ? err.message : lastError);
  });

  const pool = processPoolExecutor(o.concurrency);
  const running = new Map<string, AbortController>();
  subscriber.on('message', (_channel: string, text: string) => {
    for (const key of JSON.parse(text) as string[]) running.get(key)?.abort(new Error(CANCELLED_REASON));
  });

  const process1 = async (bjob: Job<RedisTaskPayload, TaskResult>): Promise<TaskResult> => {
    const key = bjob.id!;
    const { job, project } = bjob.data;
    const abort = new AbortController();
    running.set(key, abort);
    const tell = (d: ProgressData) => void bjob.updateProgress(d).catch(() => undefined);
    let lastProgress = 0;
    log(`${job.task}: started (attempt ${bjob.attemptsMade + 1})`);
    try {
      const result = await runRemoteTask(
        rebase(job, project, o.project),
        {
          signal: abort.signal,
          onProgress(fraction, message) {
            const now = performance.now();
            if (now - lastProgress < 200 && fraction < 1) return;
            lastProgress = now;
            tell({ fraction, ...(message ? { message } : {}) });
          },
          onWarning: (warning) => tell({ warning }),
        },
        { store: o.store, executor: pool },
      );
      log(`${job.task}: done in ${Math.round(result.durationMs)} ms`);
      return result;
    } catch (err) {
      const message = err instanceof Error ? err.message : String(err);
      if (abort.signal.aborted) {
        log(`${job.task}: cancelled`);
        throw new UnrecoverableError(CANCELLED_REASON);
      }
      log(`${job.task}: failed: ${message}`);
      const attemptsLeft = (bjob.opts.attempts ?? 1) - bjob.attemptsMade - 1;
      if (!retryable(err)) throw new UnrecoverableError(message);
      if (attemptsLeft > 0) tell({ warning: `attempt ${bjob.attemptsMade + 1} failed on ${who}: ${message}; retrying` });
      throw new Error(message);
    } finally {
      running.delete(key);
    }
  };

  const lockMs = o.lockMs ?? 30_000;
  const worker = new Worker<RedisTaskPayload, TaskResult>(name, process1, {
    connection: { url: o.url, maxRetriesPerRequest: null },
    // one job more than the pool runs: the next task is fetched while one commits its output
    concurrency: o.concurrency + 1,
    lockDuration: lockMs,
    stalledInterval: lockMs,
    // a task whose worker died twice still gets a third try
    maxStalledCount: 2,
    name: who,
  });
  worker.on('error', (err) => log(`redis: ${err.message}`));
  await worker.waitUntilReady();
  log(`listening on ${o.url} (queue ${name}), ${o.concurrency} at a time, store ${o.store.root}, project ${o.project}`);

  return {
    async close(force = false) {
      for (const a of force ? running.values() : []) a.abort(new Error('worker stopping'));
      await worker.close(force);
      await pool.close();
      await o.store.flush();
      subscriber.disconnect();
    },
  };
}
