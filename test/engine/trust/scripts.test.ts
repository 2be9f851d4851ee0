/**
 * Issue 11, point 3: a worker finds a node through the registry, never by re-importing a
 * pipeline module and taking a step. Scripts that build a pipeline and call `run()` work on the
 * threads executor (the import inside the worker reaches an inert `run()`), give the bytes the
 * in-process executor gives, and `verify --recompute` finds nodes the same way.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { existsSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { sha256 } from '../../../engine/hash.ts';
import { projectRoot } from '../../../engine/project.ts';
import { runCli, tempStore } from '../helpers.ts';
import { userFolder } from './fixtures.ts';

const user = userFolder('scripts');
afterAll(() => rmSync(user.dir, { recursive: true, force: true }));

const runner = (pipelineExpr: string, imports: string) => `import { lastValueFrom, toArray } from 'rxjs';
import { run } from '${user.engine}/run.ts';
${imports}
const [executor, store] = process.argv.slice(2);
const events = await lastValueFrom(run(${pipelineExpr}, { store, executor: executor as 'threads', concurrency: 2, fsync: false }).pipe(toArray()));
const summary = events.find((e) => e.type === 'summary');
console.log('SUMMARY ' + JSON.stringify(summary));
for (const e of events) if (e.type === 'task-failed' || e.type === 'warning') console.log('EVENT ' + JSON.stringify(e));
`;

const drawNode = (name: string) => `defineNode({
  name: '${name}',
  version: 1,
  module: import.meta.url,
  params: z.object({ seed: z.number().int() }),
  inputs: {},
  output: table,
  run: ({ params, random }) => columnsTable({ x: random.fillNormal(new Float64Array(50), 0, 1) }, { seed: params.seed }),
})`;
const nodeImports = `import { z } from 'zod';
import { defineNode } from '${user.engine}/node.ts';
import { table } from '${user.engine}/ports.ts';
import { columnsTable } from '${user.engine}/table.ts';`;

function runScript(url: string, executor: string, store = tempStore()) {
  const r = spawnSync(process.execPath, ['--import', 'tsx', fileURLToPath(url), executor, store], { cwd: projectRoot, encoding: 'utf8', timeout: 90_000 });
  const line = r.stdout.split('\n').find((l) => l.startsWith('SUMMARY '));
  if (!line) throw new Error(`script ${executor} gave no summary (exit ${r.status}, signal ${r.signal}): ${r.stdout}\n${r.stderr}`);
  const events = r.stdout.split('\n').filter((l) => l.startsWith('EVENT ')).map((l) => JSON.parse(l.slice(6)) as { type: string; message?: string; error?: string });
  return { summary: JSON.parse(line.slice(8)) as { computed: number; failed: number; outputs: Record<string, Record<string, string>> }, events, store };
}

describe('scripts on the threads executor', () => {
  it('run a script with its nodes inline, with the bytes of the in-process executor', () => {
    const script = user.write('inline.ts', `${nodeImports}
import { definePipeline } from '${user.engine}/pipeline.ts';
const draw = ${drawNode('script/draw')};
const p = definePipeline({ name: 'inline', description: '', module: import.meta.url });
p.output('draw', p.step('draw', draw, { params: { seed: p.axis('seed', [0, 1, 2, 3]) } }));
${runner('p', '')}`);
    const threads = runScript(script, 'threads');
    const inProcess = runScript(script, 'in-process');
    expect(threads.summary.failed, JSON.stringify(threads.events)).toBe(0);
    expect(threads.summary.computed).toBe(4);
    expect(threads.summary.outputs).toEqual(inProcess.summary.outputs);
    // verify (its lineage check and --recompute) reads the script's pipeline without running the script's run():
    // run that way, the script would take `verify` and `--store` from the CLI's argv and start a sweep there
    const v = runCli(['verify', '--store', threads.store, '--recompute', '4']);
    expect(v.code, v.stdout + v.stderr).toBe(0);
    expect(existsSync(join(projectRoot, '--store'))).toBe(false);
    expect(v.stdout).not.toMatch(/does not load/);
  });

  it('run a script that imports its nodes from another module', () => {
    user.write('nodes.ts', `${nodeImports}\nexport const draw = ${drawNode('script/imported-draw')};\n`);
    const script = user.write('imports.ts', `import { definePipeline } from '${user.engine}/pipeline.ts';
import { draw } from './nodes.ts';
const p = definePipeline({ name: 'imports', description: '', module: import.meta.url });
p.output('draw', p.step('draw', draw, { params: { seed: p.axis('seed', [0, 1, 2]) } }));
${runner('p', '')}`);
    const threads = runScript(script, 'threads');
    expect(threads.summary.computed, JSON.stringify(threads.events)).toBe(3);
    expect(threads.summary.outputs).toEqual(runScript(script, 'in-process').summary.outputs);
  });

  it("run a study built by a function with the script's own options, not the study module's default", () => {
    user.write('study.ts', `import { z } from 'zod';
import { defineNode } from '${user.engine}/node.ts';
import { definePipeline } from '${user.engine}/pipeline.ts';
import { json } from '${user.engine}/ports.ts';
/** a factory: the node captures k (the kind of code a study module may hold) */
export function scaleNode(k: number) {
  return defineNode({ name: 'factory/scale', version: 1, module: import.meta.url, params: z.object({ x: z.number() }), inputs: {}, output: json<number>(), run: ({ params }) => params.x * k });
}
export function makeStudy(o: { k: number; xs: number[] }) {
  const p = definePipeline({ name: 'factory-study', description: '', module: import.meta.url });
  p.output('y', p.step('scale', scaleNode(o.k), { params: { x: p.axis('x', o.xs) } }));
  return p;
}
export default makeStudy({ k: 1, xs: [1] });
`);
    const script = user.write('factory.ts', runner('makeStudy({ k: 3, xs: [1, 2] })', `import { makeStudy } from './study.ts';`));
    const threads = runScript(script, 'threads');
    const inProcess = runScript(script, 'in-process');
    expect(threads.summary.failed, JSON.stringify(threads.events)).toBe(0);
    expect(threads.summary.computed).toBe(2);
    expect(threads.summary.outputs).toEqual(inProcess.summary.outputs);
    expect(threads.events.some((e) => e.type === 'warning' && /factory\/scale is defined 2 times/.test(e.message ?? ''))).toBe(true);
    // the values themselves: x·k with the script's k = 3 (a JSON value's object is its canonical text)
    expect(threads.summary.outputs.y).toEqual({ 'scale[x=1]': sha256('3'), 'scale[x=2]': sha256('6') });
  });
});
