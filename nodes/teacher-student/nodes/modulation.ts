import { z } from 'zod';
import { defineNode } from '../../../engine/node.ts';
import { tensors } from '../../../engine/ports.ts';
import { mat } from '../../../engine/compute/matrix.ts';
import { bipartiteModulation, modulationFromMatrix, modulationFromSpectrum } from '../modulation.ts';
import { conditionKappa, isNumericallySingular, seedParam, sizeD } from './schemas.ts';
import { modulationBundle } from './tensors.ts';

const params = z
  .object({
    d: sizeD,
    /** bipartite: U diag(1×p, 1/κ×(d−p)) Vᵀ; spectrum: U diag(spectrum) Vᵀ; matrix: F given row-major */
    kind: z.enum(['bipartite', 'spectrum', 'matrix']).default('bipartite'),
    p: z.number().int('p must be an integer').optional(),
    kappa: conditionKappa.optional(),
    spectrum: z.array(z.number({ error: 'spectrum values must be finite numbers' })).optional(),
    matrix: z.array(z.number({ error: 'matrix entries must be finite numbers' })).optional(),
    seed: seedParam,
  })
  .superRefine((v, ctx) => {
    const issue = (path: string, message: string) => ctx.addIssue({ code: 'custom', path: [path], message });
    if (v.kind === 'bipartite') {
      if (v.p === undefined) issue('p', 'bipartite F needs p (the number of fast directions)');
      else if (v.p <= 0 || v.p >= v.d) issue('p', `p must satisfy 0 < p < d = ${v.d}`);
      if (v.kappa === undefined) issue('kappa', 'bipartite F needs κ ≥ 1');
    } else if (v.kind === 'spectrum') {
      if (!v.spectrum) issue('spectrum', 'kind "spectrum" needs a spectrum (d singular values)');
      else {
        if (v.spectrum.length !== v.d) issue('spectrum', `spectrum must have d = ${v.d} values, got ${v.spectrum.length}`);
        if (v.spectrum.some((s) => !Number.isFinite(s))) issue('spectrum', 'spectrum must be finite');
        else if (v.spectrum.some((s) => s <= 0)) issue('spectrum', 'spectrum must be > 0 (a zero singular value makes F singular)');
      }
    } else {
      if (!v.matrix) issue('matrix', `kind "matrix" needs a d×d matrix (d = ${v.d}) as a row-major array`);
      else if (v.matrix.length !== v.d * v.d) issue('matrix', `matrix must have d² = ${v.d * v.d} entries (d×d, row-major), got ${v.matrix.length}`);
      else if (v.matrix.some((x) => !Number.isFinite(x))) issue('matrix', 'matrix must be finite');
      else if (isNumericallySingular(v.matrix, v.d)) issue('matrix', 'matrix is singular: F must be invertible');
    }
  });

/** The modulation matrix F with its SVD factors (Haar-random U, V for bipartite and spectrum kinds). */
export const modulationNode = defineNode({
  name: 'teacher-student/modulation',
  version: 1,
  description: 'modulation matrix F = U S Vᵀ (bipartite or from a spectrum), or a given invertible F',
  module: import.meta.url,
  params,
  inputs: {},
  output: tensors,
  backends: ['linalg'],
  run(ctx) {
    const { d, kind, p, kappa, spectrum, matrix } = ctx.params;
    if (kind === 'bipartite') return modulationBundle(bipartiteModulation(d, p!, kappa!, ctx.random, ctx.linalg));
    if (kind === 'spectrum') return modulationBundle(modulationFromSpectrum(spectrum!, ctx.random, ctx.linalg));
    return modulationBundle(modulationFromMatrix(mat(d, d, Float64Array.from(matrix!)), d, ctx.linalg));
  },
});
