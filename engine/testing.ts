/**
 * Run one node outside a pipeline, for tests and scripts: validates params like the engine,
 * gives it a seeded random source and the selected backends.
 */
import type { z } from 'zod';
import type { InputValues, NodeContext, NodeDefinition } from './node.ts';
import type { AnyPort, Port, PortValue } from './ports.ts';
import { randomSourceFromSeed } from './random.ts';
import { selectLinalg, selectMlp } from './compute/backends.ts';
import type { Linalg } from './compute/linalg.ts';
import type { MlpCompute } from './compute/mlp.ts';

export interface RunNodeOptions<S extends z.ZodObject, I extends Record<string, AnyPort>> {
  readonly params?: z.input<S>;
  readonly inputs?: InputValues<I>;
  /** seed string for the random source (default: node name + JSON of params) */
  readonly seed?: string;
  /** `--backend`-style preference list */
  readonly backend?: readonly string[];
  readonly signal?: AbortSignal;
  readonly onProgress?: (fraction: number, message?: string) => void;
  readonly onWarning?: (message: string) => void;
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function runNode<S extends z.ZodObject, I extends Record<string, AnyPort>, O extends Port<any>>(
  node: NodeDefinition<S, I, O>,
  options: RunNodeOptions<S, I> = {},
): Promise<PortValue<O>> {
  const params = node.params.parse(options.params ?? {}) as z.output<S>;
  const uses = new Set(node.backends ?? []);
  const linalg = uses.has('linalg') ? (await selectLinalg(options.backend)).impl : undefined;
  const mlp = uses.has('mlp') ? (await selectMlp(options.backend)).impl : undefined;
  const ctx: NodeContext<z.output<S>, InputValues<I>> = {
    params,
    inputs: (options.inputs ?? {}) as InputValues<I>,
    random: randomSourceFromSeed(options.seed ?? `${node.name}:${JSON.stringify(params)}`),
    get linalg(): Linalg {
      if (!linalg) throw new Error(`node ${node.name} uses ctx.linalg but does not declare backends: ['linalg']`);
      return linalg;
    },
    get mlp(): MlpCompute {
      if (!mlp) throw new Error(`node ${node.name} uses ctx.mlp but does not declare backends: ['mlp']`);
      return mlp;
    },
    progress: (f, m) => options.onProgress?.(f, m),
    warn: (m) => options.onWarning?.(m),
    signal: options.signal ?? new AbortController().signal,
    taskName: node.name,
  };
  return (await node.run(ctx)) as PortValue<O>;
}
