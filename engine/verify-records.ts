/**
 * verify's record pass: everything `plan` and the cache check would find, for every record in the
 * store, plus the lineage between records. A record is consistent when it reads back whole and
 * sealed; its output object exists with the recorded hash and size and is of the kind its node
 * declares; a figure's parts exist; and each input hash is the output of a record of the upstream
 * step its pipeline declares for that input.
 */
import { recordConsistencyProblems } from './cache.ts';
import { importPipelineQuietly } from './registry/import-quietly.ts';
import type { Pipeline } from './pipeline.ts';
import type { PortKind } from './ports.ts';
import { readRunRecords } from './run-record.ts';
import type { TaskRecord } from './store/records.ts';
import type { Store } from './store/store.ts';
import { childObjects } from './store/values.ts';

export interface RecordProblem {
  /** the record's key */
  readonly key: string;
  /** the task's name when the record could be read */
  readonly task?: string;
  readonly problem: string;
}

export interface RecordCheck {
  readonly records: number;
  readonly problems: RecordProblem[];
  /** what could not be checked (a pipeline module that no longer loads), not itself damage */
  readonly notes: string[];
}

interface StepDeclaration {
  readonly kind: PortKind;
  readonly upstream: Readonly<Record<string, string>>;
}

/** Declared output kind and upstream steps per `pipeline\0step`, from the modules run records name. */
async function declarations(store: Store, notes: string[]): Promise<Map<string, StepDeclaration>> {
  const out = new Map<string, StepDeclaration>();
  const modules = new Map<string, string>();
  for (const r of (await readRunRecords(store)).records) if (!modules.has(r.pipeline)) modules.set(r.pipeline, r.module);
  for (const [name, module] of modules) {
    let pipeline: Pipeline;
    try {
      pipeline = await importPipelineQuietly(module, name); // a script's own run() stays inert
    } catch (err) {
      notes.push(`pipeline ${name} (${module}) does not load, so its records' declared kinds and upstream steps are not checked: ${err instanceof Error ? err.message : String(err)}`);
      continue;
    }
    for (const [stepName, step] of pipeline.steps) {
      const upstream = Object.fromEntries(Object.entries(step.inputs).map(([input, wire]) => [input, wire.step]));
      out.set(`${name}\0${stepName}`, { kind: step.node.output.kind, upstream });
    }
  }
  return out;
}

function inputHashes(record: TaskRecord): [string, string][] {
  return Object.entries(record.components.inputs ?? {}).flatMap(([name, h]) => (typeof h === 'string' ? [h] : [...h]).map((x): [string, string] => [name, x]));
}

async function outputProblems(store: Store, record: TaskRecord, declared: StepDeclaration | undefined): Promise<string[]> {
  const short = `${record.output.hash.slice(0, 12)}…`;
  const object = await store.checkedObject(record.output.hash, record.output.bytes);
  if (object.state !== 'ok') {
    return [object.state === 'missing' ? `its output object ${short} is missing` : `its output object ${short} is corrupt (its bytes do not hash to its name, or their size is not the recorded ${record.output.bytes})`];
  }
  const problems = recordConsistencyProblems(record, object.bytes, declared ? { kind: declared.kind } : {});
  if (record.output.kind === 'figure' && problems.length === 0) {
    for (const child of childObjects('figure', object.bytes)) {
      const s = await store.objectState(child);
      if (s !== 'ok') problems.push(`part ${child.slice(0, 12)}… of its figure is ${s}`);
    }
  }
  return problems;
}

function lineageProblems(record: TaskRecord, producers: ReadonlyMap<string, ReadonlySet<string>>, declared: StepDeclaration | undefined): string[] {
  const problems: string[] = [];
  for (const [input, hash] of inputHashes(record)) {
    const steps = producers.get(hash);
    const short = `${hash.slice(0, 12)}…`;
    if (!steps) {
      problems.push(`its input "${input}" ${short} is the output of no task record`);
      continue;
    }
    const want = declared?.upstream[input];
    if (want !== undefined && !steps.has(`${record.pipeline}\0${want}`)) {
      const from = [...steps].map((s) => s.split('\0')[1]).join(', ');
      problems.push(`its input "${input}" ${short} is an output of step ${from}, not of the declared upstream step ${want}`);
    }
  }
  return problems;
}

export async function checkRecords(store: Store, onUnreadable?: (path: string, why: string) => void): Promise<RecordCheck> {
  const problems: RecordProblem[] = [];
  const notes: string[] = [];
  const readable: TaskRecord[] = [];
  let records = 0;
  for await (const key of store.allRecordKeys(onUnreadable)) {
    records++;
    const r = await store.inspectRecord(key);
    if (r.state === 'corrupt') problems.push({ key, problem: `task record is unreadable: ${r.why}` });
    else if (r.state === 'ok') readable.push(r.record);
  }
  const producers = new Map<string, Set<string>>();
  for (const r of readable) {
    const steps = producers.get(r.output.hash) ?? new Set<string>();
    steps.add(`${r.pipeline}\0${r.step}`);
    producers.set(r.output.hash, steps);
  }
  const declared = readable.length > 0 ? await declarations(store, notes) : new Map<string, StepDeclaration>();
  for (const r of readable) {
    const mine = declared.get(`${r.pipeline}\0${r.step}`);
    for (const problem of [...(await outputProblems(store, r, mine)), ...lineageProblems(r, producers, mine)]) problems.push({ key: r.key, task: r.task, problem });
  }
  return { records, problems, notes };
}
