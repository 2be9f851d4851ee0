/**
 * `featureflow worker --redis URL --store DIR [--project DIR] [-j N]`: serve a Redis
 * pool's tasks on this host until Ctrl-C (which lets the running tasks finish; a second one
 * abandons them, and the coordinator has them retried elsewhere).
 */
import { existsSync, statSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { join, resolve } from 'node:path';
import { Store } from '../../store/store.ts';
import { UsageError } from '../options.ts';

export interface WorkerCommandOptions {
  redis?: string;
  store: string;
  project?: string;
  jobs?: string;
  quiet?: boolean;
}

export async function workerCommand(o: WorkerCommandOptions): Promise<number> {
  if (!o.redis) throw new UsageError('worker: --redis URL is required (the Redis the coordinator enqueues on, e.g. redis://head-node:6379)');
  if (!/^rediss?:\/\//.test(o.redis)) throw new UsageError(`--redis ${o.redis}: expected a URL like redis://host:6379`);
  const jobs = o.jobs !== undefined ? Number(o.jobs) : availableParallelism();
  if (!Number.isInteger(jobs) || jobs < 1) throw new UsageError(`--jobs ${o.jobs}: expected a positive integer`);
  const project = resolve(o.project ?? '.');
  if (!statSync(project, { throwIfNoEntry: false })?.isDirectory() || !existsSync(join(project, 'package.json'))) {
    throw new UsageError(`--project ${project}: not a project folder (no package.json): run the worker in a checkout of the coordinator's project`);
  }
  const storeRoot = resolve(o.store); // before the chdir: relative to where the command was typed
  process.chdir(project); // the nodes' modules and their packages resolve from the project
  const store = await Store.open(storeRoot);
  const log = (line: string) => {
    if (!o.quiet || line.includes('failed')) process.stderr.write(`${new Date().toISOString().slice(11, 23)} worker: ${line}\n`);
  };
  const { startRedisWorker } = await import('../../executors/redis/redis-worker.ts');
  const worker = await startRedisWorker({ url: o.redis, store, project, concurrency: jobs, ...lockFromEnv(), log });
  return new Promise<number>((done) => {
    let stopping = false;
    const onSignal = () => {
      if (stopping) {
        log('abandoning the running tasks (they will be retried by other workers)');
        void worker.close(true).finally(() => done(130));
        return;
      }
      stopping = true;
      log('stopping: finishing the running tasks; press Ctrl-C again to abandon them');
      void worker.close().then(() => done(0), () => done(1));
    };
    process.on('SIGINT', onSignal);
    process.on('SIGTERM', onSignal);
  });
}

/** FEATUREFLOW_REDIS_LOCK_MS: how long a silent worker keeps its job (docs/distributed.md, tuning). */
function lockFromEnv(): { lockMs?: number } {
  const ms = Number(process.env.FEATUREFLOW_REDIS_LOCK_MS);
  return Number.isFinite(ms) && ms >= 500 ? { lockMs: ms } : {};
}
