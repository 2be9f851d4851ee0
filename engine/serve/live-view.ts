/**
 * The live page's state, fed by a run's events: each task's state, the DAG with its counts, and
 * every named output redrawn as its cells finish (or, downstream of a gather, from the cells done
 * so far: partial.ts). Redraws are coalesced: at most one per output and one of the DAG per
 * `intervalMs`, and never more than a tenth of this thread's time, so a fast sweep costs the run
 * little.
 */
import type { RunEvent } from '../events.ts';
import type { ExpandedPipeline } from '../expand.ts';
import type { PortKind } from '../ports.ts';
import type { Store } from '../store/store.ts';
import { dagSvg, layoutSteps, type DagLayout } from '../report/dag-layout.ts';
import type { OutputCellView, OutputView, TaskState } from '../report/model.ts';
import { valueView } from '../report/outputs.ts';
import { outputCellsHtml } from '../report/render-output.ts';
import { TableBudget } from '../report/table-view.ts';
import { stepViews } from '../report/steps.ts';
import type { LiveMessage } from './messages.ts';
import { PartialEvaluator } from './partial.ts';

/** The live page draws the first cells of a big output and rows of a long table; the report has all. */
export const LIVE_CELLS = 24;
const LIVE_TABLE_BYTES = 256 * 1024;

export interface LiveViewOptions {
  readonly expanded: ExpandedPipeline;
  readonly store: Store;
  readonly send: (m: LiveMessage) => void;
  readonly intervalMs?: number;
  readonly backend?: readonly string[];
  readonly exportCommand: (output: string) => string;
}

export class LiveView {
  private readonly state = new Map<string, TaskState>();
  private readonly outputsOf = new Map<number, { kind: PortKind; hash: string }>();
  private readonly idByName: Map<string, number>;
  /** output name → its task ids; and task id → the outputs whose view depends on it */
  private readonly outputTasks = new Map<string, number[]>();
  private readonly feeds = new Map<number, Set<string>>();
  private readonly dirtyOutputs = new Set<string>();
  private stepsDirty = true;
  private timer: NodeJS.Timeout | undefined;
  private flushing: Promise<void> = Promise.resolve();
  private readonly decoded = new Map<string, unknown>();
  /** how long the last redraw took: the next waits at least 9× that, so redraws take ≤ 10 % of this thread */
  private lastFlushMs = 0;

  constructor(private readonly o: LiveViewOptions) {
    const tasks = o.expanded.tasks;
    this.idByName = new Map(tasks.map((t) => [t.name, t.id]));
    for (const t of tasks) this.state.set(t.name, 'pending');
    for (const [name, step] of o.expanded.pipeline.outputs) {
      const ids = tasks.filter((t) => t.step === step).map((t) => t.id);
      this.outputTasks.set(name, ids);
      // only the cells the page draws: a task that feeds none of them redraws nothing
      for (const id of ids.slice(0, LIVE_CELLS)) for (const u of this.upstream(id)) (this.feeds.get(u) ?? this.feeds.set(u, new Set()).get(u)!).add(name);
    }
  }

  private upstream(id: number): Set<number> {
    const seen = new Set<number>();
    const stack = [id];
    while (stack.length) {
      const t = stack.pop()!;
      if (seen.has(t)) continue;
      seen.add(t);
      for (const i of Object.values(this.o.expanded.tasks[t]!.inputs)) stack.push(...i.tasks);
    }
    return seen;
  }

  stateOf = (name: string): TaskState => this.state.get(name) ?? 'not-run';

  /** Feed one run event; redraws follow within `intervalMs`. */
  onEvent(e: RunEvent): void {
    if (!('task' in e) || e.type === 'warning' || e.type === 'task-progress' || e.type === 'task-waiting') return;
    const id = this.idByName.get(e.task);
    if (id === undefined) return;
    const next: TaskState | undefined =
      e.type === 'task-started' ? 'running' : e.type === 'task-done' ? 'computed' : e.type === 'task-cached' ? 'cached' : e.type === 'task-failed' ? 'failed' : e.type === 'task-skipped' ? 'skipped' : e.type === 'task-cancelled' ? 'cancelled' : undefined;
    if (!next) return;
    this.state.set(e.task, next);
    this.stepsDirty = true;
    if (e.type === 'task-done' || e.type === 'task-cached') {
      this.outputsOf.set(id, { kind: this.o.expanded.tasks[id]!.node.output.kind as PortKind, hash: e.output });
      for (const name of this.feeds.get(id) ?? []) this.dirtyOutputs.add(name);
    }
    this.schedule();
  }

  private schedule(): void {
    if (this.timer) return;
    this.timer = setTimeout(() => {
      this.timer = undefined;
      this.flushing = this.flushing.then(() => this.flush());
    }, Math.max(this.o.intervalMs ?? 250, 9 * this.lastFlushMs));
    this.timer.unref?.();
  }

  /** Draw whatever changed now, and wait for it (the run's end calls this). */
  async settle(): Promise<void> {
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    this.flushing = this.flushing.then(() => this.flush());
    await this.flushing;
  }

  private async flush(): Promise<void> {
    const started = performance.now();
    await this.draw();
    this.lastFlushMs = performance.now() - started;
  }

  private async draw(): Promise<void> {
    if (this.stepsDirty) {
      this.stepsDirty = false;
      this.o.send({ type: 'steps', svg: this.stepsSvg() });
    }
    const names = [...this.dirtyOutputs];
    this.dirtyOutputs.clear();
    if (names.length === 0) return;
    const evaluator = new PartialEvaluator(this.o.expanded, this.o.store, (id) => this.outputsOf.get(id), this.o.backend, this.decoded);
    for (const name of names) {
      const view = await this.outputView(name, evaluator).catch((err: unknown) => {
        this.o.send({ type: 'log', text: `output ${name}: the live view could not draw it (${err instanceof Error ? err.message : String(err)})` });
        return undefined;
      });
      if (view) this.o.send({ type: 'output', name, html: outputCellsHtml(view) + this.moreCells(name) });
    }
  }

  private layout: DagLayout | undefined;

  /** The DAG with the current counts; laid out once per run (its shape does not change). */
  stepsSvg(): string {
    const steps = stepViews(this.o.expanded, this.stateOf);
    this.layout ??= layoutSteps(steps);
    return dagSvg(steps, this.layout);
  }

  private moreCells(name: string): string {
    const n = this.outputTasks.get(name)!.length;
    return n > LIVE_CELLS ? `<p class="note">the live page draws the first ${LIVE_CELLS} of ${n} cells; <code>featureflow report</code> shows them all</p>` : '';
  }

  async outputView(name: string, evaluator: PartialEvaluator): Promise<OutputView> {
    const ids = this.outputTasks.get(name)!.slice(0, LIVE_CELLS);
    const budget = new TableBudget(LIVE_TABLE_BYTES);
    const cells: OutputCellView[] = [];
    for (const id of ids) {
      const t = this.o.expanded.tasks[id]!;
      const kind = t.node.output.kind as PortKind;
      const base = { task: t.name, cell: { ...t.cell }, kind, state: this.stateOf(t.name) };
      const v = await evaluator.value(id);
      cells.push(v ? { ...base, ...(v.partial ? { partial: v.partial } : {}), ...valueView(kind, v.value, budget, this.o.exportCommand(name)) } : base);
    }
    return { name, step: this.o.expanded.tasks[ids[0] ?? 0]?.step ?? name, cells };
  }
}
