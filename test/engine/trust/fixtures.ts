/** Generated user code for the trust tests: modules written into a fresh folder inside the project. */
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { projectRoot } from '../../../engine/project.ts';

const base = join(projectRoot, 'test/fixtures/generated');

/** A fresh folder under test/fixtures/generated; `engine` is the import prefix of the engine from it. */
export function userFolder(prefix: string): { dir: string; engine: string; write(name: string, source: string): string } {
  mkdirSync(base, { recursive: true });
  const dir = mkdtempSync(join(base, `${prefix}-`));
  return {
    dir,
    engine: '../../../../engine',
    write(name, source) {
      const path = join(dir, name);
      writeFileSync(path, source);
      return pathToFileURL(path).href;
    },
  };
}

/** A one-file pipeline: a score node per (λ, seed), a helper it calls, a gather over all cells. */
export function oneFilePipeline(engine: string, o: { name: string; lambdas: number[]; helper?: string; neighbour?: string; scoreBody?: string }): string {
  return `import { z } from 'zod';
import { defineNode } from '${engine}/node.ts';
import { definePipeline, gather } from '${engine}/pipeline.ts';
import { json, many } from '${engine}/ports.ts';

function penalty(lambda: number): number {
  return ${o.helper ?? 'lambda * lambda'};
}

export const score = defineNode({
  name: '${o.name}/score',
  version: 1,
  module: import.meta.url,
  params: z.object({ lambda: z.number(), seed: z.number().int() }),
  inputs: {},
  output: json<{ lambda: number; value: number }>(),
  run: ({ params, random }) => ({ lambda: params.lambda, value: ${o.scoreBody ?? 'penalty(params.lambda) + random.uniform()'} }),
});

export const neighbour = defineNode({
  name: '${o.name}/neighbour',
  version: 1,
  module: import.meta.url,
  params: z.object({}),
  inputs: {},
  output: json<number>(),
  run: () => ${o.neighbour ?? '1'},
});

export const total = defineNode({
  name: '${o.name}/total',
  version: 1,
  module: import.meta.url,
  params: z.object({}),
  inputs: { scores: many(json<{ lambda: number; value: number }>()) },
  output: json<number>(),
  run: ({ inputs }) => inputs.scores.reduce((sum, s) => sum + s.value.value, 0),
});

const study = definePipeline({ name: '${o.name}', description: 'a one-file ridge-like sweep', module: import.meta.url });
const sweep = study.grid({ lambda: ${JSON.stringify(o.lambdas)}, seed: [0, 1, 2] });
const scores = study.step('score', score, { params: { lambda: sweep.lambda, seed: sweep.seed } });
study.output('perLambda', study.step('per-lambda', total, { inputs: { scores: gather(scores, 'seed') } }));
study.output('total', study.step('total', total, { inputs: { scores: gather(scores, ['lambda', 'seed']) } }));
study.output('other', study.step('other', neighbour, {}));
export default study;
`;
}
