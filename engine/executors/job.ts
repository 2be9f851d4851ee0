import type { BackendChoice } from '../compute/backends.ts';
import type { AnyNode, BackendUse } from '../node.ts';
import type { PortKind } from '../ports.ts';
import type { NodeAddress } from '../registry/find-node.ts';

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
  /** the node's code fingerprint when the run planned it; a worker that imports the node checks it */
  readonly code?: { readonly hash: string; readonly plannedAt: string };
}

export interface TaskResult {
  readonly hash: string;
  /** objects written to temporary files, to be committed (fsync + rename) before the record */
  readonly staged: ReadonlyArray<{ readonly hash: string; readonly tmp: string }>;
  readonly bytes: number;
  readonly durationMs: number;
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
