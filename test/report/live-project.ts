/**
 * A small user project for the live-view test, written into a fresh folder inside the checkout
 * (so it imports the engine by path): a slow sweep gathered into a figure, and an independent
 * sweep in its own node file, which the test edits.
 */
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { projectRoot } from '../../engine/project.ts';

const engine = '../../../../engine';
const plots = '../../../../nodes/plots/index.ts';

export const LIVE_DRAWS = 6;
export const LIVE_OTHERS = 3;

export function otherNodeSource(offset: number): string {
  return `import { z } from 'zod';
import { defineNode } from '${engine}/node.ts';
import { json } from '${engine}/ports.ts';

export const other = defineNode({
  name: 'live/other',
  version: 1,
  module: import.meta.url,
  params: z.object({ k: z.number().int() }),
  inputs: {},
  output: json<number>(),
  run: ({ params }) => params.k + ${offset},
});
`;
}

const drawSource = `import { z } from 'zod';
import { defineNode } from '${engine}/node.ts';
import { json } from '${engine}/ports.ts';

/** one cell of the slow sweep: it sleeps, then draws */
export const draw = defineNode({
  name: 'live/draw',
  version: 1,
  module: import.meta.url,
  params: z.object({ seed: z.number().int(), sleepMs: z.number() }),
  inputs: {},
  output: json<{ seed: number; value: number }>(),
  async run({ params, random, signal }) {
    const until = Date.now() + params.sleepMs;
    while (Date.now() < until) {
      signal.throwIfAborted();
      await new Promise((r) => setTimeout(r, 10));
    }
    return { seed: params.seed, value: random.uniform() };
  },
});
`;

const plotSource = `import { z } from 'zod';
import { tableFromArrays } from 'apache-arrow';
import { defineNode } from '${engine}/node.ts';
import { figure, json, many } from '${engine}/ports.ts';
import { renderFigure } from '${plots}';

export const plot = defineNode({
  name: 'live/plot',
  version: 1,
  module: import.meta.url,
  params: z.object({}),
  inputs: { draws: many(json<{ seed: number; value: number }>()) },
  output: figure,
  run: ({ inputs }) =>
    renderFigure({
      spec: { mark: 'point', encoding: { x: { field: 'seed', type: 'quantitative' }, y: { field: 'value', type: 'quantitative' } } },
      table: tableFromArrays({ seed: Float64Array.from(inputs.draws.map((d) => d.value.seed)), value: Float64Array.from(inputs.draws.map((d) => d.value.value)) }),
      caption: inputs.draws.length + ' draws',
    }),
});
`;

function pipelineSource(sleepMs: number): string {
  return `import { definePipeline, gather } from '${engine}/pipeline.ts';
import { draw } from './draw.ts';
import { other } from './other.ts';
import { plot } from './plot.ts';

const p = definePipeline({ name: 'live-test', description: 'a slow sweep gathered into a figure, and an independent sweep', module: import.meta.url });
const { seed } = p.grid({ seed: Array.from({ length: ${LIVE_DRAWS} }, (_, i) => i) });
const draws = p.step('draw', draw, { params: { seed, sleepMs: ${sleepMs} } });
p.output('scatter', p.step('plot', plot, { inputs: { draws: gather(draws, 'seed') } }));
const { k } = p.grid({ k: Array.from({ length: ${LIVE_OTHERS} }, (_, i) => i) });
p.output('others', p.step('other', other, { params: { k } }));
export default p;
`;
}

/** Writes the project; returns its folder and the pipeline file's path. */
export function writeLiveProject(sleepMs: number): { dir: string; pipeline: string; otherFile: string } {
  const base = join(projectRoot, 'test/fixtures/generated');
  mkdirSync(base, { recursive: true });
  const dir = mkdtempSync(join(base, 'live-'));
  // its own package.json: --watch watches this folder, not the whole checkout
  writeFileSync(join(dir, 'package.json'), JSON.stringify({ name: 'live-test', private: true, type: 'module' }));
  writeFileSync(join(dir, 'draw.ts'), drawSource);
  writeFileSync(join(dir, 'plot.ts'), plotSource);
  writeFileSync(join(dir, 'other.ts'), otherNodeSource(0));
  writeFileSync(join(dir, 'pipeline.ts'), pipelineSource(sleepMs));
  return { dir, pipeline: join(dir, 'pipeline.ts'), otherFile: join(dir, 'other.ts') };
}
