/**
 * The README's own-pipeline example is code a new user copies first: it must type-check, run,
 * and recompute exactly what the README says when a sweep value is added.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import type { RunEvent } from '../../engine/events.ts';
import { projectRoot } from '../../engine/project.ts';
import { jsonLines, runCli, tempStore } from '../engine/helpers.ts';
import { userFolder } from '../engine/trust/fixtures.ts';

const readme = readFileSync(join(projectRoot, 'README.md'), 'utf8');
const example = /## Your own pipeline[\s\S]*?```ts\n([\s\S]*?)```/.exec(readme)?.[1] ?? '';
const user = userFolder('readme');
afterAll(() => rmSync(user.dir, { recursive: true, force: true }));

function computed(file: string, store: string): string[] {
  const r = runCli(['run', file, '--store', store, '--json', '--no-results']);
  const events = jsonLines(r.stdout) as RunEvent[];
  expect(events.find((e) => e.type === 'summary'), r.stderr).toBeDefined();
  return events.filter((e) => e.type === 'task-done').map((e) => (e as { task: string }).task).sort();
}

describe("the README's own-pipeline example", () => {
  it('is there', () => expect(example).toContain('definePipeline'));

  it('type-checks under the project settings', () => {
    const file = fileURLToPath(user.write('sweep.ts', example));
    const tsc = spawnSync(process.execPath, [join(projectRoot, 'node_modules/typescript/bin/tsc'), '--noEmit', '--strict', '--module', 'nodenext', '--moduleResolution', 'nodenext', '--target', 'es2022', '--allowImportingTsExtensions', '--customConditions', 'featureflow-sources', '--skipLibCheck', '--types', 'node', file], {
      cwd: projectRoot,
      encoding: 'utf8',
    });
    expect(tsc.stdout + tsc.stderr).toBe('');
  });

  it('runs, and adding a λ recomputes only the new cells and the gather', () => {
    const store = tempStore();
    const file = fileURLToPath(user.write('sweep.ts', example));
    expect(computed(file, store)).toHaveLength(10);
    user.write('sweep.ts', example.replace('lambda: [0.01, 0.1, 1]', 'lambda: [0.01, 0.1, 1, 10]'));
    expect(computed(file, store)).toEqual(['best', 'score[lambda=10,seed=0]', 'score[lambda=10,seed=1]', 'score[lambda=10,seed=2]']);
  });
});
