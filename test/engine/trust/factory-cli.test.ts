/**
 * A pipeline file whose node is made by a factory (called when the pipeline file is imported, not
 * by the module the node names as its own) runs from the CLI on worker processes: a worker finds
 * the node by importing the pipeline file the CLI loaded. Before, the CLI gave its workers no entry
 * module, and the built-in data-balancing study failed 4 tasks on the default executor.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { rmSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { jsonLines, runCli, tempStore } from '../helpers.ts';
import { userFolder } from './fixtures.ts';

const user = userFolder('factory-cli');
afterAll(() => rmSync(user.dir, { recursive: true, force: true }));

describe('a factory-made node on worker processes, from the CLI', () => {
  it('is found by importing the pipeline file, and every task computes', () => {
    user.write('nodes.ts', `import { z } from 'zod';
import { defineNode } from '${user.engine}/node.ts';
import { json } from '${user.engine}/ports.ts';
export function scaled(factor: number) {
  return defineNode({
    name: 'factory-cli/scaled',
    version: 1,
    module: import.meta.url,
    params: z.object({ x: z.number(), factor: z.number().default(factor) }),
    inputs: {},
    output: json<number>(),
    run: ({ params }) => params.x * params.factor,
  });
}
`);
    const pipeline = user.write('pipeline.ts', `import { definePipeline } from '${user.engine}/pipeline.ts';
import { scaled } from './nodes.ts';
const p = definePipeline({ name: 'factory-cli', description: 'a factory-made node', module: import.meta.url });
p.output('y', p.step('y', scaled(3), { params: { x: p.axis('x', [1, 2, 3]) } }));
export default p;
`);
    for (const executor of ['processes', 'threads']) {
      const r = runCli(['run', fileURLToPath(pipeline), '--store', tempStore(), '--json', '--no-results', '--executor', executor, '-j', '2']);
      const summary = jsonLines(r.stdout).find((e) => e.type === 'summary');
      expect(summary, r.stderr).toMatchObject({ computed: 3, failed: 0 });
    }
  });
});
