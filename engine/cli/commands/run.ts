/** `featureflow run`: the run with its progress display, then the named outputs as tables. */
import { join, resolve } from 'node:path';
import type { RunEvent, SummaryEvent } from '../../events.ts';
import { expandPipeline } from '../../expand.ts';
import type { TableFormat } from '../../export.ts';
import { exportStep } from '../../export-step.ts';
import { EXECUTOR_KINDS, type ExecutorKind } from '../../executors/kinds.ts';
import { loadPipeline } from '../../load.ts';
import type { Pipeline } from '../../pipeline.ts';
import { profileOverrides } from '../../prepare.ts';
import { executeRun } from '../../run.ts';
import { listRunRecords } from '../../run-record.ts';
import { Store, type Durability } from '../../store/store.ts';
import { prepareOptions, UsageError, type CommonOptions, type RunCommandOptions } from '../options.ts';
import { humanSink, progressBarsFor, jsonSink } from '../progress.ts';
import { slurmSettingsFromFlags } from '../slurm-flags.ts';
import { planCommand } from './plan.ts';

/** The real exit, taken before any in-process task can guard process.exit (executors/in-process.ts). */
const exitNow = process.exit.bind(process);

export async function runCommand(pipelineArg: string, o: RunCommandOptions): Promise<number> {
  if (o.dryRun) return planCommand(pipelineArg, o);
  if (o.watch) return (await import('./serve.ts')).watchCommand(pipelineArg, o);
  const pipeline = await loadPipeline(pipelineArg);
  const human = { quiet: Boolean(o.quiet), verbose: Boolean(o.verbose) };
  const sink = o.json ? jsonSink() : humanSink(process.stderr, human, await progressBarsFor(process.stderr, human));
  const cancel = new AbortController();
  let interrupted = false;
  const onSignal = () => {
    if (interrupted) exitNow(130);
    interrupted = true;
    process.stderr.write('\ninterrupted: cancelling running tasks (finished ones stay cached); press Ctrl-C again to quit now\n');
    cancel.abort(new Error('interrupted'));
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  let summary: SummaryEvent | undefined;
  const jobs = o.jobs !== undefined ? Number(o.jobs) : undefined;
  if (jobs !== undefined && (!Number.isInteger(jobs) || jobs < 1)) throw new UsageError(`--jobs ${o.jobs}: expected a positive integer`);
  if (!(EXECUTOR_KINDS as readonly string[]).includes(o.executor)) throw new UsageError(`--executor ${o.executor}: choose ${EXECUTOR_KINDS.join(', ')}`);
  if (o.executor === 'redis' && !o.redis) throw new UsageError('--executor redis needs --redis URL (the Redis your `featureflow worker`s listen on, e.g. redis://localhost:6379)');
  if (o.redis && o.executor !== 'redis') throw new UsageError(`--redis ${o.redis} is for --executor redis (this run's executor is ${o.executor})`);
  const slurm = slurmSettingsFromFlags(o);
  const durability = (o.fsync === false ? 'none' : o.durability) as Durability;
  if (!['each', 'batch', 'none'].includes(durability)) throw new UsageError(`--durability ${o.durability}: choose each, batch or none`);
  const store = await Store.open(o.store, { durability });
  try {
    await executeRun(
      pipeline,
      {
        ...prepareOptions(o),
        store,
        executor: o.executor as ExecutorKind,
        ...(o.redis ? { redis: o.redis } : {}),
        ...(jobs ? { concurrency: jobs } : {}),
        ...(slurm ? { slurm } : {}),
        failFast: Boolean(o.failFast),
        durability,
        ...(o.forceall ? { force: 'all' as const } : o.force.length > 0 ? { force: o.force } : {}),
      },
      (e: RunEvent) => {
        if (e.type === 'summary') summary = e;
        sink.next(e);
      },
      cancel.signal,
    );
  } finally {
    sink.stop();
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
  }
  if (interrupted) return 130;
  if (summary && o.results !== false) {
    const dir = resolve(o.results, pipeline.name);
    const written = await exportOutputs(store, pipeline, o, summary, dir);
    if (written > 0) {
      if (o.json) process.stdout.write(`${JSON.stringify({ type: 'info', message: `results: ${dir}` })}\n`);
      else if (!o.quiet) process.stderr.write(`results (${written} files): ${dir}\n`);
    }
  }
  return !summary || summary.failed > 0 || summary.error ? 1 : 0;
}

/** The named outputs of the run just finished, one table per output (sweep coordinates as columns). */
export async function exportOutputs(store: Store, pipeline: Pipeline, o: CommonOptions, summary: SummaryEvent, dir: string, formats: TableFormat[] = ['parquet']): Promise<number> {
  const run = (await listRunRecords(store, pipeline.name))[0];
  const keys = new Map(run?.tasks.filter((t) => t.output && t.key).map((t) => [t.task, { key: t.key!, kind: t.output!.kind }]) ?? []);
  const prepared = prepareOptions(o);
  const expanded = expandPipeline(pipeline, new Map([...profileOverrides(pipeline, prepared.profile), ...prepared.overrides]));
  const byName = new Map(expanded.tasks.map((t) => [t.name, t]));
  let count = 0;
  for (const [output, tasks] of Object.entries(summary.outputs)) {
    const cells = Object.entries(tasks).flatMap(([task, hash]) => {
      const spec = byName.get(task);
      const k = keys.get(task);
      return spec && k ? [{ task, key: k.key, cell: spec.cell, params: spec.params, kind: k.kind, hash }] : [];
    });
    const step = cells.length > 0 ? byName.get(cells[0]!.task)!.step : output;
    const r = await exportStep(store, cells, join(dir, output), { pipeline: pipeline.name, step, stem: output, ...(run?.id ? { run: run.id } : {}), formats });
    count += r.written.length;
    for (const n of r.notes) process.stderr.write(`note: ${n}\n`);
  }
  return count;
}

