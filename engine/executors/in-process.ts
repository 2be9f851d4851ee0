import type { AnyNode } from '../node.ts';
import { importPipeline } from '../load.ts';
import { executeTask } from './execute-task.ts';
import type { Executor, TaskHooks, TaskJob, TaskResult } from './job.ts';

/** Runs tasks on the main thread, one at a time by default: for debugging and tiny tasks. */
export function inProcessExecutor(concurrency = 1): Executor {
  return {
    name: 'in-process',
    concurrency,
    async execute(job: TaskJob, hooks: TaskHooks, given?: AnyNode): Promise<TaskResult> {
      const node = given ?? (await importPipeline(job.pipelineModule)).steps.get(job.step)?.node;
      if (!node || node.name !== job.node) throw new Error(`step ${job.step} of ${job.pipelineModule} is not node ${job.node}`);
      return executeTask(job, node, hooks);
    },
    async close() {},
  };
}
