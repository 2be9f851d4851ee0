/**
 * runNode with the node's output type kept: engine/testing.ts bounds the output by Port<unknown>,
 * which a json<T>() port does not satisfy under strict variance (reported to the lead).
 */
import type { z } from 'zod';
import { runNode, type RunNodeOptions } from '../../engine/testing.ts';
import type { NodeDefinition } from '../../engine/node.ts';
import type { AnyPort, Port } from '../../engine/ports.ts';

export function runTyped<S extends z.ZodObject, I extends Record<string, AnyPort>, V>(
  node: NodeDefinition<S, I, Port<V>>,
  options: RunNodeOptions<S, I> = {},
): Promise<V> {
  return runNode(node as never, options as never) as Promise<V>;
}
