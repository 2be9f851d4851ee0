/**
 * The seven methods of thesis ch. 8 as the study lists them: what each is called in the
 * table and whether it needs group attributes during training (which decides its block in
 * the significance test). How each trains lives in its sampler and loss nodes.
 */
import { z } from 'zod';

export interface MethodInfo {
  readonly name: string;
  readonly usesAttributes: boolean;
}

export const THESIS_METHODS: readonly MethodInfo[] = [
  { name: 'ERM', usesAttributes: false },
  { name: 'JTT', usesAttributes: false },
  { name: 'RWY', usesAttributes: false },
  { name: 'SUBY', usesAttributes: false },
  { name: 'RWG', usesAttributes: true },
  { name: 'SUBG', usesAttributes: true },
  { name: 'gDRO', usesAttributes: true },
];

/**
 * The `methods` param of a node built for a list of methods (one input port per method): the
 * list, `usesAttributes` included, is a param, so it is in the task's key; the factory's list
 * is only its default and fixes the port names, which the param must list in the same order.
 */
export function methodsParam(methods: readonly MethodInfo[]) {
  const names = methods.map((m) => m.name);
  return z
    .array(z.object({ name: z.string().min(1), usesAttributes: z.boolean() }).strict())
    .default(methods.map((m) => ({ name: m.name, usesAttributes: m.usesAttributes })))
    .refine((list) => list.length === names.length && list.every((m, i) => m.name === names[i]), {
      message: `methods must name this node's input ports, in order: ${names.join(', ')} (build the node for another list instead)`,
    });
}
