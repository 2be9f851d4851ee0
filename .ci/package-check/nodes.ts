// A user's nodes, as in the README: what the CI package check type-checks, compiles and runs.
import { defineNode, json, many, z } from 'featureflow';

export const score = defineNode({
  name: 'ridge/score',
  version: 1,
  module: import.meta.url,
  params: z.object({ lambda: z.number().positive(), seed: z.number().int() }),
  inputs: {},
  output: json<{ lambda: number; seed: number; loss: number }>(),
  run: ({ params, random }) => ({ lambda: params.lambda, seed: params.seed, loss: params.lambda + random.normal() }),
});

export const best = defineNode({
  name: 'ridge/best',
  version: 1,
  module: import.meta.url,
  params: z.object({}),
  inputs: { scores: many(score.output) },
  output: json<{ lambda: number; seed: number; loss: number }>(),
  run: ({ inputs }) => inputs.scores.map((s) => s.value).reduce((a, b) => (b.loss < a.loss ? b : a)),
});
