/**
 * In a development checkout, `import … from 'featureflow'` runs the TS sources (as before the
 * package had a build), whether or not dist/ exists: the bin and its workers add the
 * "featureflow-sources" export condition (engine/ts-loader/hooks.mjs).
 */
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { RunEvent } from '../../engine/events.ts';
import { projectRoot } from '../../engine/project.ts';
import { jsonLines, runCli, tempStore } from '../engine/helpers.ts';

const dir = join(projectRoot, 'test/fixtures/generated/dev-sources');
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe("'featureflow' inside the repository", () => {
  it('resolves to the sources for the CLI and its worker processes', () => {
    mkdirSync(dir, { recursive: true });
    const file = join(dir, 'pipeline.ts');
    writeFileSync(
      file,
      `import { defineNode, definePipeline, json, z } from 'featureflow';\n` +
        // evaluated by the CLI and again by each worker process that imports this module
        `if (!import.meta.resolve('featureflow').endsWith('/index.ts')) throw new Error('featureflow resolved to ' + import.meta.resolve('featureflow'));\n` +
        `const where = defineNode({ name: 'dev/where', version: 1, module: import.meta.url, params: z.object({ i: z.number() }), inputs: {}, output: json<string>(), run: () => import.meta.resolve('featureflow') });\n` +
        `const p = definePipeline({ name: 'dev-sources', description: 'x', module: import.meta.url });\n` +
        `p.output('where', p.step('where', where, { params: { i: p.grid({ i: [0, 1] }).i } }));\nexport default p;\n`,
    );
    const r = runCli(['run', file, '--store', tempStore(), '--json', '--no-results', '--executor', 'processes']);
    const summary = (jsonLines(r.stdout) as RunEvent[]).find((e) => e.type === 'summary') as { computed?: number; failed?: number } | undefined;
    expect(summary, r.stderr).toMatchObject({ computed: 2, failed: 0 });
  });
});
