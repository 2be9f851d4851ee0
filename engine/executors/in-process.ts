import type { AnyNode } from '../node.ts';
import { findNode } from '../registry/find-node.ts';
import { executeTask } from './execute-task.ts';
import type { Executor, TaskHooks, TaskJob, TaskResult } from './job.ts';

/**
 * While in-process tasks run, `process.exit` throws instead of ending the run: a node that calls
 * it fails its own task. Counted, because in-process tasks may overlap.
 */
let running = 0;
let realExit: typeof process.exit | undefined;
function guardExit(task: string): () => void {
  if (running++ === 0) {
    realExit = process.exit;
    process.exit = ((code?: number | string | null) => {
      throw new Error(`a node called process.exit(${code ?? ''}) while ${task} ran in-process; a node must return or throw`);
    }) as typeof process.exit;
  }
  return () => {
    if (--running === 0 && realExit) process.exit = realExit;
  };
}

/** Runs tasks on the main thread, one at a time by default: for debugging and tiny tasks. */
export function inProcessExecutor(concurrency = 1): Executor {
  return {
    name: 'in-process',
    concurrency,
    async execute(job: TaskJob, hooks: TaskHooks, given?: AnyNode): Promise<TaskResult> {
      const node = given ?? (await findNode(job.node));
      hooks.onStart?.();
      const unguard = guardExit(job.task);
      try {
        return await executeTask(job, node, hooks);
      } finally {
        unguard();
      }
    },
    async close() {},
  };
}
