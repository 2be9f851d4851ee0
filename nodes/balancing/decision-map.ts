/**
 * Thesis ch. 8, Fig. 1: the predicted probability of class +1 over the (x_spu, x_core) plane for
 * each method's selected model. As in the thesis, each point gets the noise vector of the
 * training example nearest to it in (x_spu, x_core), so regions where the model memorises
 * minority examples through the noise show up. Axes are in model units γ·x (spurious ±8, core ±2);
 * probabilities are averaged over seeds.
 */
import { z } from 'zod';
import { defineNode } from '../../engine/node.ts';
import { figure, json, many, tensors } from '../../engine/ports.ts';
import { columnsTable } from '../../engine/table.ts';
import { renderFigure } from '../plots/index.ts';
import { fromBundle, type BalancingData } from './dataset.ts';
import type { MethodInfo } from './methods.ts';
import { summariseMethod, type RunCell } from './summary.ts';
import type { TrainingRun } from './train/run.ts';

export const decisionMapParams = z.object({
  resolution: z.number().int().min(2).max(200).default(41),
  seedAxis: z.string().default('seed'),
});

/** p(y = 1) on a resolution² grid for one linear toy model (params w, data's γ). */
export function decisionGrid(data: BalancingData, w: readonly number[], resolution: number): Float64Array {
  const { train } = data;
  const gamma = data.gamma ?? new Float64Array(train.d).fill(1);
  const d = train.d;
  // each training example's noise contribution to the logit
  const noiseLogit = new Float64Array(train.n);
  for (let i = 0; i < train.n; i++) {
    let s = 0;
    for (let j = 2; j < d; j++) s += w[j]! * Math.fround(gamma[j]! * train.x[i * d + j]!);
    noiseLogit[i] = s;
  }
  const out = new Float64Array(resolution * resolution);
  for (let a = 0; a < resolution; a++) {
    const spu = -2 + (4 * a) / (resolution - 1); // raw units: γ_spu·x ∈ [−8, 8] for γ_spu = 4
    for (let b = 0; b < resolution; b++) {
      const core = -2 + (4 * b) / (resolution - 1);
      let nearest = 0, dist = Infinity;
      for (let i = 0; i < train.n; i++) {
        const ds = (train.x[i * d]! - spu) ** 2 + (train.x[i * d + 1]! - core) ** 2;
        if (ds < dist) { dist = ds; nearest = i; }
      }
      const z = w[0]! * gamma[0]! * spu + w[1]! * gamma[1]! * core + noiseLogit[nearest]!;
      out[a * resolution + b] = 1 / (1 + Math.exp(-z));
    }
  }
  return out;
}

export function decisionMapTable(methods: readonly MethodInfo[], runs: Readonly<Record<string, readonly RunCell[]>>, dataBySeed: ReadonlyMap<string, BalancingData>, resolution: number, seedAxis = 'seed') {
  const method: string[] = [], xs: number[] = [], xc: number[] = [], p: number[] = [];
  for (const m of methods) {
    const best = summariseMethod(m, runs[m.name] ?? [], 'worst-group-val', seedAxis);
    const key = JSON.stringify(best.config);
    const chosen = (runs[m.name] ?? []).filter((c) => JSON.stringify(Object.fromEntries(Object.entries(c.cell).filter(([k]) => k !== seedAxis))) === key);
    const mean = new Float64Array(resolution * resolution);
    for (const c of chosen) {
      const data = dataBySeed.get(String(c.cell[seedAxis])) ?? dataBySeed.values().next().value;
      if (!data) throw new Error('decision map: no data');
      const g = decisionGrid(data, c.value.bestWorstGroup.params, resolution);
      for (let i = 0; i < g.length; i++) mean[i]! += g[i]! / chosen.length;
    }
    for (let a = 0; a < resolution; a++) for (let b = 0; b < resolution; b++) {
      method.push(m.name);
      xs.push(4 * (-2 + (4 * a) / (resolution - 1)));
      xc.push(-2 + (4 * b) / (resolution - 1));
      p.push(mean[a * resolution + b]!);
    }
  }
  return columnsTable({ method, x_spu: xs, x_core: xc, p_positive: p }, { units: 'x in model units γ·x; p = sigmoid(w·γx) with the nearest training example’s noise', resolution });
}

/** Fig. 1 shows these three: ERM (spurious + memorised noise), SUBG (core), RWG (core, if stopped early). */
const FIGURE_ONE: readonly MethodInfo[] = [
  { name: 'ERM', usesAttributes: false },
  { name: 'SUBG', usesAttributes: true },
  { name: 'RWG', usesAttributes: true },
];

export const decisionMapNode = defineNode({
  name: 'balancing/decision-map',
  version: 1,
  description: 'p(y=1) over (x_spu, x_core) for each method’s selected model (thesis ch. 8, Fig. 1)',
  module: import.meta.url,
  params: decisionMapParams,
  inputs: { data: many(tensors), ERM: many(json<TrainingRun>()), SUBG: many(json<TrainingRun>()), RWG: many(json<TrainingRun>()) },
  output: figure,
  run: async ({ inputs: gathered, params }) => {
    const dataBySeed = new Map<string, BalancingData>();
    for (const d of gathered.data) dataBySeed.set(String(d.cell[params.seedAxis]), fromBundle(d.value));
    const runs = { ERM: gathered.ERM, SUBG: gathered.SUBG, RWG: gathered.RWG };
    const table = decisionMapTable(FIGURE_ONE, runs, dataBySeed, params.resolution, params.seedAxis);
    return renderFigure({
      table,
      caption: 'Predicted probability of class +1 over (x_spu, x_core), selected models, mean over seeds',
      spec: {
        mark: { type: 'rect' },
        encoding: {
          x: { field: 'x_spu', type: 'quantitative', bin: { maxbins: params.resolution }, title: 'γ_spu · x_spu' },
          y: { field: 'x_core', type: 'quantitative', bin: { maxbins: params.resolution }, title: 'γ_core · x_core' },
          color: { field: 'p_positive', type: 'quantitative', scale: { scheme: 'redblue', reverse: true, domain: [0, 1] }, title: 'p(y = +1)' },
          column: { field: 'method', type: 'nominal' },
        },
      },
      width: 220,
      height: 220,
    });
  },
});
