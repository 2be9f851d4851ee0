import type { BackendChoice } from '../compute/backends.ts';
import type { AnyNode, BackendUse } from '../node.ts';
import type { PortKind } from '../ports.ts';
import type { NodeAddress } from '../registry/find-node.ts';
import type { RecordTemplate } from './task-record.ts';

/**
 * Everything a worker needs to run one task: plain data, so it crosses thread (and later
 * machine) boundaries. The node is found through the registry by its address, never by a
 * pipeline's step; the backends are the coordinator's choice, loaded exactly.
 */
export interface TaskJob {
  readonly node: NodeAddress;
  /** the step: it seeds the task's random source */
  readonly step: string;
  readonly task: string;
  readonly params: unknown;
  readonly paramsCanonical: string;
  readonly inputs: Readonly<Record<string, { readonly kind: PortKind; readonly hashes: readonly string[]; readonly gather: boolean; readonly cells: readonly unknown[] }>>;
  readonly outputKind: PortKind;
  readonly storeRoot: string;
  readonly fsync: boolean;
  readonly backends: Readonly<Partial<Record<BackendUse, BackendChoice>>>;
  /**
   * the node's code fingerprint when the run planned it; a worker that imports the node checks it.
   * `files` (project-relative path → content hash, sent to remote workers) lets a worker in
   * another checkout name the files that differ.
   */
  readonly code?: { readonly hash: string; readonly plannedAt: string; readonly files?: Readonly<Record<string, string>> };
  /** set for a remote executor (Executor.remote): the record its worker writes after committing */
  readonly record?: RecordTemplate;
  /** `--force`: a remote worker recomputes even when the key already has a valid record */
  readonly forced?: boolean;
}

export interface TaskResult {
  readonly hash: string;
  /** objects written to temporary files, to be committed (fsync + rename) before the record */
  readonly staged: ReadonlyArray<{ readonly hash: string; readonly tmp: string }>;
  readonly bytes: number;
  readonly durationMs: number;
  /**
   * the worker committed the objects and wrote the task record itself (a remote executor, see
   * remote-task.ts): the coordinator commits and writes nothing, `staged` is empty
   */
  readonly recorded?: boolean;
}

export interface TaskHooks {
  readonly signal: AbortSignal;
  /** the task really starts (a pool may queue it first): the run emits `task-started` here */
  onStart?(): void;
  onProgress(fraction: number, message?: string): void;
  onWarning(message: string): void;
}

export interface Executor {
  readonly name: string;
  readonly concurrency: number;
  /** tasks the coordinator keeps in flight (more than `concurrency` keeps a pool's queue fed) */
  readonly inFlight?: number;
  /**
   * its workers run on other hosts (Redis pool, SLURM): jobs carry the record template and the
   * fingerprint's file hashes, and the worker commits and records (results come `recorded`)
   */
  readonly remote?: boolean;
  /** `node` is the definition the coordinator holds; executors in its thread use it directly */
  execute(job: TaskJob, hooks: TaskHooks, node?: AnyNode): Promise<TaskResult>;
  close(): Promise<void>;
}

/** A task's own failure, carried across threads as plain text. */
export class TaskError extends Error {
  constructor(message: string, readonly detail?: string) {
    super(message);
    this.name = 'TaskError';
  }
}
