/**
 * The `featureflow` command line: run · plan · explain · export · gc · verify · reproduce.
 * Exit codes: 0 ok, 1 a task failed (or verify found a problem), 2 bad input, 130 interrupted.
 */
import { Command, Option } from 'commander';
import { join, resolve } from 'node:path';
import { PipelineError } from '../errors.ts';
import type { TableFormat } from '../export.ts';
import { exportStep } from '../export-step.ts';
import { expandPipeline } from '../expand.ts';
import type { Pipeline } from '../pipeline.ts';
import { profileOverrides } from '../prepare.ts';
import { explainTask } from '../explain.ts';
import { collectGarbage } from '../gc.ts';
import { loadPipeline, UnknownPipelineError } from '../load.ts';
import { planPipeline } from '../plan.ts';
import { executeRun, EXECUTOR_KINDS, type ExecutorKind } from '../run.ts';
import type { RunEvent, SummaryEvent } from '../events.ts';
import { StoreError } from '../store/errors.ts';
import { Store, type Durability } from '../store/store.ts';
import { verifyFailed, verifyStore } from '../verify.ts';
import { listRunRecords } from '../run-record.ts';
import { packageVersion } from '../project.ts';
import { listCommand } from './list.ts';
import { humanSink, jsonSink } from './progress.ts';
import { parseSetOptions, SetSyntaxError } from './set-values.ts';
import { CanonicalEncodingError } from '../canonical.ts';
import { BackendSelectionError, BackendUnavailable } from '../compute/backends.ts';
import { NodeIdentityError } from '../registry/registry.ts';

class UsageError extends Error {}

const collect = (v: string, prev: string[]) => [...prev, v];

interface CommonOptions {
  store: string;
  set: string[];
  profile?: string;
  backend?: string;
  json?: boolean;
  until?: string[];
}

function withCommon(cmd: Command): Command {
  return cmd
    .option('--store <dir>', 'store directory', 'artifacts')
    .option('--set <step.param=value>', 'override a parameter (repeatable); a list replaces a sweep', collect, [])
    .option('--profile <name>', "a pipeline's named bundle of overrides (e.g. paper)")
    .option('--backend <names>', 'force compute backends, comma-separated (e.g. native, ml-matrix, wasm, cpu)')
    .option('--until <step>', 'only this step and what it needs, nothing after (repeatable)', collect, [])
    .option('--json', 'print events as NDJSON on stdout');
}

function withRunOptions(cmd: Command): Command {
  return cmd
    .addOption(new Option('--executor <kind>', 'processes (a crashing task fails alone), threads, or in-process').choices([...EXECUTOR_KINDS]).default('processes'))
    .option('-j, --jobs <n>', 'worker processes or threads (default: one per core)')
    .option('--fail-fast', 'stop scheduling after the first failed task')
    .option('--results <dir>', 'where the named outputs are written as Parquet/SVG/PNG', 'results')
    .option('--no-results', 'do not write the outputs')
    .option('--durability <mode>', 'each (fsync every write), batch (fsync together, shortly after), none', 'batch')
    .option('--no-fsync', 'same as --durability none')
    .option('-n, --dry-run', 'show what would run and why, run nothing (the same as `plan`)')
    .option('--force <step>', "recompute this step's tasks even if cached (repeatable); downstream follows early cutoff", collect, [])
    .option('--forceall', 'recompute every task')
    .option('-q, --quiet', 'print only failures and the summary')
    .option('-v, --verbose', "print a failed task's stack");
}

function prepareOptions(o: CommonOptions) {
  return {
    overrides: parseSetOptions(o.set),
    ...(o.profile ? { profile: o.profile } : {}),
    backend: o.backend ? o.backend.split(',').map((s) => s.trim()).filter(Boolean) : [],
    ...(o.until && o.until.length > 0 ? { until: o.until } : {}),
  };
}

type RunCommandOptions = CommonOptions & {
  executor: string;
  jobs?: string;
  failFast?: boolean;
  results: string | false;
  fsync: boolean;
  durability: string;
  dryRun?: boolean;
  force: string[];
  forceall?: boolean;
  quiet?: boolean;
  verbose?: boolean;
};

async function runCommand(pipelineArg: string, o: RunCommandOptions): Promise<number> {
  if (o.dryRun) return planCommand(pipelineArg, o);
  const pipeline = await loadPipeline(pipelineArg);
  const sink = o.json ? jsonSink() : humanSink(process.stderr, { quiet: Boolean(o.quiet), verbose: Boolean(o.verbose) });
  const cancel = new AbortController();
  let interrupted = false;
  const onSignal = () => {
    if (interrupted) process.exit(130);
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
        ...(jobs ? { concurrency: jobs } : {}),
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
async function exportOutputs(store: Store, pipeline: Pipeline, o: CommonOptions, summary: SummaryEvent, dir: string, formats: TableFormat[] = ['parquet']): Promise<number> {
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

async function planCommand(pipelineArg: string, o: CommonOptions): Promise<number> {
  const pipeline = await loadPipeline(pipelineArg);
  const store = await Store.open(o.store);
  const { entries } = await planPipeline(pipeline, store, prepareOptions(o));
  if (o.json) {
    for (const e of entries) process.stdout.write(`${JSON.stringify({ type: 'plan-task', ...e })}\n`);
  } else {
    const width = Math.min(60, Math.max(...entries.map((e) => e.task.length), 4));
    for (const e of entries) process.stdout.write(`${e.status === 'cached' ? 'cached    ' : 'compute   '}${e.task.padEnd(width)}  ${e.reasons.join(', ')}\n`);
  }
  const compute = entries.filter((e) => e.status === 'compute').length;
  const line = `${pipeline.name}: ${entries.length} tasks, ${entries.length - compute} cached, ${compute} to compute`;
  if (o.json) process.stdout.write(`${JSON.stringify({ type: 'summary', tasks: entries.length, cached: entries.length - compute, compute })}\n`);
  else process.stdout.write(`${line}\n`);
  return 0;
}

async function explainCommand(pipelineArg: string, task: string, o: CommonOptions): Promise<number> {
  const pipeline = await loadPipeline(pipelineArg);
  const store = await Store.open(o.store);
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
  if (x.upstreamToCompute.length > 0) say(`  waits for upstream tasks to compute: ${x.upstreamToCompute.slice(0, 10).join(', ')}${x.upstreamToCompute.length > 10 ? ', …' : ''}`);
  return 0;
}

async function exportCommand(pipelineArg: string, o: CommonOptions & { out: string; format: string; output?: string; hive?: boolean }): Promise<number> {
  const pipeline = await loadPipeline(pipelineArg);
  const store = await Store.open(o.store);
  const formats = o.format.split(',').map((f) => f.trim()) as TableFormat[];
  for (const f of formats) if (!['parquet', 'csv', 'arrow'].includes(f)) throw new UsageError(`--format ${f}: choose parquet, csv or arrow`);
  const { entries, prepared } = await planPipeline(pipeline, store, prepareOptions(o));
  const outputs = prepared.expanded.outputs;
  const steps = new Set(prepared.expanded.tasks.map((t) => t.step));
  if (o.output && !outputs.has(o.output) && !steps.has(o.output)) {
    throw new UsageError(`pipeline ${pipeline.name} has no output or step "${o.output}" (outputs: ${[...outputs.keys()].join(', ')}; steps: ${[...steps].join(', ')})`);
  }
  // what to write: one named output, one step, or every named output; each becomes one table
  const groups = new Map<string, number[]>();
  if (o.output && outputs.has(o.output)) groups.set(o.output, [...outputs.get(o.output)!]);
  else if (o.output) groups.set(o.output, prepared.expanded.tasks.filter((t) => t.step === o.output).map((t) => t.id));
  else for (const [name, ids] of outputs) groups.set(name, [...ids]);
  const run = (await listRunRecords(store, pipeline.name))[0];
  let written = 0;
  let missing = 0;
  const root = join(resolve(o.out), pipeline.name);
  for (const [name, ids] of groups) {
    const cells = [];
    for (const id of ids) {
      const t = prepared.expanded.tasks[id]!;
      const entry = entries[id]!;
      const rec = entry.status === 'cached' && entry.key ? await store.readRecord(entry.key) : undefined;
      if (!rec || rec === 'corrupt') {
        missing++;
        continue;
      }
      cells.push({ task: t.name, key: rec.key, cell: t.cell, params: t.params, kind: rec.output.kind, hash: rec.output.hash });
    }
    if (cells.length === 0) continue;
    const step = prepared.expanded.tasks[ids[0]!]!.step;
    const r = await exportStep(store, cells, join(root, name), { pipeline: pipeline.name, step, stem: name, formats, hive: Boolean(o.hive), ...(run?.id ? { run: run.id } : {}) });
    written += r.written.length;
    for (const n of r.notes) process.stderr.write(`note: ${n}\n`);
  }
  process.stderr.write(`exported ${written} files to ${root}${missing ? `; ${missing} tasks not computed yet (run the pipeline first)` : ''}\n`);
  return missing > 0 && written === 0 ? 1 : 0;
}

/** What one invocation of the CLI decided: its exit code. Never module-global. */
interface CliState {
  exitCode: number;
}

export function buildCli(state: CliState = { exitCode: 0 }): Command {
  const setExit = (code: number) => {
    state.exitCode = code;
  };
  const program = new Command('featureflow')
    .description('typed ML experiment pipelines with a content-addressed cache')
    .version(packageVersion(), '-V, --version')
    .showHelpAfterError()
    .exitOverride();

  withRunOptions(withCommon(program.command('run <pipeline>').description('run a pipeline (a built-in name or a module path), computing only what changed'))).action(
    async (p: string, o) => setExit(await runCommand(p, o)),
  );

  withRunOptions(withCommon(program.command('reproduce <pipeline>').description("run a pipeline at the paper's sizes (its `paper` profile)"))).action(
    async (p: string, o) => {
      // a pipeline whose default already is the paper's size has no `paper` profile
      const hasPaper = 'paper' in (await loadPipeline(p)).profiles;
      if (!hasPaper && !o.profile) process.stderr.write(`info: pipeline ${p} has no paper profile: its default run is the paper's size\n`);
      setExit(await runCommand(p, { ...o, profile: o.profile ?? (hasPaper ? 'paper' : undefined) }));
    },
  );

  withCommon(program.command('plan <pipeline>').description('dry run: every task as cached or to compute, with the reason')).action(async (p: string, o) => setExit(await planCommand(p, o)));

  withCommon(program.command('explain <pipeline> <task>').description('why a task is stale: which key component changed since its last run')).action(async (p: string, t: string, o) =>
    setExit(await explainCommand(p, t, o)),
  );

  withCommon(program.command('export <pipeline>').description('write outputs (or one step) as Parquet, CSV or Arrow'))
    .option('--output <name>', 'one named output or step (default: all named outputs)')
    .option('--format <list>', 'parquet, csv, arrow (comma-separated)', 'parquet')
    .option('--out <dir>', 'destination', 'exports')
    .option('--hive', 'also write a Hive-partitioned folder per output (<axis>=<value>/part.<format>)')
    .action(async (p: string, o) => setExit(await exportCommand(p, o)));

  program
    .command('list')
    .description('the built-in pipelines and the pipeline files in a folder, with their steps, nodes and profiles')
    .option('--dir <dir>', 'where to look for pipeline files', '.')
    .option('--json', 'print one JSON object per pipeline')
    .action(async (o: { dir: string; json?: boolean }) => setExit(await listCommand(o)));

  program
    .command('init [dir]')
    .description('scaffold a project in dir (default: here): package.json, tsconfig, nodes.ts, pipeline.ts with a small sweep, README; never overwrites')
    .action(async (dir?: string) => setExit((await import('./init.ts')).initCommand(dir ?? '.')));

  program
    .command('gc')
    .description('delete what the latest run of each pipeline does not reach (dry run unless --delete)')
    .option('--store <dir>', 'store directory', 'artifacts')
    .option('--delete', 'really delete')
    .option('--json', 'print the report as JSON')
    .action(async (o: { store: string; delete?: boolean; json?: boolean }) => {
      // a dry run writes nothing, so it opens the store read-only (and works on a read-only one)
      const r = await collectGarbage(await Store.open(o.store, { readOnly: !o.delete }), { dryRun: !o.delete });
      if (o.json) process.stdout.write(`${JSON.stringify({ type: 'gc', ...r })}\n`);
      else {
        for (const u of r.unreadableRuns) process.stderr.write(`warning: run record ${u} cannot be read: gc --delete will refuse until it is repaired or removed\n`);
        process.stdout.write(`keeping what these runs reached:\n${r.keptRuns.map((k) => `  ${k}`).join('\n') || '  (no runs recorded)'}\n`);
        process.stdout.write(
          `${r.dryRun ? 'would delete' : 'deleted'} ${r.objects.deleted} objects (${(r.objects.bytes / 1e6).toFixed(1)} MB) and ${r.records.deleted} task records; keeping ${r.objects.kept} objects, ${r.records.kept} records${r.dryRun ? ' (dry run: pass --delete)' : ''}\n`,
        );
      }
    });

  program
    .command('verify')
    .description('re-hash every object; --recompute N recomputes N random tasks and compares bytes')
    .option('--store <dir>', 'store directory', 'artifacts')
    .option('--recompute <n>', 'recompute this many random tasks', '0')
    .option('--json', 'print the report as JSON')
    .action(async (o: { store: string; recompute: string; json?: boolean }) => {
      const n = Number(o.recompute);
      if (!Number.isInteger(n) || n < 0) throw new UsageError(`--recompute ${o.recompute}: expected a non-negative integer`);
      const r = await verifyStore(await Store.open(o.store, { readOnly: n === 0 }), { recompute: n });
      if (o.json) process.stdout.write(`${JSON.stringify({ type: 'verify', ...r })}\n`);
      else {
        process.stdout.write(`${r.objects} objects re-hashed: ${r.corrupt.length === 0 ? 'all good' : `${r.corrupt.length} corrupt:\n${r.corrupt.map((h) => `  ${h}`).join('\n')}`}\n`);
        for (const u of r.unreadable) process.stdout.write(`cannot list ${u}: what it holds was not checked\n`);
        process.stdout.write(`${r.records} task records checked: ${r.recordProblems.length === 0 ? 'all consistent' : `${r.recordProblems.length} problems:`}\n`);
        for (const p of r.recordProblems) process.stdout.write(`  record ${p.key.slice(0, 16)}…${p.task ? ` (${p.task})` : ''}: ${p.problem}\n`);
        for (const n of r.notes) process.stderr.write(`note: ${n}\n`);
        for (const x of r.recomputed) process.stdout.write(`recomputed ${x.task}: ${x.same ? 'identical bytes' : `MISMATCH: ${x.detail}`}\n`);
      }
      setExit(verifyFailed(r) ? 1 : 0);
    });
  return program;
}

/** Errors that are the user's input (a pipeline, a flag, a store path): exit 2 with the message. */
const INPUT_ERRORS = [PipelineError, UnknownPipelineError, StoreError, SetSyntaxError, UsageError, CanonicalEncodingError, BackendSelectionError, BackendUnavailable, NodeIdentityError];

/**
 * `featureflow run … | head` closes stdout early: end quietly instead of with an EPIPE stack.
 * The exit is taken before anything can replace process.exit (in-process tasks guard it).
 */
const exitNow = process.exit.bind(process);
function quietOnBrokenPipe(): void {
  process.stdout.on('error', (err: NodeJS.ErrnoException) => {
    if (err.code === 'EPIPE') exitNow(typeof process.exitCode === 'number' ? process.exitCode : 0);
    throw err;
  });
}

export async function main(argv: string[]): Promise<number> {
  quietOnBrokenPipe();
  const state: CliState = { exitCode: 0 };
  const program = buildCli(state);
  try {
    await program.parseAsync(argv, { from: 'user' });
    return state.exitCode;
  } catch (err) {
    const e = err as Error & { code?: string; exitCode?: number };
    if (e.code?.startsWith('commander.')) {
      return e.code === 'commander.helpDisplayed' || e.code === 'commander.version' ? 0 : 2;
    }
    if (INPUT_ERRORS.some((C) => err instanceof C)) {
      process.stderr.write(`featureflow: ${e.message}\n`);
      return 2;
    }
    process.stderr.write(`featureflow: unexpected error: ${e.stack ?? e.message}\n`);
    return 1;
  }
}
