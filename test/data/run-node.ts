/**
 * engine/testing.ts's runNode constrains O to Port<unknown>, which a Port<Table> does not satisfy
 * (the phantom __value is contravariant); this wrapper keeps the call sites typed meanwhile.
 */
import type { Table } from 'apache-arrow';
import type { AnyNode } from '../../engine/node.ts';
import { runNode, type RunNodeOptions } from '../../engine/testing.ts';

export function runTableNode(node: AnyNode, options: Omit<RunNodeOptions<never, never>, 'params' | 'inputs'> & { params?: object; inputs?: object } = {}): Promise<Table> {
  return runNode(node as never, options as never) as Promise<Table>;
}
