/**
 * The one place a node's `ctx` is built, for the engine's tasks and for `runNode` alike: the
 * compute backends a node declares, and a clear error when it uses one it did not declare
 * (an undeclared backend would be missing from its task key).
 */
import type { AnyNode, BackendUse, NodeContext } from './node.ts';
import type { RandomSource } from './random.ts';
import { loadChosenBackend, type BackendChoice } from './compute/backends.ts';
import type { Linalg } from './compute/linalg.ts';
import type { MlpCompute } from './compute/mlp.ts';
import type { TrainerCompute } from './compute/trainer.ts';

export interface ContextParts<P, I> {
  readonly params: P;
  readonly inputs: I;
  readonly random: RandomSource;
  /** the backends the run chose, by kind: loaded exactly, never re-selected */
  readonly backends: Readonly<Partial<Record<BackendUse, BackendChoice>>>;
  readonly signal: AbortSignal;
  readonly taskName: string;
  progress(fraction: number, message?: string): void;
  warn(message: string): void;
}

export async function createNodeContext<P, I>(node: Pick<AnyNode, 'name' | 'backends'>, parts: ContextParts<P, I>): Promise<NodeContext<P, I>> {
  const uses = new Set(node.backends ?? []);
  const chosen = (kind: BackendUse): BackendChoice => {
    const choice = parts.backends[kind];
    if (!choice) throw new Error(`node ${node.name} declares the ${kind} backend, but the run chose none for it`);
    return choice;
  };
  const linalg = uses.has('linalg') ? await loadChosenBackend('linalg', chosen('linalg')) : undefined;
  const mlp = uses.has('mlp') ? await loadChosenBackend('mlp', chosen('mlp')) : undefined;
  const trainer = uses.has('trainer') ? await loadChosenBackend('trainer', chosen('trainer')) : undefined;
  return {
    params: parts.params,
    inputs: parts.inputs,
    random: parts.random,
    get linalg(): Linalg {
      if (!linalg) throw new Error(`node ${node.name} uses ctx.linalg but does not declare backends: ['linalg']`);
      return linalg;
    },
    get mlp(): MlpCompute {
      if (!mlp) throw new Error(`node ${node.name} uses ctx.mlp but does not declare backends: ['mlp']`);
      return mlp;
    },
    get trainer(): TrainerCompute {
      if (!trainer) throw new Error(`node ${node.name} uses ctx.trainer but does not declare backends: ['trainer']`);
      return trainer;
    },
    progress: (f, m) => parts.progress(Math.min(1, Math.max(0, f)), m),
    warn: (m) => parts.warn(m),
    signal: parts.signal,
    taskName: parts.taskName,
  };
}
