/**
 * The whole ch. 8 study in-process: every method × hyper-parameter grid × seed on one dataset
 * family, then the thesis-style table. Mirrors pipelines/data-balancing.ts step for step (same
 * nodes' functions), for tests, benchmarks and scripts that do not go through the engine.
 */
import type { ParamScalar } from '../../engine/ports.ts';
import { randomSourceFromSeed } from '../../engine/random.ts';
import type { BalancingData } from './dataset.ts';
import { THESIS_METHODS, type MethodInfo } from './methods.ts';
import { RECIPES } from './recipes.ts';
import type { RunCell } from './summary.ts';
import { summariseStudy, tableParams } from './table-node.ts';
import type { HeadSpec } from './model/head.ts';
import type { Selector } from './train/selection.ts';

export interface StudyOptions {
  readonly dataFor: (seed: number) => BalancingData;
  readonly dataset?: string;
  readonly seeds: readonly number[];
  readonly lrs: readonly number[];
  readonly weightDecays: readonly number[];
  readonly jtt: { readonly T: readonly number[]; readonly up: readonly number[] };
  readonly eta?: number;
  readonly epochs: number;
  readonly batchSize?: number;
  readonly head?: HeadSpec;
  readonly methods?: readonly MethodInfo[];
  readonly selector?: Selector;
  readonly onRun?: (method: string, cell: Readonly<Record<string, ParamScalar>>) => void;
}

function grid(axes: Readonly<Record<string, readonly number[]>>): Record<string, number>[] {
  let cells: Record<string, number>[] = [{}];
  for (const [k, values] of Object.entries(axes)) cells = cells.flatMap((c) => values.map((v) => ({ ...c, [k]: v })));
  return cells;
}

export function runStudy(o: StudyOptions) {
  const methods = o.methods ?? THESIS_METHODS;
  const data = new Map(o.seeds.map((s) => [s, o.dataFor(s)]));
  const runs: Record<string, RunCell[]> = {};
  for (const m of methods) {
    const recipe = RECIPES[m.name];
    if (!recipe) throw new Error(`no recipe for method ${m.name}`);
    const axes: Record<string, readonly number[]> = { lr: o.lrs, weightDecay: o.weightDecays, ...(m.name === 'JTT' ? { T: o.jtt.T, up: o.jtt.up } : {}), seed: o.seeds };
    runs[m.name] = grid(axes).map((cell) => {
      o.onRun?.(m.name, cell);
      const { lr, weightDecay, seed, ...extra } = cell as { lr: number; weightDecay: number; seed: number } & Record<string, number>;
      const value = recipe({
        data: data.get(seed)!,
        train: { lr, weightDecay, seed, epochs: o.epochs, batchSize: o.batchSize ?? 250, ...(o.head ? { head: o.head } : {}) },
        extra: { ...extra, ...(o.eta !== undefined ? { eta: o.eta } : {}) },
        random: randomSourceFromSeed(`balancing/${m.name}:${JSON.stringify(cell)}`),
      });
      return { cell, value };
    });
  }
  const params = tableParams.parse({ dataset: o.dataset ?? 'synthetic', selector: o.selector ?? 'worst-group-val' });
  return { runs, ...summariseStudy(methods, runs, params, { epochs: o.epochs, lrs: o.lrs, weightDecays: o.weightDecays, seeds: o.seeds, jtt: o.jtt }) };
}
