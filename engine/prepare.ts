/**
 * Everything a run or a plan needs before looking at the store: the expanded tasks, the
 * compute backends of the nodes that declare them, and every node's code fingerprint. From
 * these and the inputs' content hashes, `componentsOf` gives each task's key components.
 */
import type { AnyNode, BackendUse } from './node.ts';
import { selectLinalg, selectMlp, selectTrainer, validateBackendPreference, type BackendChoice, type Selected } from './compute/backends.ts';
import { expandPipeline, type ExpandedPipeline, type Overrides, type TaskSpec } from './expand.ts';
import { fingerprintAll, type CodeFingerprint, type FingerprintRequest } from './fingerprint.ts';
import type { FingerprintCache } from './fingerprint-cache.ts';
import type { KeyComponents } from './key.ts';
import type { Pipeline } from './pipeline.ts';
import { PipelineError } from './errors.ts';
import { untilSteps } from './select-tasks.ts';

export interface PreparedRun {
  readonly expanded: ExpandedPipeline;
  /** node name → fingerprint (with the selected backend modules included) */
  readonly fingerprints: ReadonlyMap<string, CodeFingerprint>;
  /** backend kind → selected name, for the kinds some node declares */
  readonly backends: Readonly<Partial<Record<BackendUse, string>>>;
  /** backend kind → the choice every worker must load exactly (name and key identity) */
  readonly backendChoices: Readonly<Partial<Record<BackendUse, BackendChoice>>>;
  readonly notes: readonly string[];
  componentsOf(task: TaskSpec, inputHashes: Readonly<Record<string, string | readonly string[]>>): KeyComponents;
}

export interface PrepareOptions {
  readonly overrides?: Overrides;
  readonly profile?: string;
  readonly backend?: readonly string[];
  /** only these steps and what they need (`--until`) */
  readonly until?: readonly string[];
  /** where code facts are remembered between runs (the store's); default: this process only */
  readonly fingerprintCache?: FingerprintCache;
}

export function profileOverrides(pipeline: Pipeline, profile: string | undefined): Map<string, unknown> {
  if (profile === undefined) return new Map();
  const p = pipeline.profiles[profile];
  if (!p) {
    const names = Object.keys(pipeline.profiles);
    throw new PipelineError([`pipeline ${pipeline.name} has no profile "${profile}" (profiles: ${names.join(', ') || 'none'})`]);
  }
  return new Map(Object.entries(p.set));
}

/** What a node's fingerprint covers: its slice, and the modules and sources of the backends it uses. */
export function fingerprintRequest(n: AnyNode, selected: Partial<Record<BackendUse, Pick<Selected<unknown>, 'module' | 'rawSources'>>>): FingerprintRequest {
  const used = (n.backends ?? []).map((k) => selected[k]!);
  return { module: n.module, node: n.name, extraModules: used.map((s) => s.module), rawSources: used.flatMap((s) => s.rawSources) };
}

export async function prepareRun(pipeline: Pipeline, options: PrepareOptions = {}): Promise<PreparedRun> {
  const overrides = new Map([...profileOverrides(pipeline, options.profile), ...(options.overrides ?? new Map())]);
  const full = expandPipeline(pipeline, overrides);
  const expanded = options.until && options.until.length > 0 ? untilSteps(full, options.until) : full;
  const preference = options.backend ?? [];
  validateBackendPreference(preference);

  const nodes = new Map(expanded.tasks.map((t) => [t.node.name, t.node]));
  const uses = new Set([...nodes.values()].flatMap((n) => n.backends ?? []));
  const selected: Partial<Record<BackendUse, Selected<unknown>>> = {};
  if (uses.has('linalg')) selected.linalg = await selectLinalg(preference);
  if (uses.has('mlp')) selected.mlp = await selectMlp(preference);
  if (uses.has('trainer')) selected.trainer = await selectTrainer(preference);
  const notes = Object.entries(selected).flatMap(([kind, s]) => [...s!.notes, `${kind} backend: ${s!.identity}`]);

  const nodeList = [...nodes.values()];
  const prints = await fingerprintAll(nodeList.map((n) => fingerprintRequest(n, selected)), options.fingerprintCache);
  const fingerprints = new Map(nodeList.map((n, i) => [n.name, prints[i]!]));
  const backends = Object.fromEntries(Object.entries(selected).map(([k, s]) => [k, s!.name]));
  const backendChoices = Object.fromEntries(Object.entries(selected).map(([k, s]) => [k, { name: s!.name, identity: s!.identity }]));

  return {
    expanded,
    fingerprints,
    backends,
    backendChoices,
    notes,
    componentsOf(task, inputHashes) {
      const fp = fingerprints.get(task.node.name)!;
      const declared = task.node.backends ?? [];
      return {
        node: task.node.name,
        step: task.step,
        version: task.node.version,
        code: fp.code,
        deps: fp.deps,
        params: task.paramsCanonical,
        inputs: inputHashes,
        backends: Object.fromEntries(declared.map((k) => [k, backendChoices[k]!.identity])),
      };
    },
  };
}
