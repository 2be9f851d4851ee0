import type { KeyComponents } from '../key.ts';
import type { PortKind } from '../ports.ts';

/** The lineage of one computed task, written after its output object. */
export interface TaskRecord {
  readonly format: 'featureflow-task-record/1';
  readonly key: string;
  readonly task: string;
  readonly pipeline: string;
  readonly step: string;
  /** where the node was found: `verify --recompute` finds it the way a worker does */
  readonly nodeAddress?: { readonly name: string; readonly module: string; readonly moduleId: string; readonly entry?: string };
  readonly components: KeyComponents;
  /** validated params (the same value `components.params` encodes) */
  readonly params: unknown;
  /** for gathered inputs: the sweep cell of each gathered value, in order (lets verify recompute) */
  readonly inputCells: Readonly<Record<string, readonly unknown[]>>;
  readonly output: { readonly kind: PortKind; readonly hash: string; readonly bytes: number };
  readonly timing: { readonly startedAt: string; readonly durationMs: number };
  readonly host: string;
  readonly pid: number;
  readonly versions: { readonly node: string; readonly featureflow: string };
  /** the record's seal, added by Store.writeRecord (record-seal.ts); a record without one is not served */
  readonly integrity?: string;
}

export function isTaskRecord(v: unknown): v is TaskRecord {
  const r = v as Partial<TaskRecord> | null;
  return (
    typeof r === 'object' && r !== null && r.format === 'featureflow-task-record/1' && typeof r.key === 'string' &&
    typeof r.output?.hash === 'string' && typeof r.output?.kind === 'string' && typeof r.output?.bytes === 'number' && typeof r.components === 'object'
  );
}
