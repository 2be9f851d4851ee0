/**
 * Every planned task ends with exactly one terminal event — `task-done`, `task-cached`,
 * `task-failed`, `task-skipped` or `task-cancelled` — and the summary's counts add up to the
 * plan. This is the one place that emits them, so no path can emit two or none.
 */
import type { RunEvent } from '../events.ts';
import type { TaskSpec } from '../expand.ts';
import type { KeyComponents } from '../key.ts';
import type { PortKind } from '../ports.ts';
import type { RunRecordTask } from '../run-record.ts';

export type TaskOutcome =
  | { readonly s: 'ok'; readonly hash: string }
  | { readonly s: 'failed' }
  | { readonly s: 'skipped'; readonly failed: string }
  | { readonly s: 'cancelled' };

export interface KeyedTask {
  readonly key: string;
  readonly components: KeyComponents;
  readonly kind: PortKind;
}

export class RunAccounting {
  readonly counts = { computed: 0, cached: 0, failed: 0, skipped: 0, cancelledTasks: 0 };
  /** filled as tasks settle (a million-task run does not build a million placeholders up front) */
  private readonly settledRecords: (RunRecordTask | undefined)[];
  private readonly outcomes: (TaskOutcome | undefined)[];

  constructor(
    private readonly tasks: readonly TaskSpec[],
    private readonly emit: (e: RunEvent) => void,
    /** called once per task when it reaches its terminal state */
    private readonly onSettled: (t: TaskSpec, outcome: TaskOutcome) => void,
  ) {
    this.settledRecords = new Array<RunRecordTask | undefined>(tasks.length);
    this.outcomes = new Array<TaskOutcome | undefined>(tasks.length);
  }

  /** One record per planned task, in plan order; a task that never settled is `not-run`. */
  get records(): RunRecordTask[] {
    return this.tasks.map((t) => this.settledRecords[t.id] ?? { task: t.name, step: t.step, status: 'not-run' });
  }

  outcome(id: number): TaskOutcome | undefined {
    return this.outcomes[id];
  }

  isSettled(id: number): boolean {
    return this.outcomes[id] !== undefined;
  }

  private settle(t: TaskSpec, count: keyof RunAccounting['counts'], outcome: TaskOutcome, record: RunRecordTask, event: RunEvent): void {
    if (this.outcomes[t.id] !== undefined) return; // a second ending for one task is a bug elsewhere: keep the first
    this.counts[count]++;
    this.outcomes[t.id] = outcome;
    this.settledRecords[t.id] = record;
    this.emit(event);
    this.onSettled(t, outcome);
  }

  cached(t: TaskSpec, k: KeyedTask, hash: string): void {
    this.settle(t, 'cached', { s: 'ok', hash }, { task: t.name, step: t.step, key: k.key, components: k.components, status: 'cached', output: { kind: k.kind, hash } }, {
      type: 'task-cached',
      task: t.name,
      step: t.step,
      key: k.key,
      output: hash,
    });
  }

  done(t: TaskSpec, k: KeyedTask, hash: string, durationMs: number): void {
    this.settle(t, 'computed', { s: 'ok', hash }, { task: t.name, step: t.step, key: k.key, components: k.components, status: 'computed', output: { kind: k.kind, hash } }, {
      type: 'task-done',
      task: t.name,
      step: t.step,
      key: k.key,
      output: hash,
      durationMs,
    });
  }

  failed(t: TaskSpec, k: KeyedTask | undefined, error: string, stack?: string): void {
    const failure = { error, ...(stack ? { stack } : {}) };
    this.settle(t, 'failed', { s: 'failed' }, { task: t.name, step: t.step, ...(k ? { key: k.key, components: k.components } : {}), status: 'failed', failure }, {
      type: 'task-failed',
      task: t.name,
      step: t.step,
      error,
      ...(stack ? { stack } : {}),
    });
  }

  skipped(t: TaskSpec, failedUpstream: string): void {
    this.settle(t, 'skipped', { s: 'skipped', failed: failedUpstream }, { task: t.name, step: t.step, status: 'skipped' }, {
      type: 'task-skipped',
      task: t.name,
      step: t.step,
      failed: failedUpstream,
    });
  }

  cancelled(t: TaskSpec, reason: string): void {
    this.settle(t, 'cancelledTasks', { s: 'cancelled' }, { task: t.name, step: t.step, status: 'cancelled', reason }, { type: 'task-cancelled', task: t.name, step: t.step, reason });
  }

  /** Cancel every task that has not ended (the run stopped before reaching them). */
  cancelRest(reason: string): void {
    for (const t of this.tasks) if (!this.isSettled(t.id)) this.cancelled(t, reason);
  }
}
