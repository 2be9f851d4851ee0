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
}
export interface TaskSkippedEvent {
  readonly type: 'task-skipped';
  readonly task: string;
  readonly step: string;
  /** the failed upstream task that made this one impossible */
  readonly failed: string;
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
  readonly cancelled: boolean;
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
  | TaskDoneEvent
  | TaskFailedEvent
  | TaskSkippedEvent
  | TaskWaitingEvent
  | SummaryEvent;
