/**
 * `featureflow exec --batch FILE --index N --store DIR`: what one element of a SLURM array runs.
 * It takes task N of the batch file the coordinator wrote, computes it as every remote worker
 * does (remote-task.ts: the node from the registry, the run's code and backends, objects and
 * record committed here; a key already recorded, say by a requeued element's first run, returns
 * at once), and leaves its outcome in the batch's results/ for the coordinator. Exit 0 when the
 * task's output is in the store, 1 when the task failed, 2 for bad input.
 */
import { hostname } from 'node:os';
import { batchPaths, readBatchTask } from '../../executors/slurm/batch-file.ts';
import { writeElementResult } from '../../executors/slurm/element-result.ts';
import { runRemoteTask } from '../../executors/remote-task.ts';
import { enterWorkerMode } from '../../registry/worker-mode.ts';
import { Store } from '../../store/store.ts';
import { UsageError } from '../options.ts';

export interface ExecOptions {
  batch: string;
  index: string;
  store: string;
}

/** A node that leaves a timer or socket open must not keep the element (and its allocation) alive. */
const EXIT_GRACE_MS = 2_000;

export async function execCommand(o: ExecOptions): Promise<number> {
  const index = Number(o.index);
  if (!Number.isInteger(index) || index < 0) throw new UsageError(`--index ${o.index}: expected the element's index (SLURM sets $SLURM_ARRAY_TASK_ID)`);
  enterWorkerMode(); // importing the user's modules to find the node must start no run
  const job = await readBatchTask(o.batch, index);
  const store = await Store.open(o.store, { durability: job.fsync ? 'each' : 'batch' });
  const resultPath = batchPaths(o.batch).result(index);
  const say = (line: string) => process.stdout.write(`featureflow exec: ${line}\n`);
  say(`task ${job.task} (element ${index} of ${o.batch}) on ${hostname()} pid ${process.pid}`);

  // scancel and a time limit send SIGTERM first: the node sees its AbortSignal
  const abort = new AbortController();
  const onSignal = (signal: string) => abort.abort(new Error(`stopped by ${signal} (scancel or the time limit)`));
  process.once('SIGTERM', onSignal);
  process.once('SIGINT', onSignal);
  const warnings: string[] = [];
  let computed = false;
  let lastProgress = 0;
  const startedAt = new Date().toISOString();
  try {
    const r = await runRemoteTask(
      job,
      {
        signal: abort.signal,
        onStart: () => (computed = true),
        onProgress(fraction, message) {
          const now = performance.now();
          if (now - lastProgress < 10_000 && fraction < 1) return; // the log shows a pulse, not a stream
          lastProgress = now;
          say(`progress ${(fraction * 100).toFixed(0)}%${message ? ` ${message}` : ''}`);
        },
        onWarning(message) {
          warnings.push(message);
          say(`warning: ${message}`);
        },
      },
      { store },
    );
    // this process ends next: objects and record reach the disk before the coordinator hears "done"
    await store.flush();
    await writeElementResult(resultPath, { ok: true, task: job.task, hash: r.hash, bytes: r.bytes, durationMs: r.durationMs, startedAt, host: hostname(), alreadyRecorded: !computed, warnings });
    say(computed ? `done: ${r.hash}` : `already recorded (an earlier run of this element, or another run, committed it): ${r.hash}`);
    return exitSoon(0);
  } catch (err) {
    const e = err instanceof Error ? err : new Error(String(err));
    process.stderr.write(`featureflow exec: task ${job.task} failed: ${e.stack ?? e.message}\n`);
    await writeElementResult(resultPath, { ok: false, task: job.task, error: e.message, ...(e.stack ? { stack: e.stack } : {}), host: hostname(), warnings });
    return exitSoon(1);
  } finally {
    process.off('SIGTERM', onSignal);
    process.off('SIGINT', onSignal);
  }
}

function exitSoon(code: number): number {
  setTimeout(() => process.exit(code), EXIT_GRACE_MS).unref();
  return code;
}
