/**
 * One run with a live view: the run's events drive the LiveView, whose redraws (and a log line
 * per finished or failed task) go to `send`. The page of the plan comes first; the finished run's
 * report replaces it at the end.
 */
import type { RunEvent } from '../events.ts';
import { importPipeline, resolvePipeline } from '../load.ts';
import type { Pipeline } from '../pipeline.ts';
import { buildReportModel, expandAsRun } from '../report/build-model.ts';
import type { ReportModel } from '../report/model.ts';
import { exportCommandFor } from '../report/outputs.ts';
import { renderPage } from '../report/render-page.ts';
import { settingsFlags } from '../report/select-run.ts';
import { lineageTasks, upstreamClosure } from '../report/lineage.ts';
import { stepViews } from '../report/steps.ts';
import { executeRun, type RunOptions } from '../run.ts';
import { Store } from '../store/store.ts';
import type { LiveMessage } from './messages.ts';
import { LiveView } from './live-view.ts';

export interface LiveRunOptions extends RunOptions {
  readonly store: Store;
  /** this is the n-th run of a `serve --watch` session (the page shows it) */
  readonly runNumber?: number;
  readonly intervalMs?: number;
  /** also hand every run event on (the CLI's progress display) */
  readonly onEvent?: (e: RunEvent) => void;
}

function overridesRecord(o: RunOptions['overrides']): Record<string, unknown> {
  return !o ? {} : o instanceof Map ? Object.fromEntries(o) : { ...(o as Record<string, unknown>) };
}

/** The page before anything ran: the plan, every output waiting. */
function planModel(pipeline: Pipeline, live: LiveView, expanded: ReturnType<typeof expandAsRun>, request: NonNullable<ReportModel['run']['request']>): ReportModel {
  const outputIds = [...pipeline.outputs.values()].flatMap((step) => expanded.tasks.filter((t) => t.step === step).map((t) => t.id));
  const closure = upstreamClosure(expanded, outputIds);
  return {
    pipeline: { name: pipeline.name, description: pipeline.description },
    run: { status: 'running' as never, startedAt: new Date().toISOString(), finishedAt: '', backends: {}, request },
    steps: stepViews(expanded, live.stateOf),
    outputs: [...pipeline.outputs].map(([name, step]) => ({
      name,
      step,
      cells: expanded.tasks.filter((t) => t.step === step).slice(0, 24).map((t) => ({ task: t.name, cell: { ...t.cell }, kind: t.node.output.kind, state: 'pending' as const })),
    })),
    tasks: lineageTasks(expanded, new Map(), new Map()),
    lineage: Object.fromEntries(outputIds.map((id) => [expanded.tasks[id]!.name, closure.get(id)!])),
    fingerprints: {},
    references: [],
    notes: [],
  };
}

export async function liveRun(pipelineArg: Pipeline | string, options: LiveRunOptions, send: (m: LiveMessage) => void, cancelled: AbortSignal): Promise<void> {
  const pipeline = typeof pipelineArg === 'string' ? await importPipeline(resolvePipeline(pipelineArg)) : pipelineArg;
  const run = options.runNumber ?? 1;
  const request = { ...(options.profile ? { profile: options.profile } : {}), overrides: overridesRecord(options.overrides), executor: String(typeof options.executor === 'object' ? options.executor.name : (options.executor ?? 'processes')), concurrency: options.concurrency ?? 0 };
  const expanded = expandAsRun(pipeline, { request });
  const flags = settingsFlags(request);
  const live = new LiveView({ expanded, store: options.store, send, ...(options.intervalMs !== undefined ? { intervalMs: options.intervalMs } : {}), ...(options.backend ? { backend: options.backend } : {}), exportCommand: (o) => exportCommandFor(pipeline.name, o, flags) });
  send({ type: 'page', html: renderPage(planModel(pipeline, live, expanded, request), { live: true }) });
  send({ type: 'status', status: 'running', run });
  let summary: Extract<RunEvent, { type: 'summary' }> | undefined;
  await executeRun(
    pipeline,
    { ...options, entry: options.entry ?? (typeof pipelineArg === 'string' ? resolvePipeline(pipelineArg) : undefined) },
    (e) => {
      options.onEvent?.(e);
      live.onEvent(e);
      if (e.type === 'task-done') send({ type: 'log', text: `computed ${e.task} (${Math.round(e.durationMs)} ms)` });
      else if (e.type === 'task-failed') send({ type: 'log', text: `failed ${e.task}: ${e.error}` });
      else if (e.type === 'summary') summary = e;
    },
    cancelled,
  );
  await live.settle();
  const status = !summary ? 'failed' : summary.cancelled ? 'cancelled' : summary.failed > 0 || summary.error ? 'failed' : 'completed';
  if (summary) {
    send({ type: 'log', text: `run ${run} ${status}: ${summary.computed} computed, ${summary.cached} cached, ${summary.failed} failed in ${(summary.durationMs / 1000).toFixed(1)} s` });
    // the open page hears the end at once, then reloads into the report when it is built
    send({ type: 'status', status, run });
    const model = await buildReportModel(pipeline, options.store, { ...(options.profile ? { profile: options.profile } : {}), overrides: new Map(Object.entries(request.overrides)) }).catch((err: unknown) => {
      send({ type: 'log', text: `the run's report could not be built: ${err instanceof Error ? err.message : String(err)}` });
      return undefined;
    });
    if (model) send({ type: 'page', html: renderPage(model, { live: true }) });
  }
  // again, for pages that connect later (a new page clears what the server replays)
  send({ type: 'status', status, run });
}
