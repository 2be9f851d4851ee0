/** Every event a run emits; `--json` prints each as one NDJSON line. */

export interface PlanEvent {
  readonly type: 'plan';
  readonly pipeline: string;
  readonly store: string;
  readonly tasks: number;
  readonly steps: Readonly<Record<string, number>>;
  readonly executor: string;
  readonly concurrency: number;
}
export interface InfoEvent {
  readonly type: 'info';
  readonly message: string;
}
export interface WarningEvent {
  readonly type: 'warning';
  readonly message: string;
  readonly task?: string;
}
export interface TaskStartedEvent {
  readonly type: 'task-started';
  readonly task: string;
  readonly step: string;
  readonly key: string;
}
export interface TaskProgressEvent {
  readonly type: 'task-progress';
  readonly task: string;
  readonly fraction: number;
  readonly message?: string;
}
export interface TaskCachedEvent {
  readonly type: 'task-cached';
  readonly task: string;
  readonly step: string;
  readonly key: string;
  readonly output: string;
}
export interface TaskDoneEvent {
  readonly type: 'task-done';
  readonly task: string;
  readonly step: string;
  readonly key: string;
  readonly output: string;
  readonly durationMs: number;
}
export interface TaskFailedEvent {
  readonly type: 'task-failed';
  readonly task: string;
  readonly step: string;
  readonly error: string;
  /** the error's stack, with the user's file and line (the CLI prints it under --verbose) */
  readonly stack?: string;
}
export interface TaskSkippedEvent {
  readonly type: 'task-skipped';
  readonly task: string;
  readonly step: string;
  /** the failed upstream task that made this one impossible */
  readonly failed: string;
}
/** A task that will not finish in this run: the run was cancelled, or stopped by --fail-fast. */
export interface TaskCancelledEvent {
  readonly type: 'task-cancelled';
  readonly task: string;
  readonly step: string;
  /** why: `cancelled` (the run was cancelled), `fail-fast: <task> failed`, or the run's own error */
  readonly reason: string;
}
/** The task waits for its lock, which another run holds (emitted once per holder). */
export interface TaskWaitingEvent {
  readonly type: 'task-waiting';
  readonly task: string;
  readonly step: string;
  /** who holds the lock; `since` is the holder's own clock, for people, never compared */
  readonly holder: { readonly host: string; readonly pid: number; readonly since: string; readonly state: 'live' | 'remote' | 'unknown' };
}
export interface SummaryEvent {
  readonly type: 'summary';
  readonly pipeline: string;
  readonly computed: number;
  readonly cached: number;
  readonly failed: number;
  readonly skipped: number;
  /** tasks that ended with `task-cancelled`; computed + cached + failed + skipped + cancelledTasks = the plan's tasks */
  readonly cancelledTasks: number;
  /** the run was cancelled (unsubscribed, interrupted) */
  readonly cancelled: boolean;
  /** set when the run itself failed (not one task): the store became unusable, say; the message names the fix */
  readonly error?: string;
  readonly durationMs: number;
  /** output name → task name → object hash of the outputs this run produced */
  readonly outputs: Readonly<Record<string, Readonly<Record<string, string>>>>;
}

export type RunEvent =
  | PlanEvent
  | InfoEvent
  | WarningEvent
  | TaskStartedEvent
  | TaskProgressEvent
  | TaskCachedEvent
  | TaskCancelledEvent
  | TaskDoneEvent
  | TaskFailedEvent
  | TaskSkippedEvent
  | TaskWaitingEvent
  | SummaryEvent;
