import type { z } from 'zod';
import type { AnyPort, Port, PortValue } from './ports.ts';
import type { RandomSource } from './random.ts';
import type { Linalg } from './compute/linalg.ts';
import type { MlpCompute } from './compute/mlp.ts';
import type { TrainerCompute } from './compute/trainer.ts';
import { registerNode } from './registry/registry.ts';

/** Which compute backends a node uses; each declared one becomes part of the task key. */
export type BackendUse = 'linalg' | 'mlp' | 'trainer';

export type InputValues<I extends Record<string, AnyPort>> = { readonly [K in keyof I]: PortValue<I[K]> };

export interface NodeContext<P, I> {
  /** validated params with defaults filled in */
  readonly params: P;
  readonly inputs: I;
  /** seeded from the step id and canonical params: same cell, same numbers */
  readonly random: RandomSource;
  /** float64 linear algebra; only for nodes that declare `backends: ['linalg']` */
  readonly linalg: Linalg;
  /** MLP training; only for nodes that declare `backends: ['mlp']` */
  readonly mlp: MlpCompute;
  /** the general network trainer; only for nodes that declare `backends: ['trainer']` */
  readonly trainer: TrainerCompute;
  /** report progress in [0, 1]; cheap, throttled by the engine */
  progress(fraction: number, message?: string): void;
  /** a warning the run reports as a `warning` event naming this task */
  warn(message: string): void;
  /** aborted when the run is cancelled: long loops should check it and stop */
  readonly signal: AbortSignal;
  /** the task's display name, `<step>[param=value,…]` */
  readonly taskName: string;
}

export interface NodeDefinition<
  S extends z.ZodObject = z.ZodObject,
  I extends Record<string, AnyPort> = Record<string, AnyPort>,
  O extends Port<any> = Port<any>, // eslint-disable-line @typescript-eslint/no-explicit-any
> {
  /** unique across everything a run loads (two modules defining one name is an error); it identifies the node in task keys and workers find it by it */
  readonly name: string;
  /** bump to force recomputation without a code change */
  readonly version: number;
  readonly description?: string;
  /** `import.meta.url` of the defining module: workers import it to find the node, and the node's code fingerprint starts from its definition there */
  readonly module: string;
  readonly params: S;
  readonly inputs: I;
  readonly output: O;
  readonly backends?: readonly BackendUse[];
  /**
   * Params that name files or folders the node reads: their content hashes join the task key
   * (with the path), so replacing a file's contents under the same name recomputes.
   */
  readonly fileParams?: readonly string[];
  run(ctx: NodeContext<z.output<S>, InputValues<I>>): Promise<PortValue<O>> | PortValue<O>;
}

/** Define and register a node; `defineNode({...})` keeps every type parameter precise. */
export function defineNode<S extends z.ZodObject, I extends Record<string, AnyPort>, O extends Port<any>>( // eslint-disable-line @typescript-eslint/no-explicit-any
  def: NodeDefinition<S, I, O>,
): NodeDefinition<S, I, O> {
  if (!/^[a-z][a-z0-9-]*(\/[a-z0-9-]+)*$/.test(def.name)) {
    throw new Error(`node name "${def.name}" must be lower-case kebab words, optionally with "/" (e.g. "teacher-student/draw-data")`);
  }
  if (!Number.isInteger(def.version) || def.version < 0) {
    throw new Error(`node ${def.name}: version must be a non-negative integer, got ${def.version}`);
  }
  if (typeof def.module !== 'string' || def.module === '') {
    throw new Error(`node ${def.name}: module must be the defining module's URL: write \`module: import.meta.url\``);
  }
  registerNode(def as unknown as AnyNode);
  return def;
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type AnyNode = NodeDefinition<z.ZodObject, Record<string, AnyPort>, Port<any>>;
