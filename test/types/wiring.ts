/**
 * Compile-time checks of pipeline wiring, run by `tsc` in `npm test`: each @ts-expect-error
 * line MUST fail to type-check, or tsc reports the directive as unused and the suite fails.
 */
import { z } from 'zod';
import { defineNode } from '../../engine/node.ts';
import { definePipeline, gather } from '../../engine/pipeline.ts';
import { figure, json, many, table } from '../../engine/ports.ts';
import { columnsTable } from '../../engine/table.ts';

const makeTable = defineNode({
  name: 'types/make-table',
  version: 1,
  module: import.meta.url,
  params: z.object({ seed: z.number().int(), label: z.string().default('x') }),
  inputs: {},
  output: table,
  run: () => columnsTable({ x: [1] }),
});
const makeJson = defineNode({
  name: 'types/make-json',
  version: 1,
  module: import.meta.url,
  params: z.object({}),
  inputs: {},
  output: json<{ n: number }>(),
  run: () => ({ n: 1 }),
});
const useTable = defineNode({
  name: 'types/use-table',
  version: 1,
  module: import.meta.url,
  params: z.object({}),
  inputs: { t: table },
  output: json<number>(),
  run: ({ inputs }) => inputs.t.numRows,
});
const useMany = defineNode({
  name: 'types/use-many',
  version: 1,
  module: import.meta.url,
  params: z.object({}),
  inputs: { ts: many(table) },
  output: figure,
  run: ({ inputs }) => ({ svg: '<svg/>', table: inputs.ts[0]!.value }),
});

const p = definePipeline({ name: 'types', description: 'wiring type checks', module: import.meta.url });
const seed = p.axis('seed', [0, 1]);
const t = p.step('t', makeTable, { params: { seed } });
const j = p.step('j', makeJson, {});
p.step('ok', useTable, { inputs: { t } });
p.step('ok-many', useMany, { inputs: { ts: gather(t, 'seed') } });

// @ts-expect-error a JSON output wired into a table input
p.step('bad-kind', useTable, { inputs: { t: j } });
// @ts-expect-error a single value wired into a many-input
p.step('bad-many', useMany, { inputs: { ts: t } });
// @ts-expect-error a gathered input wired into a single-value input
p.step('bad-gather', useTable, { inputs: { t: gather(t, 'seed') } });
// @ts-expect-error a missing input
p.step('missing', useTable, {});
// @ts-expect-error a param of the wrong type
p.step('bad-param', makeTable, { params: { seed: 'zero' } });
// @ts-expect-error a string axis bound to a number param
p.step('bad-axis', makeTable, { params: { seed: p.axis('names', ['a', 'b']) } });
