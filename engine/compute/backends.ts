/**
 * Run-time selection of compute backends. Each kind (float64 linear algebra, MLP training) has
 * candidates in preference order; the first that loads wins unless the user forces one with
 * `--backend`. The chosen name goes into the key of every node that declares the kind, so
 * results from different backends never mix in the cache.
 */
import type { Linalg } from './linalg.ts';
import type { MlpCompute } from './mlp.ts';
import type { TrainerCompute } from './trainer.ts';

export type BackendKind = 'linalg' | 'mlp' | 'trainer';

import { BackendUnavailable } from './backend-unavailable.ts';

export { BackendUnavailable };

/** A backend the user named that does not exist or cannot load here: bad input, exit 2. */
export class BackendSelectionError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'BackendSelectionError';
  }
}

interface Candidate<T> {
  readonly name: string;
  /** the module that implements it: part of the code fingerprint of nodes that use it */
  readonly module: string;
  /** non-TypeScript sources (native code), hashed as files, project-relative */
  readonly rawSources?: readonly string[];
  load(): Promise<T>;
  /** what goes into the task key when its bytes depend on more than the name (default: the name) */
  identity?(impl: T): string;
}

/** OpenBLAS sums in a different order with more threads: the thread count is part of the key. */
const blasIdentity = (impl: unknown) => `native[blas-threads=${(impl as { getThreads(): number }).getThreads()}]`;

const here = (file: string) => new URL(file, import.meta.url).href;

const linalgCandidates: Candidate<Linalg>[] = [
  { name: 'native', module: here('../../compute/linalg-native.ts'), rawSources: ['native/src', 'native/binding.gyp'], load: async () => (await import('../../compute/linalg-native.ts')).load(), identity: blasIdentity },
  { name: 'ml-matrix', module: here('../../compute/linalg-mlmatrix.ts'), load: async () => (await import('../../compute/linalg-mlmatrix.ts')).load() },
];

const mlpCandidates: Candidate<MlpCompute>[] = [
  { name: 'native', module: here('../../compute/mlp-native.ts'), rawSources: ['native/src', 'native/binding.gyp'], load: async () => (await import('../../compute/mlp-native.ts')).load(), identity: blasIdentity },
  { name: 'tfjs-node-gpu', module: here('../../compute/mlp-tfjs.ts'), load: async () => (await import('../../compute/mlp-tfjs.ts')).load('tfjs-node-gpu') },
  { name: 'tfjs-node', module: here('../../compute/mlp-tfjs.ts'), load: async () => (await import('../../compute/mlp-tfjs.ts')).load('tfjs-node') },
  // our typed-array float32 trainer: measured 2–2.5× faster than tfjs-wasm on these small MLPs
  { name: 'js', module: here('../../compute/mlp-js.ts'), load: async () => (await import('../../compute/mlp-js.ts')).load() },
  { name: 'wasm', module: here('../../compute/mlp-tfjs.ts'), load: async () => (await import('../../compute/mlp-tfjs.ts')).load('wasm') },
  { name: 'cpu', module: here('../../compute/mlp-tfjs.ts'), load: async () => (await import('../../compute/mlp-tfjs.ts')).load('cpu') },
];

// the general trainer (trainer.ts): any depth, SGD/Adam, logits and Jacobians
const trainerCandidates: Candidate<TrainerCompute>[] = [
  { name: 'native', module: here('../../compute/trainer-native.ts'), rawSources: ['native/src', 'native/binding.gyp'], load: async () => (await import('../../compute/trainer-native.ts')).load(), identity: blasIdentity },
  { name: 'js', module: here('../../compute/trainer-js.ts'), load: async () => (await import('../../compute/trainer-js.ts')).load() },
];

export const backendNames: Readonly<Record<BackendKind, readonly string[]>> = {
  linalg: linalgCandidates.map((c) => c.name),
  mlp: mlpCandidates.map((c) => c.name),
  trainer: trainerCandidates.map((c) => c.name),
};

export interface Selected<T> {
  readonly name: string;
  /** the name plus whatever else changes its bytes (e.g. `native[blas-threads=1]`): the key part */
  readonly identity: string;
  readonly module: string;
  readonly rawSources: readonly string[];
  readonly impl: T;
  /** one line each for the candidates skipped and why */
  readonly notes: readonly string[];
}

async function select<T>(kind: BackendKind, candidates: Candidate<T>[], forced: string | undefined): Promise<Selected<T>> {
  const notes: string[] = [];
  const pool = forced === undefined ? candidates : candidates.filter((c) => c.name === forced);
  if (forced !== undefined && pool.length === 0) {
    throw new BackendSelectionError(`unknown ${kind} backend "${forced}"; choose one of: ${candidates.map((c) => c.name).join(', ')}`);
  }
  for (const c of pool) {
    try {
      const impl = await c.load();
      return { name: c.name, identity: c.identity?.(impl) ?? c.name, module: c.module, rawSources: c.rawSources ?? [], impl, notes };
    } catch (err) {
      const reason = err instanceof BackendUnavailable ? err.reason : err instanceof Error ? err.message : String(err);
      if (forced !== undefined) throw new BackendSelectionError(`${kind} backend "${forced}" was requested but cannot load: ${reason}`);
      notes.push(`${kind} backend ${c.name} not used: ${reason}`);
    }
  }
  throw new BackendSelectionError(`no ${kind} backend could load:\n  ${notes.join('\n  ')}`);
}

/**
 * `--backend` takes a comma list (e.g. `native`, `ml-matrix,wasm`): each kind uses the first
 * listed name that belongs to it, and auto-selects when none does.
 */
export function forcedFor(kind: BackendKind, preference: readonly string[]): string | undefined {
  return preference.find((p) => backendNames[kind].includes(p));
}

export function validateBackendPreference(preference: readonly string[]): void {
  const all = new Set([...backendNames.linalg, ...backendNames.mlp, ...backendNames.trainer]);
  for (const p of preference) {
    if (!all.has(p)) throw new BackendSelectionError(`unknown backend "${p}"; choose from: ${[...all].join(', ')}`);
  }
}

const cache = new Map<string, Promise<Selected<unknown>>>();

export function selectLinalg(preference: readonly string[] = []): Promise<Selected<Linalg>> {
  const forced = forcedFor('linalg', preference);
  const key = `linalg:${forced ?? 'auto'}`;
  if (!cache.has(key)) cache.set(key, select('linalg', linalgCandidates, forced));
  return cache.get(key) as Promise<Selected<Linalg>>;
}

export function selectMlp(preference: readonly string[] = []): Promise<Selected<MlpCompute>> {
  const forced = forcedFor('mlp', preference);
  const key = `mlp:${forced ?? 'auto'}`;
  if (!cache.has(key)) cache.set(key, select('mlp', mlpCandidates, forced));
  return cache.get(key) as Promise<Selected<MlpCompute>>;
}

export function selectTrainer(preference: readonly string[] = []): Promise<Selected<TrainerCompute>> {
  const forced = forcedFor('trainer', preference);
  const key = `trainer:${forced ?? 'auto'}`;
  if (!cache.has(key)) cache.set(key, select('trainer', trainerCandidates, forced));
  return cache.get(key) as Promise<Selected<TrainerCompute>>;
}

/** The coordinator's choice for one kind, as a worker receives it. */
export interface BackendChoice {
  readonly name: string;
  readonly identity: string;
}

export class BackendMismatchError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'BackendMismatchError';
  }
}

/**
 * Load exactly the backend the coordinator chose, or fail naming it and why: a worker never
 * falls back to another backend, whose bytes would land under the chosen one's key.
 */
export interface BackendImpl {
  readonly linalg: Linalg;
  readonly mlp: MlpCompute;
  readonly trainer: TrainerCompute;
}

/** The selection of each kind, for code that handles every kind alike. */
export function selectBackend(kind: BackendKind, preference: readonly string[] = []): Promise<Selected<unknown>> {
  return kind === 'linalg' ? selectLinalg(preference) : kind === 'mlp' ? selectMlp(preference) : selectTrainer(preference);
}

export async function loadChosenBackend<K extends BackendKind>(kind: K, choice: BackendChoice): Promise<BackendImpl[K]> {
  let selected: Selected<unknown>;
  try {
    selected = await selectBackend(kind, [choice.name]);
  } catch (err) {
    throw new BackendMismatchError(`the run chose ${kind} backend ${choice.name}, but it does not load here: ${err instanceof Error ? err.message : String(err)}`);
  }
  if (selected.identity !== choice.identity) {
    throw new BackendMismatchError(`the run chose ${kind} backend ${choice.identity}, but here it is ${selected.identity} (set the same FEATUREFLOW_BLAS_THREADS for every process of a run)`);
  }
  return selected.impl as BackendImpl[K];
}
