/**
 * Issue 12, finding 7: a task that dies fails alone. On the default executor (worker processes)
 * a segfault or `process.exit` inside a node fails that task, naming the signal or code; the
 * other tasks go on, the summary is written, no lock is left. In-process, `process.exit` in a
 * node is a failed task, not the end of the run.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { readdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { RunEvent } from '../../engine/events.ts';
import { jsonLines, ofType, runCli, summaryOf, tempStore } from './helpers.ts';
import { userFolder } from './trust/fixtures.ts';

const user = userFolder('crash');
afterAll(() => rmSync(user.dir, { recursive: true, force: true }));

const pipeline = user.write(
  'crashing.ts',
  `import { z } from 'zod';
import { defineNode } from '${user.engine}/node.ts';
import { definePipeline } from '${user.engine}/pipeline.ts';
import { json } from '${user.engine}/ports.ts';
const cell = defineNode({
  name: 'crash/cell',
  version: 1,
  module: import.meta.url,
  params: z.object({ i: z.number().int(), how: z.enum(['segfault', 'exit', 'none']) }),
  inputs: {},
  output: json<number>(),
  run: ({ params }) => {
    if (params.i === 2 && params.how === 'segfault') process.kill(process.pid, 'SIGSEGV');
    if (params.i === 2 && params.how === 'exit') process.exit(3);
    return params.i * 10;
  },
});
const p = definePipeline({ name: 'crashing', description: '', module: import.meta.url });
p.output('cells', p.step('cell', cell, { params: { i: p.axis('i', [0, 1, 2, 3, 4, 5]), how: 'segfault' } }));
export default p;
`,
);

function runCrashing(args: string[]) {
  const store = tempStore();
  const r = runCli(['run', fileURLToPath(pipeline), '--store', store, '--json', '--no-results', ...args]);
  return { ...r, events: jsonLines(r.stdout) as RunEvent[], store };
}

describe('a task that dies', () => {
  it('fails alone on worker processes when it segfaults: the rest run, the summary is written, no lock remains', () => {
    const r = runCrashing(['--executor', 'processes', '-j', '2']);
    expect(r.code).toBe(1);
    const failed = ofType(r.events, 'task-failed');
    expect(failed.map((f) => f.task)).toEqual(['cell[i=2]']);
    expect(failed[0]!.error).toMatch(/worker process running cell\[i=2\] was killed by SIGSEGV/);
    const s = summaryOf(r.events);
    expect(s.computed).toBe(5);
    expect(readdirSync(join(r.store, 'locks'))).toEqual([]);
  });

  it('fails alone on worker processes when a node calls process.exit', () => {
    const r = runCrashing(['--executor', 'processes', '--set', 'cell.how=exit']);
    expect(ofType(r.events, 'task-failed')[0]?.error).toMatch(/exited with code 3/);
    expect(summaryOf(r.events).computed).toBe(5);
  });

  it('is a failed task in-process when a node calls process.exit', () => {
    const r = runCrashing(['--executor', 'in-process', '--set', 'cell.how=exit']);
    expect(r.code).toBe(1);
    expect(ofType(r.events, 'task-failed')[0]?.error).toMatch(/a node called process.exit\(3\) while cell\[i=2\] ran in-process/);
    expect(summaryOf(r.events).computed).toBe(5);
  });
});
