/**
 * A live-run child (the hidden `__live-run` command): one run in a fresh process, so a saved
 * node or pipeline file is imported anew (a process cannot re-import a changed ES module). Its
 * events go to the parent over IPC (or to the console for `run --watch`). The parent's `cancel`
 * message or a SIGINT cancels the run cleanly; finished tasks stay cached, nothing half-written
 * stays.
 */
import type { ExecutorKind } from '../executors/kinds.ts';
import { humanSink, progressBarsFor } from '../cli/progress.ts';
import { resolve } from 'node:path';
import { exportOutputs } from '../cli/commands/run.ts';
import type { RunEvent, SummaryEvent } from '../events.ts';
import { loadPipeline } from '../load.ts';
import { Store, type Durability } from '../store/store.ts';
import { CHILD_OPTIONS_ENV, type LiveChildOptions } from './child-options.ts';
import { liveRun } from './live-run.ts';
import { executeRun } from '../run.ts';
import type { LiveMessage } from './messages.ts';

async function writeResults(o: LiveChildOptions, store: Store, summary: SummaryEvent): Promise<void> {
  const pipeline = await loadPipeline(o.pipeline);
  const dir = resolve(o.results!, pipeline.name);
  const common = { store: o.store, set: [...(o.set ?? [])], ...(o.profile ? { profile: o.profile } : {}) };
  const written = await exportOutputs(store, pipeline, common, summary, dir);
  if (written > 0 && !o.quiet) process.stderr.write(`results (${written} files): ${dir}\n`);
}

export async function liveRunChild(): Promise<number> {
  const o = JSON.parse(process.env[CHILD_OPTIONS_ENV] ?? 'null') as LiveChildOptions | null;
  if (!o) throw new Error(`__live-run is started by featureflow serve and run --watch (${CHILD_OPTIONS_ENV} is not set)`);
  const cancel = new AbortController();
  const stop = () => {
    if (!cancel.signal.aborted) cancel.abort(new Error('cancelled'));
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
  process.on('message', (m: { type?: string }) => {
    if (m?.type === 'cancel') stop();
  });
  process.on('disconnect', stop);
  const human = { quiet: Boolean(o.quiet), verbose: Boolean(o.verbose) };
  const sink = o.mode === 'console' ? humanSink(process.stderr, human, await progressBarsFor(process.stderr, human)) : undefined;
  const send = (m: LiveMessage) => {
    if (o.mode === 'page' && process.connected) process.send?.(m);
  };
  let failed = false;
  try {
    const store = await Store.open(o.store, { durability: o.durability as Durability });
    const options = {
      store,
      overrides: new Map(o.overrides),
      ...(o.profile ? { profile: o.profile } : {}),
      ...(o.backend?.length ? { backend: o.backend } : {}),
      ...(o.until?.length ? { until: o.until } : {}),
      executor: o.executor as ExecutorKind,
      ...(o.concurrency ? { concurrency: o.concurrency } : {}),
      failFast: Boolean(o.failFast),
    };
    let summary: SummaryEvent | undefined;
    const onEvent = (e: RunEvent) => {
      if (e.type === 'summary') summary = e;
      if (e.type === 'summary' && (e.failed > 0 || e.error)) failed = true;
      sink?.next(e);
    };
    // run --watch draws no page: the plain run, its progress on the console, its outputs written as `run` writes them
    if (o.mode === 'console') {
      await executeRun(o.pipeline, options, onEvent, cancel.signal);
      if (summary && o.results && !cancel.signal.aborted) await writeResults(o, store, summary);
    } else await liveRun(o.pipeline, { ...options, runNumber: o.runNumber, onEvent }, send, cancel.signal);
  } catch (err) {
    // a pipeline that no longer loads (a save mid-edit): the page says so and keeps the last view
    send({ type: 'log', text: `run ${o.runNumber} could not run: ${err instanceof Error ? err.message : String(err)}` });
    send({ type: 'status', status: 'failed', run: o.runNumber });
    throw err;
  } finally {
    sink?.stop();
  }
  if (process.connected) process.disconnect();
  return cancel.signal.aborted ? 130 : failed ? 1 : 0;
}
