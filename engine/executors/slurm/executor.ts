/**
 * `--executor slurm`: ready tasks leave as `sbatch` job arrays, one per wave of the DAG (waves.ts);
 * element i of an array runs `featureflow exec` on task i of the array's batch file in the shared
 * store. The coordinator follows every array with one `squeue` per poll (follow.ts), takes each
 * element's outcome from the result file it wrote, and turns an element that ended without one
 * (cancelled, timed out, killed) into a task failure carrying the end of its log. Cancelling the
 * run `scancel`s what is still queued or running.
 */
import type { Executor, TaskHooks, TaskJob, TaskResult } from '../job.ts';
import { writeBatch } from './batch-file.ts';
import { slurmCommands, type SlurmCommands } from './commands.ts';
import { ArrayFollower, type Element } from './follow.ts';
import { elementScript, ownCommand, type ElementCommand } from './job-script.ts';
import { checkSlurmSettings, resourceArgs, type SlurmSettings } from './settings.ts';
import { WaveBatcher } from './waves.ts';

export interface SlurmDependencies {
  readonly commands?: SlurmCommands;
  /** what an element runs (default: this Node and this featureflow) */
  readonly command?: ElementCommand;
  /** where elements start (default: the current directory, the project) */
  readonly cwd?: string;
}

/** Tasks in flight at once: SLURM queues them, so the coordinator need not hold them back. */
const IN_FLIGHT = 100_000;

/**
 * One abort listener per signal, not per task: a run hands every task the same signal, and
 * thousands of listeners on it would each be called (and warned about) one by one.
 */
const waiting = new WeakMap<AbortSignal, Map<Element, () => void>>();
function onAbort(signal: AbortSignal, element: Element, cancel: () => void): void {
  let tasks = waiting.get(signal);
  if (!tasks) {
    const all = new Map<Element, () => void>();
    waiting.set(signal, (tasks = all));
    signal.addEventListener('abort', () => [...all.values()].forEach((c) => c()), { once: true });
  }
  tasks.set(element, cancel);
  element.onSettled = () => tasks.delete(element);
}

export function slurmExecutor(settings: SlurmSettings = {}, deps: SlurmDependencies = {}): Executor {
  const s = checkSlurmSettings(settings);
  const commands = deps.commands ?? slurmCommands();
  const command = deps.command ?? ownCommand();
  const cwd = deps.cwd ?? process.cwd();
  const follower = new ArrayFollower(commands, { pollMs: s.pollMs ?? 500 });

  const submitWave = async (wave: Element[]): Promise<void> => {
    const live = wave.filter((e) => !e.settled);
    if (live.length === 0) return;
    try {
      const storeRoot = live[0]!.job.storeRoot;
      const paths = await writeBatch(storeRoot, live.map((e) => e.job));
      const jobId = await commands.submitArray({ script: elementScript(command, paths.file, storeRoot), count: live.length, output: paths.logPattern, chdir: cwd, args: resourceArgs(s) });
      follower.follow(jobId, paths, live);
    } catch (err) {
      for (const e of live) e.fail(err);
    }
  };
  const batcher = new WaveBatcher<Element>((wave) => void submitWave(wave), { quietMs: s.gatherMs ?? 100, maxWaitMs: 2_000, maxSize: s.maxArraySize ?? 1000 });

  return {
    name: 'slurm',
    // SLURM decides how many run at once; what the run can say is how many one array holds
    concurrency: s.maxArraySize ?? 1000,
    inFlight: IN_FLIGHT,
    remote: true,
    execute(job: TaskJob, hooks: TaskHooks): Promise<TaskResult> {
      return new Promise<TaskResult>((resolve, reject) => {
        if (hooks.signal.aborted) return reject(hooks.signal.reason);
        const element = follower.element(job, hooks, resolve, reject);
        onAbort(hooks.signal, element, () => {
          // still gathering: it never reaches SLURM; submitted: scancel it
          if (!batcher.remove(element)) follower.cancel(element);
          element.fail(hooks.signal.reason);
        });
        batcher.add(element);
      });
    },
    async close() {
      for (const e of batcher.drain()) e.fail(new Error('the run ended before this task was submitted'));
      await follower.close();
    },
  };
}
