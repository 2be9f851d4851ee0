/**
 * Why is a task stale? Its key components now against the last run that had the same cell,
 * part by part, with old and new values (files for code, package versions for dependencies,
 * individual params).
 */
import { fingerprintCacheOf } from './fingerprint-cache.ts';
import { checkCache } from './cache.ts';
import { PipelineError } from './errors.ts';
import type { CodeFingerprint } from './fingerprint.ts';
import { keyChanges, taskKey, type KeyComponents } from './key.ts';
import type { Pipeline } from './pipeline.ts';
import { currentInputHashes, lastSeen } from './plan.ts';
import { prepareRun, type PrepareOptions } from './prepare.ts';
import { listRunRecords } from './run-record.ts';
import type { Store } from './store/store.ts';

export interface Difference {
  readonly component: string;
  readonly what: string;
  readonly before: unknown;
  readonly after: unknown;
}

export interface Explanation {
  readonly task: string;
  readonly status: 'cached' | 'stale' | 'new' | 'pending-upstream';
  readonly key?: string;
  readonly previousKey?: string;
  readonly previousRun?: string;
  readonly differences: readonly Difference[];
  readonly upstreamToCompute: readonly string[];
  /** when the latest run that reached this task failed it: what it threw (from the run record) */
  readonly lastFailure?: { readonly run: string; readonly error: string; readonly stack?: string };
}

export function diffRecords(component: string, before: Readonly<Record<string, unknown>>, after: Readonly<Record<string, unknown>>): Difference[] {
  const out: Difference[] = [];
  for (const k of [...new Set([...Object.keys(before), ...Object.keys(after)])].sort()) {
    const b = before[k];
    const a = after[k];
    if (JSON.stringify(b) !== JSON.stringify(a)) out.push({ component, what: k, before: b ?? '(absent)', after: a ?? '(absent)' });
  }
  return out;
}

const short = (h: unknown) => (typeof h === 'string' && /^[0-9a-f]{64}$/.test(h) ? `${h.slice(0, 12)}…` : h);

/** Gathered inputs are long hash lists: say how many cells changed rather than print them. */
export function summariseInputChange(d: Difference): Difference {
  const { before, after } = d;
  if (Array.isArray(before) && Array.isArray(after)) {
    const changed = after.filter((h, i) => h !== before[i]).length + Math.max(0, before.length - after.length);
    return { ...d, before: `${before.length} cells`, after: `${after.length} cells, ${changed} changed` };
  }
  if (Array.isArray(before)) return { ...d, before: `${before.length} cells`, after: short(after) };
  return { ...d, before: short(before), after: short(after) };
}

export async function explainTask(pipeline: Pipeline, store: Store, taskName: string, options: PrepareOptions = {}): Promise<Explanation> {
  const prepared = await prepareRun(pipeline, { fingerprintCache: fingerprintCacheOf(store), ...options });
  const tasks = prepared.expanded.tasks;
  const target = tasks.find((t) => t.name === taskName);
  if (!target) {
    const stepPrefix = taskName.split('[')[0]!;
    const similar = tasks.filter((t) => t.step === stepPrefix).slice(0, 8).map((t) => t.name);
    throw new PipelineError([
      `pipeline ${pipeline.name} has no task "${taskName}"${similar.length ? `; tasks of step ${stepPrefix}: ${similar.join(', ')}${similar.length === 8 ? ', …' : ''}` : `; steps: ${[...new Set(tasks.map((t) => t.step))].join(', ')}`}`,
    ]);
  }
  // resolve upstream hashes from the store, as a run would (cached upstreams only)
  const hashes = new Array<string | undefined>(tasks.length);
  const upstreamToCompute: string[] = [];
  for (const t of tasks.slice(0, target.id + 1)) {
    const inputs = currentInputHashes(t, hashes);
    if (!inputs) continue;
    const c = await checkCache(store, taskKey(prepared.componentsOf(t, inputs)));
    if (c.state === 'cached') hashes[t.id] = c.record.output.hash;
  }
  for (const input of Object.values(target.inputs)) for (const u of input.tasks) if (hashes[u] === undefined) upstreamToCompute.push(tasks[u]!.name);

  const records = await listRunRecords(store, pipeline.name);
  const before = lastSeen(records).get(target.name);
  const previousRun = records.find((r) => r.tasks.some((t) => t.task === target.name && t.components))?.startedAt;
  const inputs = currentInputHashes(target, hashes);
  const now: KeyComponents | undefined = inputs ? prepared.componentsOf(target, inputs) : undefined;
  const key = now ? taskKey(now) : undefined;
  const cached = key ? (await checkCache(store, key)).state === 'cached' : false;

  const differences: Difference[] = [];
  if (before?.components) {
    const b = before.components;
    const after = now ?? { ...prepared.componentsOf(target, {}), inputs: Object.fromEntries(Object.keys(target.inputs).map((n) => [n, '(pending: upstream to compute)'])) };
    for (const change of keyChanges(b, after)) {
      switch (change) {
        case 'params':
          differences.push(...diffRecords('params', JSON.parse(b.params) as Record<string, unknown>, JSON.parse(after.params) as Record<string, unknown>));
          break;
        case 'code': {
          const oldPrint = records.find((r) => r.startedAt === previousRun)?.fingerprints[target.node.name] as CodeFingerprint | undefined;
          const newPrint = prepared.fingerprints.get(target.node.name)!;
          if (oldPrint) differences.push(...diffRecords('code', oldPrint.files, newPrint.files));
          else differences.push({ component: 'code', what: 'fingerprint', before: b.code, after: after.code });
          break;
        }
        case 'deps': {
          const oldPrint = records.find((r) => r.startedAt === previousRun)?.fingerprints[target.node.name] as CodeFingerprint | undefined;
          const newPrint = prepared.fingerprints.get(target.node.name)!;
          if (oldPrint) differences.push(...diffRecords('dependencies', oldPrint.depVersions, newPrint.depVersions));
          else differences.push({ component: 'dependencies', what: 'fingerprint', before: b.deps, after: after.deps });
          break;
        }
        case 'inputs':
          differences.push(...diffRecords('inputs', b.inputs, after.inputs).map(summariseInputChange));
          break;
        case 'backends':
          differences.push(...diffRecords('backends', b.backends, after.backends));
          break;
        case 'version':
          differences.push({ component: 'version', what: target.node.name, before: b.version, after: after.version });
          break;
        case 'node':
          differences.push({ component: 'node', what: 'name', before: b.node, after: after.node });
          break;
      }
    }
  }
  const status = cached ? 'cached' : !before ? 'new' : !now ? 'pending-upstream' : 'stale';
  const latest = records.find((r) => r.tasks.some((t) => t.task === target.name && t.status !== 'not-run'));
  const failure = latest?.tasks.find((t) => t.task === target.name)?.failure;
  return {
    task: target.name,
    status,
    ...(key ? { key } : {}),
    ...(before?.key ? { previousKey: before.key } : {}),
    ...(previousRun ? { previousRun } : {}),
    differences,
    upstreamToCompute,
    ...(failure && latest ? { lastFailure: { run: latest.id ?? latest.startedAt, ...failure } } : {}),
  };
}
