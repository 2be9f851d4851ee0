import { z } from 'zod';
import { defineNode } from '../../engine/node.ts';
import { table } from '../../engine/ports.ts';
import { columnsTable } from '../../engine/table.ts';

/** Values per cell: the peer baseline's 1000 float64 values. */
export const CELL_VALUES = 1000;

/**
 * Passes of `cellWork` that take about 1 ms on the machine the bench was written on (a
 * 1000-value pass is about 11 µs in V8; numpy needs 135 passes, see bench/peers). The bench measures the pure compute time separately, so the
 * overhead it reports does not depend on this being exactly 1 ms.
 */
export const DEFAULT_PASSES = 90;

/**
 * The cell's numeric work, outside any engine: `passes` elementwise non-linear passes over 1000
 * values, each pass shifted by a phase that depends on the cell, so every cell's output differs
 * (a content-addressed store must not be able to deduplicate them). Pure and deterministic;
 * shared by the node and the bench's pure-compute measurement so both time the same code.
 */
export function cellWork(a: number, b: number, passes: number, out = new Float64Array(CELL_VALUES)): Float64Array {
  const n = out.length;
  const phase = new Float64Array(n);
  for (let k = 0; k < n; k++) {
    phase[k] = Math.sin(0.001 * (k + 1) * (a + 1)) + Math.cos(0.002 * (k + 1) * (b + 1));
    out[k] = Math.sin(phase[k]!);
  }
  for (let p = 0; p < passes; p++) {
    for (let k = 0; k < n; k++) {
      const v = out[k]!;
      out[k] = 0.5 * Math.sin(v) + 0.5 * Math.cos(1.1 * v + phase[k]!);
    }
  }
  return out;
}

/** One grid cell of the engine benchmark: about 1 ms of float64 work, 1000 values out as an Arrow table. */
export const gridCell = defineNode({
  name: 'bench/grid-cell',
  version: 1,
  module: import.meta.url,
  params: z.object({
    a: z.number().int().min(0),
    b: z.number().int().min(0),
    passes: z.number().int().min(0).default(DEFAULT_PASSES),
  }),
  inputs: {},
  output: table,
  run({ params }) {
    return columnsTable({ x: cellWork(params.a, params.b, params.passes) });
  },
});
