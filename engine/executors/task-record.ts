/**
 * A task record in two halves: the coordinator knows the lineage (key, components, params, where
 * the node lives) before the task runs; whoever computed it adds what only it knows (the output,
 * its timing, the host). A remote worker writes the record itself, so the template travels in
 * the job; a local executor's result is completed on the coordinator with the same function.
 */
import { hostname } from 'node:os';
import { packageVersion } from '../project.ts';
import type { TaskRecord } from '../store/records.ts';

export type RecordTemplate = Omit<TaskRecord, 'output' | 'timing' | 'host' | 'pid' | 'versions' | 'integrity'> & {
  readonly output: { readonly kind: TaskRecord['output']['kind'] };
};

export interface ComputedOutput {
  readonly hash: string;
  readonly bytes: number;
  readonly startedAt: string;
  readonly durationMs: number;
}

const HOST = hostname();
const VERSIONS = { node: process.version, featureflow: packageVersion() };

export function completeRecord(template: RecordTemplate, out: ComputedOutput): TaskRecord {
  return {
    ...template,
    output: { kind: template.output.kind, hash: out.hash, bytes: out.bytes },
    timing: { startedAt: out.startedAt, durationMs: Math.round(out.durationMs * 1000) / 1000 },
    host: HOST,
    pid: process.pid,
    versions: VERSIONS,
  };
}
