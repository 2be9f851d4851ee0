/**
 * The feature-dynamics panel (thesis ch. 6): the NTK Gram matrix J Jᵀ at initialisation (J the
 * Jacobian of the logit on the training points with respect to all parameters), its singular
 * vectors U, and per step the responses z = |ŷᵀU| with ŷ taken before each step. Under plain
 * cross-entropy a strong feature's coordinate grows while a weaker one is starved; under SD
 * the weaker one keeps being learned.
 */
import { z } from 'zod';
import { defineNode } from '../../engine/node.ts';
import { figure, many, table } from '../../engine/ports.ts';
import { mat } from '../../engine/compute/matrix.ts';
import { columnsTable, tableMetadata } from '../../engine/table.ts';
import { renderFigure } from '../plots/index.ts';
import { describeRun, moonRunParams } from './moon-params.ts';
import { trainMoonNetwork } from './moon-training.ts';

export const featureDynamicsParams = moonRunParams.extend({
  run: z.string().min(1),
  /** 0-based coordinates of z to record (the thesis plots 1 and 6) */
  coordinates: z.array(z.number().int().min(0)).min(1).default([1, 6]),
  /** record every k-th step (1: all) */
  recordEvery: z.number().int().min(1).default(10),
});

export const featureDynamics = defineNode({
  name: 'starvation/feature-dynamics',
  version: 1,
  description: 'SVD of the NTK Gram matrix at initialisation and z = |ŷᵀU| per step along chosen coordinates',
  module: import.meta.url,
  params: featureDynamicsParams,
  inputs: {},
  output: table,
  backends: ['trainer', 'linalg'],
  async run(ctx) {
    const p = ctx.params;
    let basis: Float64Array | undefined; // rows: the chosen singular vectors, each of length n
    let spectrum: number[] = [];
    const rows = { step: [] as number[], coordinate: [] as number[], z: [] as number[] };
    const { network } = await trainMoonNetwork(ctx.trainer, p, {
      signal: ctx.signal,
      progress: (f, m) => ctx.progress(f, m),
      onStart: (net, data) => {
        const n = data.y.length;
        const J = net.jacobian(p.precision === 'float32' ? Float32Array.from(data.x) : data.x);
        const P = net.parameterCount;
        const gram = ctx.linalg.gemm(mat(n, P, J), mat(n, P, J), { transB: true });
        const eig = ctx.linalg.eighSym(gram);
        // eigenvalues ascending: the k-th singular direction (descending) is column n−1−k
        basis = new Float64Array(p.coordinates.length * n);
        p.coordinates.forEach((k, c) => {
          if (k >= n) throw new RangeError(`coordinate ${k} ≥ ${n} training points`);
          for (let i = 0; i < n; i++) basis![c * n + i] = eig.vectors.data[i * n + (n - 1 - k)]!;
        });
        spectrum = Array.from({ length: Math.min(n, 10) }, (_, k) => eig.values[n - 1 - k]!);
      },
      onStep: (step, logits) => {
        if (step % p.recordEvery !== 0 && step !== p.steps - 1) return;
        const n = logits.length;
        p.coordinates.forEach((k, c) => {
          let s = 0;
          for (let i = 0; i < n; i++) s += logits[i]! * basis![c * n + i]!;
          rows.step.push(step); rows.coordinate.push(k); rows.z.push(Math.abs(s));
        });
      },
    });
    network.dispose();
    return columnsTable(rows, { run: p.run, setup: describeRun(p), gramTopEigenvalues: spectrum, z: '|ŷᵀU_k|, ŷ the train-mode logits before each step, U from the SVD of J Jᵀ at initialisation', recordEvery: p.recordEvery });
  },
});

export const featureDynamicsFigure = defineNode({
  name: 'starvation/feature-dynamics-figure',
  version: 1,
  description: 'z along the chosen NTK coordinates against the step, one panel per run',
  module: import.meta.url,
  params: z.object({}),
  inputs: { runs: many(table) },
  output: figure,
  async run(ctx) {
    const out = { run: [] as string[], step: [] as number[], coordinate: [] as string[], z: [] as number[] };
    const metas: unknown[] = [];
    for (const { value } of ctx.inputs.runs) {
      const meta = tableMetadata(value) as { run: string };
      metas.push(meta);
      const step = value.getChild('step')!.toArray() as Float64Array, k = value.getChild('coordinate')!.toArray() as Float64Array, zz = value.getChild('z')!.toArray() as Float64Array;
      for (let i = 0; i < step.length; i++) { out.run.push(meta.run); out.step.push(step[i]!); out.coordinate.push(`z${k[i]!}`); out.z.push(zz[i]!); }
    }
    const spec = {
      facet: { column: { field: 'run', title: null } },
      spec: {
        width: 300, height: 220,
        mark: { type: 'line', strokeWidth: 1.8 },
        encoding: {
          x: { field: 'step', type: 'quantitative', title: 'step' },
          y: { field: 'z', type: 'quantitative', title: '|ŷᵀ U_k|' },
          color: { field: 'coordinate', type: 'nominal', title: 'coordinate (0-based)', legend: { orient: 'bottom' } },
        },
      },
    };
    const caption = 'Feature dynamics: the responses along NTK singular directions 1 and 6 (SVD of J Jᵀ at initialisation) over training, without and with spectral decoupling.';
    return renderFigure({ spec, table: columnsTable(out, { runs: metas }), caption });
  },
});
