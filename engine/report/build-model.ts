/**
 * Everything the report page shows for one run, read from the store: the run record, the task
 * records behind it, the named outputs' objects and the previous run of the same pipeline.
 */
import { expandPipeline, type ExpandedPipeline } from '../expand.ts';
import type { Pipeline } from '../pipeline.ts';
import { profileOverrides } from '../prepare.ts';
import { listRunRecords, type RunRecord, type RunRecordTask } from '../run-record.ts';
import { untilSteps } from '../select-tasks.ts';
import type { Store } from '../store/store.ts';
import { changesSince } from './changes.ts';
import { lineageTasks, readTaskRecords, upstreamClosure } from './lineage.ts';
import type { OutputView, ReportModel, TaskState } from './model.ts';
import { exportCommandFor, outputCellView } from './outputs.ts';
import { referencesOf } from './references.ts';
import { selectRun, settingsFlags, type RunSettings } from './select-run.ts';
import { stepViews } from './steps.ts';
import { DEFAULT_TABLE_BUDGET, TableBudget } from './table-view.ts';

export interface ReportOptions extends RunSettings {
  /** a run id (`--run`); default: the latest run with these settings */
  readonly run?: string;
  /** bytes of table data the page may embed in all (default 5 MB) */
  readonly tableBytes?: number;
}

/** The pipeline as the run expanded it: its profile, overrides and `--until`. */
export function expandAsRun(pipeline: Pipeline, run: Pick<RunRecord, 'request'>): ExpandedPipeline {
  const overrides = new Map([...profileOverrides(pipeline, run.request?.profile), ...Object.entries(run.request?.overrides ?? {})]);
  const full = expandPipeline(pipeline, overrides);
  return run.request?.until && run.request.until.length > 0 ? untilSteps(full, run.request.until) : full;
}

export async function buildReportModel(pipeline: Pipeline, store: Store, options: ReportOptions): Promise<ReportModel> {
  const records = await listRunRecords(store, pipeline.name);
  const { run, previous } = selectRun(records, pipeline.name, options, options.run);
  const expanded = expandAsRun(pipeline, run);
  const runTasks = new Map<string, RunRecordTask>(run.tasks.map((t) => [t.task, t]));
  const stateOf = (name: string): TaskState => runTasks.get(name)?.status ?? 'not-run';
  const taskRecords = await readTaskRecords(store, run.tasks);
  const notes: string[] = [];

  const budget = new TableBudget(options.tableBytes ?? DEFAULT_TABLE_BUDGET);
  const { outputs, decoded } = await readOutputs(pipeline, expanded, store, runTasks, budget, settingsFlags(run.request), notes);
  const outputIds = [...pipeline.outputs.values()].flatMap((step) => expanded.tasks.filter((t) => t.step === step).map((t) => t.id));
  if (outputs.some((o) => o.cells.some((c) => c.table?.truncated || c.figure?.table.truncated))) {
    notes.push(`some tables are shown in part: the page embeds at most ${((options.tableBytes ?? DEFAULT_TABLE_BUDGET) / 1024 / 1024).toFixed(1)} MB of table data (--table-limit); \`featureflow export\` writes them whole`);
  }

  const closure = upstreamClosure(expanded, outputIds);
  const lineage = Object.fromEntries(outputIds.map((id) => [expanded.tasks[id]!.name, closure.get(id)!]));
  const references = (await referencesOf(pipeline.module))?.(decoded) ?? [];
  return {
    pipeline: { name: pipeline.name, description: pipeline.description },
    run: pickRun(run),
    steps: stepViews(expanded, stateOf),
    outputs,
    tasks: lineageTasks(expanded, runTasks, taskRecords),
    lineage,
    fingerprints: run.fingerprints,
    ...(previous ? { changes: changesSince(previous, run) } : {}),
    references,
    notes,
  };
}

/** Every named output's cells as page views, and their decoded values (for the references). */
async function readOutputs(
  pipeline: Pipeline,
  expanded: ExpandedPipeline,
  store: Store,
  runTasks: ReadonlyMap<string, RunRecordTask>,
  budget: TableBudget,
  flags: string,
  notes: string[],
): Promise<{ outputs: OutputView[]; decoded: Map<string, unknown[]> }> {
  const stateOf = (name: string): TaskState => runTasks.get(name)?.status ?? 'not-run';
  const named = [...pipeline.outputs];
  // tables draw on the size limit before the tables behind figures (those are folded under the figure)
  const isFigure = (step: string) => expanded.tasks.find((t) => t.step === step)?.node.output.kind === 'figure';
  const order = [...named.keys()].sort((a, b) => Number(isFigure(named[a]![1])) - Number(isFigure(named[b]![1])));
  const outputs = new Array<OutputView>(named.length);
  const decoded = new Map<string, unknown[]>();
  for (const index of order) {
    const [name, step] = named[index]!;
    const values: unknown[] = [];
    const cells = [];
    for (const task of expanded.tasks.filter((t) => t.step === step)) {
      const r = runTasks.get(task.name);
      const src = { task, state: stateOf(task.name), ...(r?.output ? { output: r.output } : {}) };
      cells.push(
        await outputCellView(store, src, budget, exportCommandFor(pipeline.name, name, flags), values).catch((err: unknown) => {
          notes.push(`output ${name}, ${task.name}: its object could not be read (${err instanceof Error ? err.message : String(err)}); \`featureflow verify\` checks the store`);
          return { task: task.name, cell: { ...task.cell }, kind: task.node.output.kind, state: src.state } as const;
        }),
      );
    }
    decoded.set(name, values);
    outputs[index] = { name, step, cells };
  }
  return { outputs, decoded };
}

function pickRun(r: RunRecord): ReportModel['run'] {
  const { id, status, startedAt, finishedAt, wallMs, host, versions, gitCommit, request, backends, error } = r;
  return { id, status, startedAt, finishedAt, wallMs, host, versions, gitCommit, request, backends, error };
}
