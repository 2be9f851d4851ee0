/** `featureflow explain`: why a task is stale, and how it failed last time. */
import { explainTask } from '../../explain.ts';
import { loadPipeline } from '../../load.ts';
import { openForReading, prepareOptions, type CommonOptions } from '../options.ts';

export async function explainCommand(pipelineArg: string, task: string, o: CommonOptions): Promise<number> {
  const pipeline = await loadPipeline(pipelineArg);
  const store = await openForReading(o.store);
  const x = await explainTask(pipeline, store, task, prepareOptions(o));
  if (o.json) {
    process.stdout.write(`${JSON.stringify({ type: 'explain', ...x })}\n`);
    return 0;
  }
  const say = (s: string) => process.stdout.write(`${s}\n`);
  say(`${x.task}: ${x.status}${x.key ? ` (key ${x.key.slice(0, 12)}…)` : ''}`);
  if (x.previousRun) say(`compared with the run of ${x.previousRun}${x.previousKey ? ` (key ${x.previousKey.slice(0, 12)}…)` : ''}`);
  else say('no earlier run of this cell in this store');
  for (const d of x.differences) say(`  ${d.component}: ${d.what}: ${JSON.stringify(d.before)} → ${JSON.stringify(d.after)}`);
  if (x.differences.length === 0 && x.previousRun) say('  no key component changed');
  if (x.lastFailure) {
    say(`  it failed in run ${x.lastFailure.run}: ${x.lastFailure.error}`);
    if (x.lastFailure.stack) say(x.lastFailure.stack.replace(/^/gm, '    '));
  }
  if (x.upstreamToCompute.length > 0) say(`  waits for upstream tasks to compute: ${x.upstreamToCompute.slice(0, 10).join(', ')}${x.upstreamToCompute.length > 10 ? ', …' : ''}`);
  return 0;
}

