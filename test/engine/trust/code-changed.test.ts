/**
 * A worker that imports a node after its code was edited mid-run refuses to store the new
 * code's output under the old key: it fingerprints what it imported and fails the task naming
 * the changed file. (A researcher editing a helper while a long sweep runs, then a worker
 * restarting, would otherwise poison the cache.)
 */
import { afterAll, describe, expect, it } from 'vitest';
import { rmSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { RunEvent } from '../../../engine/events.ts';
import { jsonLines, ofType, runCli, summaryOf, tempStore } from '../helpers.ts';
import { userFolder } from './fixtures.ts';

const user = userFolder('code-changed');
afterAll(() => rmSync(user.dir, { recursive: true, force: true }));

describe('a node edited while a run is under way', () => {
  it('is refused by a worker that imports the new code, naming the changed file', () => {
    const helper = user.write('helper.ts', 'export const scale = (x: number) => x * 2;\n');
    const file = user.write(
      'pipeline.ts',
      `import { writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { z } from 'zod';
import { defineNode } from '${user.engine}/node.ts';
import { definePipeline } from '${user.engine}/pipeline.ts';
import { json } from '${user.engine}/ports.ts';
import { scale } from './helper.ts';
const cell = defineNode({
  name: 'edited/cell',
  version: 1,
  module: import.meta.url,
  params: z.object({ i: z.number().int() }),
  inputs: {},
  output: json<number>(),
  run: ({ params }) => {
    if (params.i === 1) {
      // the researcher edits the helper, and this worker dies: the next worker imports new code
      writeFileSync(fileURLToPath(${JSON.stringify(helper)}), 'export const scale = (x: number) => x * 3;\\n');
      process.exit(1);
    }
    return scale(params.i);
  },
});
const p = definePipeline({ name: 'edited', description: '', module: import.meta.url });
p.output('cells', p.step('cell', cell, { params: { i: p.axis('i', [0, 1, 2, 3]) } }));
export default p;
`,
    );
    const r = runCli(['run', fileURLToPath(file), '--store', tempStore(), '--json', '--no-results', '--executor', 'processes', '-j', '1']);
    const events = jsonLines(r.stdout) as RunEvent[];
    const failed = ofType(events, 'task-failed');
    expect(failed.map((f) => f.task)).toEqual(['cell[i=1]', 'cell[i=2]', 'cell[i=3]']);
    expect(failed[1]!.error).toMatch(/node edited\/cell: its code changed after the run planned it \(.*helper\.ts modified since/);
    expect(summaryOf(events).computed).toBe(1);
  });
});
