/**
 * What a report page shows, as plain JSON: the static report and the live page render the same
 * model, the live one filling it in as events arrive.
 */
import type { CodeFingerprint } from '../fingerprint.ts';
import type { RunRecord } from '../run-record.ts';

export type TaskState = 'computed' | 'cached' | 'failed' | 'skipped' | 'cancelled' | 'not-run' | 'running' | 'pending';

export interface StepView {
  readonly name: string;
  readonly node: string;
  /** tasks of this step in the run */
  readonly cells: number;
  /** the sweep axes this step runs over (empty: one cell) */
  readonly axes: readonly string[];
  readonly counts: Readonly<Partial<Record<TaskState, number>>>;
  /** upstream steps; `gather` when the input collects many cells */
  readonly inputs: readonly { readonly from: string; readonly input: string; readonly gather: boolean }[];
  /** named outputs this step provides */
  readonly outputs: readonly string[];
}

export interface TableView {
  readonly columns: readonly string[];
  readonly rows: readonly (readonly unknown[])[];
  readonly totalRows: number;
  /** the CSV of the rows shown, as a data URI (absent when no row fits the size limit) */
  readonly csvUri?: string;
  /** set when only part of the table fits in the page: the command that writes all of it */
  readonly truncated?: { readonly shown: number; readonly command: string };
}

export interface OutputCellView {
  readonly task: string;
  /** sweep coordinates of this cell (empty for a single cell) */
  readonly cell: Readonly<Record<string, unknown>>;
  readonly kind: 'table' | 'tensors' | 'figure' | 'json';
  readonly state: TaskState;
  /** a figure drawn from only some of its gathered cells (live view) */
  readonly partial?: { readonly done: number; readonly of: number };
  readonly figure?: { readonly svg: string; readonly caption?: string; readonly table: TableView };
  readonly table?: TableView;
  readonly json?: string;
  readonly tensors?: readonly { readonly name: string; readonly shape: readonly number[]; readonly dtype: string }[];
}

export interface OutputView {
  readonly name: string;
  readonly step: string;
  readonly cells: readonly OutputCellView[];
}

export interface LineageTask {
  readonly name: string;
  readonly step: string;
  readonly node: string;
  readonly state: TaskState;
  readonly params?: unknown;
  readonly key?: string;
  readonly durationMs?: number;
  readonly startedAt?: string;
  readonly host?: string;
  readonly backends?: Readonly<Record<string, string>>;
  readonly error?: string;
}

export interface ChangeView {
  readonly previousRun: string;
  /** key component → how many tasks changed in it */
  readonly byComponent: Readonly<Record<string, number>>;
  /** per changed task: its components that changed, with details where explain gives them */
  readonly tasks: readonly { readonly task: string; readonly step: string; readonly components: readonly string[]; readonly details: readonly string[] }[];
  /** tasks in this run that the previous one did not have, and the reverse */
  readonly added: number;
  readonly removed: number;
}

/** Values a study's paper reports, shown beside ours (a pipeline module's `reportReferences`). */
export interface ReferenceBlock {
  /** the named output it belongs beside */
  readonly output: string;
  readonly title: string;
  readonly columns: readonly string[];
  readonly rows: readonly (readonly unknown[])[];
  readonly note?: string;
}

export interface ReportModel {
  readonly pipeline: { readonly name: string; readonly description: string };
  readonly run: Pick<RunRecord, 'id' | 'status' | 'startedAt' | 'finishedAt' | 'wallMs' | 'host' | 'versions' | 'gitCommit' | 'request' | 'backends' | 'error'>;
  readonly steps: readonly StepView[];
  readonly outputs: readonly OutputView[];
  readonly tasks: readonly LineageTask[];
  /** output task name → indices into `tasks`: the task itself and every task upstream of it */
  readonly lineage: Readonly<Record<string, readonly number[]>>;
  readonly fingerprints: Readonly<Record<string, CodeFingerprint>>;
  readonly changes?: ChangeView;
  readonly references: readonly ReferenceBlock[];
  /** things the page could not show, said plainly (an unreadable object, a table cut short) */
  readonly notes: readonly string[];
}
