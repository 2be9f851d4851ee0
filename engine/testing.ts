/**
 * Run one node outside a pipeline, for tests and scripts, exactly as the engine would run it as
 * a task of step `step`: the engine's param validation (unknown names refused, defaults filled,
 * file params hashed), the engine's seed (step name + canonical params) and the backend the
 * engine would choose.
 */
import type { z } from 'zod';
import { selectBackend, type BackendChoice } from './compute/backends.ts';
import { createNodeContext } from './context.ts';
import { PipelineError } from './errors.ts';
import { taskSeed } from './executors/execute-task.ts';
import type { AnyNode, BackendUse, InputValues, NodeDefinition } from './node.ts';
import { checkParams, unknownParamProblems } from './params.ts';
import type { AnyPort, Port, PortValue } from './ports.ts';
import { randomSourceFromSeed } from './random.ts';

export interface RunNodeOptions<S extends z.ZodObject, I extends Record<string, AnyPort>> {
  readonly params?: z.input<S>;
  readonly inputs?: InputValues<I>;
  /** the step name the task would have in a pipeline: it seeds the random source (default: the node's name) */
  readonly step?: string;
  /** @deprecated a raw seed string instead of the engine's (step, params) derivation */
  readonly seed?: string;
  /** `--backend`-style preference list */
  readonly backend?: readonly string[];
  readonly signal?: AbortSignal;
  readonly onProgress?: (fraction: number, message?: string) => void;
  readonly onWarning?: (message: string) => void;
}

async function chooseBackends(node: AnyNode, preference: readonly string[]): Promise<Partial<Record<BackendUse, BackendChoice>>> {
  const out: Partial<Record<BackendUse, BackendChoice>> = {};
  for (const kind of node.backends ?? []) {
    const s = await selectBackend(kind, preference);
    out[kind] = { name: s.name, identity: s.identity };
  }
  return out;
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function runNode<S extends z.ZodObject, I extends Record<string, AnyPort>, O extends Port<any>>(
  node: NodeDefinition<S, I, O>,
  options: RunNodeOptions<S, I> = {},
): Promise<PortValue<O>> {
  const any = node as unknown as AnyNode;
  const step = options.step ?? node.name;
  const raw = (options.params ?? {}) as Record<string, unknown>;
  const checked = checkParams(any, raw, step);
  const problems = [...unknownParamProblems(any, raw, `runNode(${node.name})`), ...(checked.ok ? [] : checked.problems)];
  if (problems.length > 0 || !checked.ok) throw new PipelineError(problems);
  const ctx = await createNodeContext<z.output<S>, InputValues<I>>(node, {
    params: checked.params as z.output<S>,
    inputs: (options.inputs ?? {}) as InputValues<I>,
    random: randomSourceFromSeed(options.seed ?? taskSeed(step, checked.canonical)),
    backends: await chooseBackends(any, options.backend ?? []),
    signal: options.signal ?? new AbortController().signal,
    taskName: step,
    progress: (f, m) => options.onProgress?.(f, m),
    warn: (m) => options.onWarning?.(m),
  });
  return (await node.run(ctx)) as PortValue<O>;
}
