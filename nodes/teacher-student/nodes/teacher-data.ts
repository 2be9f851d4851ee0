import { z } from 'zod';
import { defineNode } from '../../../engine/node.ts';
import { tensors } from '../../../engine/ports.ts';
import { drawTeacher } from '../teacher.ts';
import { noiseSigma, seedParam, sizeD, sizeN } from './schemas.ts';
import { teacherBundle } from './tensors.ts';

/** One draw of the teacher: Z, Z_test, w, y = Zw + ε, y_test = Z_test w (noiseless). */
export const teacherDataNode = defineNode({
  name: 'teacher-student/teacher-data',
  version: 1,
  description: 'teacher inputs z ~ N(0, I/d), weights w ~ N(0, I), labels with N(0, σ²) noise, noiseless test set',
  module: import.meta.url,
  params: z.object({
    n: sizeN,
    d: sizeD,
    sigma: noiseSigma,
    nTest: z.number().int().min(1, 'nTest must be ≥ 1').default(1000),
    seed: seedParam,
  }),
  inputs: {},
  output: tensors,
  backends: ['linalg'],
  run(ctx) {
    const { n, d, sigma, nTest } = ctx.params;
    return teacherBundle(drawTeacher({ n, d, sigma, nTest }, ctx.random, ctx.linalg), sigma);
  },
});
