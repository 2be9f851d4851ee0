/**
 * The engine benchmark's workload (issue 3, "Performance"): a 25 × 20 grid of independent cells,
 * each about 1 ms of numeric work returning 1000 float64 values. The bench widens the axes with
 * overrides (`--set b=[0,…,21]` for the 550-cell run, a 100 × 100 grid for the 10,000-task plan).
 */
import { definePipeline } from '../../engine/pipeline.ts';
import { gridCell } from './grid-nodes.ts';

export const GRID_A = 25;
export const GRID_B = 20;

const range = (n: number) => Array.from({ length: n }, (_, i) => i);

const p = definePipeline({
  name: 'bench-grid',
  description: 'engine benchmark: 25 × 20 independent cells of ~1 ms float64 work, 1000 values each',
  module: import.meta.url,
});
const { a, b } = p.grid({ a: range(GRID_A), b: range(GRID_B) });
const cells = p.step('cell', gridCell, { params: { a, b } });
p.output('cells', cells);
export default p;
