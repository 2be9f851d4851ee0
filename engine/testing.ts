/**
 * Run one node outside a pipeline, for tests and scripts: validates params like the engine,
 * gives it a seeded random source and the selected backends.
 */
import type { z } from 'zod';
import type { InputValues, NodeDefinition } from './node.ts';
import type { AnyPort, Port, PortValue } from './ports.ts';
import { randomSourceFromSeed } from './random.ts';
import { createNodeContext } from './context.ts';

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
  const ctx = await createNodeContext<z.output<S>, InputValues<I>>(node, {
    params,
    inputs: (options.inputs ?? {}) as InputValues<I>,
    random: randomSourceFromSeed(options.seed ?? `${node.name}:${JSON.stringify(params)}`),
    backendPreference: options.backend ?? [],
    signal: options.signal ?? new AbortController().signal,
    taskName: node.name,
    progress: (f, m) => options.onProgress?.(f, m),
    warn: (m) => options.onWarning?.(m),
  });
  return (await node.run(ctx)) as PortValue<O>;
}
