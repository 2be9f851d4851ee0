/**
 * Issue 11, points 1 and 2: a node's cache follows the node itself — its name is unique, and its
 * fingerprint covers its own code and what it uses, not the wiring or the neighbours in its file.
 * Each run is a fresh CLI process, as a researcher editing the file and rerunning would see it.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { rmSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { RunEvent } from '../../../engine/events.ts';
import { jsonLines, runCli, tempStore } from '../helpers.ts';
import { oneFilePipeline, userFolder } from './fixtures.ts';

const user = userFolder('one-file');
afterAll(() => rmSync(user.dir, { recursive: true, force: true }));

function runFile(url: string, store: string) {
  const r = runCli(['run', fileURLToPath(url), '--store', store, '--json', '--executor', 'in-process']);
  const events = jsonLines(r.stdout);
  const summary = events.find((e) => e.type === 'summary') as Extract<RunEvent, { type: 'summary' }> | undefined;
  if (!summary) throw new Error(`no summary (exit ${r.code}): ${r.stderr}`);
  const computed = events.filter((e) => e.type === 'task-done').map((e) => (e as { task: string }).task).sort();
  return { summary, computed, events };
}

describe('a one-file pipeline (nodes and wiring together)', () => {
  const store = tempStore();
  const file = user.write('pipeline.ts', oneFilePipeline(user.engine, { name: 'onefile', lambdas: [0.1, 1, 10, 100] }));

  it('recomputes only the new cells and the gathers over them when a sweep value is added', () => {
    expect(runFile(file, store).summary.computed).toBe(4 * 3 + 4 + 1 + 1);
    user.write('pipeline.ts', oneFilePipeline(user.engine, { name: 'onefile', lambdas: [0.1, 1, 10, 100, 1000] }));
    const again = runFile(file, store);
    expect(again.computed).toEqual(['per-lambda[lambda=1000]', 'score[lambda=1000,seed=0]', 'score[lambda=1000,seed=1]', 'score[lambda=1000,seed=2]', 'total']);
    expect(again.summary.cached).toBe(4 * 3 + 4 + 1);
  });

  it('keeps a node cached when a neighbouring node in the same file changes', () => {
    user.write('pipeline.ts', oneFilePipeline(user.engine, { name: 'onefile', lambdas: [0.1, 1, 10, 100, 1000], neighbour: '2' }));
    expect(runFile(file, store).computed).toEqual(['other']);
  });

  it('recomputes a node when a helper it calls changes, and early cutoff stops at equal bytes', () => {
    // same values, different code: every score recomputes, the gathers see equal bytes and stay cached
    user.write('pipeline.ts', oneFilePipeline(user.engine, { name: 'onefile', lambdas: [0.1, 1, 10, 100, 1000], neighbour: '2', helper: 'lambda ** 2' }));
    const r = runFile(file, store);
    expect(r.computed.filter((t) => t.startsWith('score['))).toHaveLength(15);
    expect(r.computed.filter((t) => !t.startsWith('score['))).toEqual([]);
  });

  it("recomputes a node when its own run changes", () => {
    user.write('pipeline.ts', oneFilePipeline(user.engine, { name: 'onefile', lambdas: [0.1, 1, 10, 100, 1000], neighbour: '2', helper: 'lambda ** 2', scoreBody: 'penalty(params.lambda) + 2 * random.uniform()' }));
    const r = runFile(file, store);
    expect(r.computed).toHaveLength(15 + 5 + 1);
  });
});

describe('node identity', () => {
  const nodeModule = (value: number) => `import { z } from 'zod';
import { defineNode } from '${user.engine}/node.ts';
import { json } from '${user.engine}/ports.ts';
export const n = defineNode({ name: 'dup/node', version: 1, module: import.meta.url, params: z.object({}), inputs: {}, output: json<number>(), run: () => ${value} });
`;

  it('refuses one name from two modules at load time, naming both files', async () => {
    const a = user.write('dup-a.ts', nodeModule(1));
    const b = user.write('dup-b.ts', nodeModule(2));
    await import(a);
    await expect(import(b)).rejects.toThrow(/two modules define a node named "dup\/node": .*dup-a\.ts and .*dup-b\.ts/);
  });

  it('refuses a pipeline that uses two different definitions of one name', async () => {
    const { defineNode } = await import('../../../engine/node.ts');
    const { definePipeline } = await import('../../../engine/pipeline.ts');
    const { expandPipeline } = await import('../../../engine/expand.ts');
    const { json } = await import('../../../engine/ports.ts');
    const { z } = await import('zod');
    const make = (v: number) => defineNode({ name: 'dup/factory', version: 1, module: import.meta.url, params: z.object({}), inputs: {}, output: json<number>(), run: () => v });
    const p = definePipeline({ name: 'dups', description: '', module: import.meta.url });
    p.step('a', make(1), {});
    p.step('b', make(2), {});
    expect(() => expandPipeline(p)).toThrow(/steps a and b use two different nodes named "dup\/factory"/);
  });

  it('gives two differently named nodes in two modules their own keys and values', () => {
    const store = tempStore();
    const nodes = (name: string, value: number) => nodeModule(value).replace("'dup/node'", `'${name}'`);
    user.write('own-a.ts', nodes('own/a', 1));
    user.write('own-b.ts', nodes('own/b', 2));
    const file = user.write('own-pipeline.ts', `import { definePipeline } from '${user.engine}/pipeline.ts';
import { n as a } from './own-a.ts';
import { n as b } from './own-b.ts';
const p = definePipeline({ name: 'own', description: '', module: import.meta.url });
p.output('a', p.step('a', a, {}));
p.output('b', p.step('b', b, {}));
export default p;
`);
    const first = runFile(file, store);
    const done = first.events.filter((e) => e.type === 'task-done') as Extract<RunEvent, { type: 'task-done' }>[];
    expect(new Set(done.map((d) => d.key)).size).toBe(2);
    user.write('own-a.ts', nodes('own/a', 100));
    expect(runFile(file, store).computed).toEqual(['a']);
  });
});
