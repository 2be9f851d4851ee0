/**
 * Import a pipeline module to read its declarations, never to run it: a script that calls
 * `run()` at its top level gets an inert run (worker mode), and its pipeline is the one that run
 * was given. `list` and `verify` use this; importing a script plainly would start its sweep.
 */
import { importPipeline } from '../load.ts';
import type { Pipeline } from '../pipeline.ts';
import { enterWorkerMode, inertPipeline, inWorkerMode, leaveWorkerMode, nextInertRun } from './worker-mode.ts';

export async function importPipelineQuietly(url: string, name?: string): Promise<Pipeline> {
  const wasWorker = inWorkerMode();
  enterWorkerMode();
  const inert = nextInertRun();
  try {
    const given = () => (name === undefined ? undefined : (inertPipeline(name) as unknown as Pipeline | undefined));
    const p = await Promise.race([importPipeline(url), inert.promise.then(() => 'script' as const)]).catch((err: unknown) => {
      // a script imported before in this process ran inert then; it has no pipeline export
      if (given()) return 'script' as const;
      throw err;
    });
    if (p !== 'script') return p;
    const pipeline = given();
    if (pipeline) return pipeline;
    throw new Error('a script: it calls run() when imported');
  } finally {
    inert.cancel();
    if (!wasWorker) leaveWorkerMode();
  }
}
