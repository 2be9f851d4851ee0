/**
 * The dual-dynamics toy (thesis appendix Fig. 1) as a node: the three dynamics over s₁, the
 * responses z₁, z₂ along the two feature directions, and the figure of |z₁|, |z₂| against s₁.
 */
import { z } from 'zod';
import { defineNode } from '../../engine/node.ts';
import { figure, table } from '../../engine/ports.ts';
import { columnsTable, tableMetadata } from '../../engine/table.ts';
import { renderFigure } from '../plots/index.ts';
import { drawX, dualToy, type Dynamics } from './dual-toy.ts';

const DYNAMICS: readonly Dynamics[] = ['dual', 'primal', 'sd'];

export const dualToyParams = z.object({
  /** s of U; the authors' code uses 0.5, the thesis text 0.6 */
  rotation: z.number().gt(-1).lt(1).default(0.5),
  s1Values: z.array(z.number().positive()).min(1).default([2, 3, 4, 5, 6]),
  s2: z.number().positive().default(2),
  C: z.number().positive().default(100),
  steps: z.number().int().min(1).default(5000),
  dualLr: z.number().positive().default(3e-6),
  primalLr: z.number().positive().default(0.05),
  sdCoefficient: z.number().positive().default(0.1),
  weightCoefficient: z.number().positive().default(0.5),
});

export const dualToyNode = defineNode({
  name: 'starvation/dual-toy',
  version: 1,
  description: 'dual, primal and SD dynamics on the two-example toy over s₁: responses z₁, z₂',
  module: import.meta.url,
  params: dualToyParams,
  inputs: {},
  output: table,
  run(ctx) {
    const p = ctx.params;
    const x = drawX(ctx.random.fork('X'));
    const rows = { dynamics: [] as string[], s1: [] as number[], z1: [] as number[], z2: [] as number[], absZ1: [] as number[], absZ2: [] as number[] };
    for (const d of DYNAMICS) {
      for (const s1 of p.s1Values) {
        const r = dualToy({ ...p, s1 }, x, d);
        rows.dynamics.push(d); rows.s1.push(s1); rows.z1.push(r.z1); rows.z2.push(r.z2); rows.absZ1.push(Math.abs(r.z1)); rows.absZ2.push(Math.abs(r.z2));
      }
    }
    return columnsTable(rows, {
      study: 'gradient-starvation',
      figure: 'appendix Fig. 1 (dual dynamics toy)',
      X: x,
      rotation: p.rotation,
      rotationNote: 'U = [[√(1−s²), −s], [s, √(1−s²)]]; the authors\' code uses s = 0.5, the thesis text s = 0.6',
      labels: [1, 1],
      s2: p.s2,
      C: p.C,
      steps: p.steps,
      dual: `α from 1e−8, GD lr ${p.dualLr} on (C/2)αᵀKα − H(α), α clipped into [1e−50, 1]`,
      primal: `θ from 0, GD lr ${p.primalLr} on Σ log(1+exp(−yΦθ)) + (${p.weightCoefficient}/C)‖θ‖²`,
      sd: `θ from 0, GD lr ${p.primalLr} on Σ log(1+exp(−yΦθ)) + (${p.sdCoefficient}/C) Σ(Φθ)²`,
      responses: 'z = Uᵀ(ŷ ⊙ y)',
    });
  },
});

export const dualToyFigure = defineNode({
  name: 'starvation/dual-toy-figure',
  version: 1,
  description: '|z₁| and |z₂| against s₁ for the dual, primal and SD dynamics',
  module: import.meta.url,
  params: z.object({}),
  inputs: { toy: table },
  output: figure,
  async run(ctx) {
    const t = ctx.inputs.toy;
    const meta = tableMetadata(t) as Record<string, unknown>;
    const d = t.getChild('dynamics')!.toArray() as string[];
    const s1 = t.getChild('s1')!.toArray() as Float64Array, a1 = t.getChild('absZ1')!.toArray() as Float64Array, a2 = t.getChild('absZ2')!.toArray() as Float64Array;
    const rows = { dynamics: [] as string[], s1: [] as number[], response: [] as string[], value: [] as number[] };
    const name: Record<string, string> = { dual: 'dual', primal: 'primal (weight penalty)', sd: 'spectral decoupling' };
    for (let k = 0; k < d.length; k++) {
      for (const [resp, v] of [['|z₁|', a1[k]!], ['|z₂|', a2[k]!]] as const) {
        rows.dynamics.push(name[d[k]!] ?? d[k]!); rows.s1.push(s1[k]!); rows.response.push(resp); rows.value.push(v);
      }
    }
    const spec = {
      facet: { column: { field: 'dynamics', title: null, sort: Object.values(name) } },
      spec: {
        width: 220, height: 200,
        mark: { type: 'line', point: true, strokeWidth: 2 },
        encoding: {
          x: { field: 's1', type: 'quantitative', title: 'singular value s₁ (s₂ = 2)', scale: { zero: false } },
          y: { field: 'value', type: 'quantitative', title: 'response |z|' },
          color: { field: 'response', type: 'nominal', title: null, legend: { orient: 'bottom' } },
        },
      },
    };
    const caption = `Dual-dynamics toy (thesis appendix Fig. 1): responses along the two feature directions after ${meta.steps} steps, U's rotation s = ${meta.rotation}, C = ${meta.C}. Primal and dual reach the same point; under the primal |z₂| falls as s₁ grows (starvation); under SD it does not depend on s₁.`;
    return renderFigure({ spec, table: columnsTable(rows, meta), caption });
  },
});
