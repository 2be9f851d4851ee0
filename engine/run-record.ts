/** What a run reached: the roots for gc and the history `explain` compares against. */
import { randomBytes } from 'node:crypto';
import type { CodeFingerprint } from './fingerprint.ts';
import type { KeyComponents } from './key.ts';
import type { PortKind } from './ports.ts';
import type { Store } from './store/store.ts';
import { readdir } from 'node:fs/promises';
import { join } from 'node:path';

export interface RunRecordTask {
  readonly task: string;
  readonly step: string;
  readonly status: 'computed' | 'cached' | 'failed' | 'skipped' | 'cancelled' | 'not-run';
  readonly key?: string;
  readonly components?: KeyComponents;
  readonly output?: { readonly kind: PortKind; readonly hash: string };
  /** for a failed task: what it threw, with the stack (the user's file and line) */
  readonly failure?: { readonly error: string; readonly stack?: string };
  /** for a cancelled task: why */
  readonly reason?: string;
}

export interface RunRecord {
  readonly format: 'featureflow-run/1';
  /** `<startedAt>-<8 random hex digits>`: names this run in exports and reports */
  readonly id?: string;
  readonly pipeline: string;
  readonly module: string;
  /** the module whose evaluation built the pipeline (workers import it for factory-made nodes) */
  readonly entry?: string;
  readonly startedAt: string;
  readonly finishedAt: string;
  readonly status: 'completed' | 'failed' | 'cancelled';
  /** the run itself failed (not a task): the message */
  readonly error?: string;
  /** how it was asked for: the profile, the `--set` overrides, the executor, forced and until steps */
  readonly request?: {
    readonly profile?: string;
    readonly overrides: Readonly<Record<string, unknown>>;
    readonly executor: string;
    readonly concurrency: number;
    readonly force?: readonly string[] | 'all';
    readonly until?: readonly string[];
  };
  readonly wallMs?: number;
  readonly host?: string;
  readonly versions?: { readonly node: string; readonly featureflow: string };
  /** the git commit of the project the pipeline lives in, `+dirty` when it has uncommitted changes */
  readonly gitCommit?: string;
  readonly backends: Readonly<Record<string, string>>;
  readonly fingerprints: Readonly<Record<string, CodeFingerprint>>;
  readonly tasks: readonly RunRecordTask[];
}

function runsDir(pipeline: string): string {
  return join('runs', pipeline.replace(/[^A-Za-z0-9_-]/g, '_'));
}

/** Unique across the hosts sharing a store (a pid is not: containers and other hosts reuse them); sorts by time. */
export function runId(startedAt: string): string {
  return `${startedAt.replace(/[:.]/g, '-')}-${randomBytes(4).toString('hex')}`;
}

export async function writeRunRecord(store: Store, record: RunRecord): Promise<void> {
  const id = record.id ?? runId(record.startedAt);
  await store.writeJsonAtomic(join(runsDir(record.pipeline), `${id}.json`), { ...record, id });
}

/** Run records of a pipeline, newest first (or of every pipeline when `pipeline` is undefined). */
export async function listRunRecords(store: Store, pipeline?: string): Promise<RunRecord[]> {
  return (await readRunRecords(store, pipeline)).records;
}

export interface RunRecordScan {
  /** readable run records, newest first */
  readonly records: RunRecord[];
  /** paths that should hold run records but could not be read or parsed (gc must not guess past them) */
  readonly unreadable: string[];
}

async function listDir(path: string, unreadable: string[]): Promise<string[]> {
  try {
    return await readdir(path);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ENOENT') unreadable.push(path);
    return [];
  }
}

/** Like listRunRecords, and names every run record (or runs directory) it could not read. */
export async function readRunRecords(store: Store, pipeline?: string): Promise<RunRecordScan> {
  const unreadable: string[] = [];
  const dirs = pipeline !== undefined ? [runsDir(pipeline)] : (await listDir(join(store.root, 'runs'), unreadable)).map((d) => join('runs', d));
  const records: RunRecord[] = [];
  for (const dir of dirs) {
    const files = (await listDir(join(store.root, dir), unreadable)).filter((f) => f.endsWith('.json'));
    for (const f of files) {
      const r = await store.readJson<RunRecord>(join(dir, f));
      if (r?.format === 'featureflow-run/1' && typeof r.pipeline === 'string' && Array.isArray(r.tasks)) records.push(r);
      else unreadable.push(join(store.root, dir, f));
    }
  }
  return { records: records.sort((a, b) => String(b.startedAt).localeCompare(String(a.startedAt))), unreadable };
}
