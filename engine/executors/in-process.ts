import type { AnyNode } from '../node.ts';
import { findNode } from '../registry/find-node.ts';
import { executeTask } from './execute-task.ts';
import type { Executor, TaskHooks, TaskJob, TaskResult } from './job.ts';

/** Runs tasks on the main thread, one at a time by default: for debugging and tiny tasks. */
export function inProcessExecutor(concurrency = 1): Executor {
  return {
    name: 'in-process',
    concurrency,
    async execute(job: TaskJob, hooks: TaskHooks, given?: AnyNode): Promise<TaskResult> {
      return executeTask(job, given ?? (await findNode(job.node)), hooks);
    },
    async close() {},
  };
}
