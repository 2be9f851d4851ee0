/** `featureflow plan` (and `run -n`): every task as cached or to compute, with the reason. */
import { loadPipeline } from '../../load.ts';
import { planPipeline, type PlanEntry } from '../../plan.ts';
import { openForReading, prepareOptions, type CommonOptions } from '../options.ts';

/** Up to this many tasks, `plan` lists each; beyond, one line per step and reason. */
const PLAN_LIST_LIMIT = 300;

function printPlanText(entries: readonly PlanEntry[]): void {
  if (entries.length <= PLAN_LIST_LIMIT) {
    const width = Math.min(60, entries.reduce((w, e) => Math.max(w, e.task.length), 4));
    for (const e of entries) process.stdout.write(`${e.status === 'cached' ? 'cached    ' : 'compute   '}${e.task.padEnd(width)}  ${e.reasons.join(', ')}\n`);
    return;
  }
  const perStep = new Map<string, Map<string, number>>();
  for (const e of entries) {
    const reasons = perStep.get(e.step) ?? perStep.set(e.step, new Map()).get(e.step)!;
    const why = `${e.status === 'cached' ? 'cached' : 'compute'}: ${e.reasons.join(', ')}`;
    reasons.set(why, (reasons.get(why) ?? 0) + 1);
  }
  for (const [step, reasons] of perStep) {
    for (const [why, n] of reasons) process.stdout.write(`${step.padEnd(24)} ${String(n).padStart(8)} × ${why}\n`);
  }
  process.stdout.write(`(${entries.length} tasks summarised per step; --json lists each)\n`);
}

export async function planCommand(pipelineArg: string, o: CommonOptions): Promise<number> {
  const pipeline = await loadPipeline(pipelineArg);
  const store = await openForReading(o.store);
  const { entries } = await planPipeline(pipeline, store, prepareOptions(o));
  if (o.json) {
    for (const e of entries) process.stdout.write(`${JSON.stringify({ type: 'plan-task', ...e })}\n`);
  } else {
    printPlanText(entries);
  }
  const compute = entries.filter((e) => e.status === 'compute').length;
  const line = `${pipeline.name}: ${entries.length} tasks, ${entries.length - compute} cached, ${compute} to compute`;
  if (o.json) process.stdout.write(`${JSON.stringify({ type: 'summary', storeId: store.id ?? null, tasks: entries.length, cached: entries.length - compute, compute })}\n`);
  else process.stdout.write(`${line}\n`);
  return 0;
}

