/**
 * What a command loads before it knows it needs it is start-up time on every call: Apache Arrow
 * alone is ~150 modules. The engine's entry points must reach the heavy packages only through
 * dynamic import() or engine/arrow.ts, and Arrow loaded late must still be the one module a
 * user's `import … from 'apache-arrow'` gets.
 */
import { spawnSync } from 'node:child_process';
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { build } from 'esbuild';
import { describe, expect, it } from 'vitest';
import { projectRoot } from '../../engine/project.ts';

/** Packages no entry point may import statically ('rxjs' means its index; rxjs/internal/Observable is the one class run() needs). */
const HEAVY = ['apache-arrow', 'rxjs', 'cli-progress', 'piscina', '@dagrejs/dagre', 'parquet-wasm', 'bullmq', 'ioredis', 'tsx', 'esbuild', 'playwright-core', 'ml-matrix'];

/** The npm packages `entry` reaches through static imports only (type-only imports are erased). */
async function staticPackages(entry: string): Promise<string[]> {
  const result = await build({ entryPoints: [entry], absWorkingDir: projectRoot, bundle: true, write: false, metafile: true, platform: 'node', format: 'esm', packages: 'external', logLevel: 'silent' });
  const inputs = result.metafile.inputs;
  const seen = new Set<string>();
  const packages = new Set<string>();
  const pending = [entry];
  while (pending.length > 0) {
    const file = pending.pop()!;
    if (seen.has(file)) continue;
    seen.add(file);
    for (const imp of inputs[file]?.imports ?? []) {
      if (imp.kind !== 'import-statement') continue;
      if (imp.external) packages.add(imp.path);
      else pending.push(imp.path);
    }
  }
  return [...packages].sort();
}

describe('start-up imports', () => {
  for (const entry of ['core.ts', 'engine/cli/main.ts', 'engine/cli/commands/run.ts', 'engine/cli/commands/plan.ts']) {
    it(`${entry} imports none of the heavy packages statically`, async () => {
      const heavy = (await staticPackages(entry)).filter((p) => HEAVY.includes(p));
      expect(heavy).toEqual([]);
    });
  }

  it("the package root (the studies' helpers too) imports neither Arrow, parquet-wasm nor @stdlib statically", async () => {
    const heavy = (await staticPackages('index.ts')).filter((p) => ['apache-arrow', 'parquet-wasm', 'rxjs'].includes(p) || p.startsWith('@stdlib/'));
    expect(heavy).toEqual([]);
  });

  it("runs a node that imports Arrow itself beside tasks whose tables load it through the engine", async () => {
    const { userFolder } = await import('./trust/fixtures.ts');
    const { runCli, jsonLines, tempStore } = await import('./helpers.ts');
    const user = userFolder('lazy-arrow');
    try {
      const file = fileURLToPath(user.write(
        'pipeline.ts',
        `import { z } from 'zod';\nimport { defineNode } from '${user.engine}/node.ts';\nimport { definePipeline } from '${user.engine}/pipeline.ts';\nimport { table } from '${user.engine}/ports.ts';\nimport { columnsTable } from '${user.engine}/table.ts';\n` +
          `export const cell = defineNode({ name: 'lazy-arrow/cell', version: 1, module: import.meta.url, params: z.object({ i: z.number() }), inputs: {}, output: table,\n` +
          `  async run({ params }) {\n    if (params.i === 0) return (await import('apache-arrow')).tableFromArrays({ x: Float64Array.from([1, 2]) });\n    await new Promise((r) => setTimeout(r, 5 * params.i)); return columnsTable({ x: [params.i] });\n  } });\n` +
          `const p = definePipeline({ name: 'lazy-arrow', description: 'x', module: import.meta.url });\np.output('t', p.step('t', cell, { params: { i: p.grid({ i: [0, 1, 2, 3] }).i } }));\nexport default p;\n`,
      ));
      const r = runCli(['run', file, '--store', tempStore(), '--json', '--no-results', '--executor', 'in-process', '-j', '4']);
      const summary = (jsonLines(r.stdout) as { type: string }[]).find((e) => e.type === 'summary');
      expect(summary, r.stdout.slice(0, 2000)).toMatchObject({ computed: 4, failed: 0 });
    } finally {
      rmSync(user.dir, { recursive: true, force: true });
    }
  });

  it('names the Node.js it needs when require() of ES modules is missing (Node before 20.19, or 22 before 22.12)', () => {
    const register = pathToFileURL(join(projectRoot, 'engine/ts-loader/register.mjs')).href;
    const core = pathToFileURL(join(projectRoot, 'core.ts')).href;
    const script =
      `Object.defineProperty(process.features, 'require_module', { value: false });\n` +
      `const { registerTypeScript } = await import(${JSON.stringify(register)}); registerTypeScript({ sourceExports: true });\n` +
      `const ff = await import(${JSON.stringify(core)});\n` +
      `try { ff.columnsTable({ x: [1] }); console.log('built'); } catch (e) { console.log(e.message); }`;
    const r = spawnSync(process.execPath, ['--input-type=module', '-e', script], { cwd: projectRoot, encoding: 'utf8' });
    expect(r.stdout.trim(), r.stderr).toBe(`featureflow needs Node.js 20.19+ or 22.12+ (require() of ES modules, to load Apache Arrow when a table is first used); this is ${process.version}`);
  });

  it('the CLI refuses a Node.js without require() of ES modules at once, naming the version it needs', () => {
    const r = spawnSync(process.execPath, ['--no-experimental-require-module', join(projectRoot, 'bin/featureflow.mjs'), 'list'], { cwd: projectRoot, encoding: 'utf8' });
    expect(r.status).toBe(2);
    expect(r.stderr).toBe(`featureflow: needs Node.js 20.19+ or 22.12+ (require() of ES modules); this is ${process.version}\n`);
  });

  it("builds tables with the same Arrow module a user's import gives, whichever loads first", () => {
    const register = pathToFileURL(join(projectRoot, 'engine/ts-loader/register.mjs')).href;
    const core = pathToFileURL(join(projectRoot, 'core.ts')).href;
    const script = (userFirst: boolean) =>
      `const { registerTypeScript } = await import(${JSON.stringify(register)}); registerTypeScript({ sourceExports: true });\n` +
      (userFirst ? `const arrow = await import('apache-arrow'); const ff = await import(${JSON.stringify(core)});\n` : `const ff = await import(${JSON.stringify(core)}); const t0 = ff.columnsTable({ x: [1] }); const arrow = await import('apache-arrow');\n`) +
      `const t = ff.columnsTable({ x: [1, 2, 3], s: ['a', 'b', 'c'] }, { run: 1 });\n` +
      `const mine = new arrow.Table({ y: arrow.vectorFromArray([1, 2]) });\n` +
      `console.log(JSON.stringify([t instanceof arrow.Table, t.numRows, ff.tableMetadata(t), ff.numericColumn(mine, 'y').length]));`;
    for (const userFirst of [false, true]) {
      const r = spawnSync(process.execPath, ['--input-type=module', '-e', script(userFirst)], { cwd: projectRoot, encoding: 'utf8' });
      expect(r.stdout.trim(), `${userFirst ? 'user first' : 'featureflow first'}: ${r.stderr}`).toBe('[true,3,{"run":1},2]');
    }
  });
});
