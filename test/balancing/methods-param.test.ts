/**
 * The per-method nodes (worst-group table, curves) take their method list as the `methods` param,
 * so what the closure used to hold alone (each method's usesAttributes, which decides its block
 * in the significance test) is in the task's key; the factory's list is the default and fixes the
 * input ports, and a list that does not name those ports is refused before anything runs.
 */
import { describe, expect, it } from 'vitest';
import { curvesNode } from '../../nodes/balancing/curves.ts';
import { worstGroupTableNode } from '../../nodes/balancing/table-node.ts';
import type { TrainingRun } from '../../nodes/balancing/train/run.ts';
import { runTyped } from '../stats/run-node.ts';

function fakeRun(val: number[], test: number[]): TrainingRun {
  return {
    groupAccuracy: { train: [], val: val.map((v) => [v, 1]), test: test.map((v) => [v, 1]) },
    averageAccuracy: { train: [], val: val.map((v) => (v + 1) / 2), test: [] },
  } as unknown as TrainingRun;
}

const methods = [{ name: 'ERM', usesAttributes: false }, { name: 'RWG', usesAttributes: true }];
const cells = (accs: number[]) => accs.map((a, seed) => ({ cell: { lr: 0.1, seed }, value: fakeRun([a], [a]) }));
const inputs = { ERM: cells([0.5, 0.6, 0.4]), RWG: cells([0.8, 0.9, 0.85]) };

describe('balancing nodes built for a list of methods', () => {
  it('carry the list, usesAttributes included, in their validated params', () => {
    for (const node of [worstGroupTableNode(methods), curvesNode(methods)]) {
      expect(node.params.parse({}).methods).toEqual(methods);
      const moved = node.params.parse({ methods: [methods[0], { name: 'RWG', usesAttributes: false }] }).methods;
      expect(moved[1]!.usesAttributes).toBe(false);
    }
  });

  it('the table follows the param, not the list the node was built with', async () => {
    const node = worstGroupTableNode(methods);
    const asBuilt = await runTyped(node, { inputs, params: {} });
    const oneBlock = await runTyped(node, { inputs, params: { methods: methods.map((m) => ({ ...m, usesAttributes: false })) } });
    expect([...asBuilt.getChild('uses_attributes')!.toArray()]).toEqual([false, true]);
    expect([...oneBlock.getChild('uses_attributes')!.toArray()]).toEqual([false, false]);
  });

  it('refuses a list that does not name the input ports in order', () => {
    for (const node of [worstGroupTableNode(methods), curvesNode(methods)]) {
      const r = node.params.safeParse({ methods: [methods[1], methods[0]] });
      expect(r.success).toBe(false);
      expect(String(r.error)).toMatch(/methods must name this node's input ports, in order: ERM, RWG/);
      expect(node.params.safeParse({ methods: [methods[0]] }).success).toBe(false);
    }
  });
});
