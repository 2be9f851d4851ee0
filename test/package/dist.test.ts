/**
 * The built package (dist/) as a project that installs featureflow sees it: plain node imports
 * it, a strict NodeNext tsconfig without allowImportingTsExtensions type-checks against it (no
 * TS5097), `featureflow/core` loads no study code, and a study's task keys are the same whether
 * the TS sources or dist/ computed them. Builds dist/ once (`npm run build`, ~20 s).
 */
import { spawnSync, type SpawnSyncReturns } from 'node:child_process';
import { existsSync, mkdirSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { build } from 'esbuild';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as sourceRoot from '../../index.ts';
import { planPipeline } from '../../engine/plan.ts';
import { projectRoot } from '../../engine/project.ts';
import { Store } from '../../engine/store/store.ts';
import { initProject } from '../../engine/cli/init.ts';
import teacherStudent from '../../pipelines/teacher-student.ts';

const work = join(projectRoot, 'test/fixtures/generated/dist-consumer');
const node = (args: string[], cwd = projectRoot, env: NodeJS.ProcessEnv = {}): SpawnSyncReturns<string> =>
  spawnSync(process.execPath, args, { cwd, encoding: 'utf8', env: { ...process.env, ...env } });
const ok = (r: SpawnSyncReturns<string>) => {
  expect(r.status, `${r.stdout}\n${r.stderr}`).toBe(0);
  return r.stdout;
};

/** A folder that depends on featureflow the way an installed project does (node_modules/featureflow). */
function consumer(name: string): string {
  const dir = join(work, name);
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(join(dir, 'node_modules'), { recursive: true });
  symlinkSync(projectRoot, join(dir, 'node_modules', 'featureflow'), 'dir');
  return dir;
}

beforeAll(() => { if (process.env.SKIP_BUILD) return;
  const r = spawnSync('npm', ['run', 'build'], { cwd: projectRoot, encoding: 'utf8' });
  expect(r.status, r.stderr).toBe(0);
}, 240_000);
afterAll(() => rmSync(work, { recursive: true, force: true }));

describe('the built package', () => {
  it('runs on plain node and keeps every name the root exports', () => {
    const names = JSON.parse(ok(node(['--input-type=module', '-e', "console.log(JSON.stringify(Object.keys(await import('featureflow'))))"])));
    expect(names).toEqual(expect.arrayContaining(Object.keys(sourceRoot)));
    expect(names).toContain('z');
  });

  it('gives each study a subpath whose default export is its pipeline', () => {
    for (const study of ['teacher-student', 'sparse-double-descent', 'data-balancing']) {
      const out = ok(node(['--input-type=module', '-e', `console.log((await import('featureflow/studies/${study}')).default.name)`]));
      expect(out.trim()).toBe(study);
    }
  });

  it('has a core entry whose import graph holds no study code', async () => {
    const r = await build({ entryPoints: [join(projectRoot, 'dist/core.js')], bundle: true, write: false, metafile: true, platform: 'node', format: 'esm', packages: 'external', outdir: '/unused', logLevel: 'silent' });
    const inputs = Object.keys(r.metafile.inputs);
    expect(inputs.some((f) => f.includes('dist/engine/'))).toBe(true);
    expect(inputs.filter((f) => /dist\/(nodes|pipelines)\//.test(f))).toEqual([]);
    const time = (spec: string) => Number(ok(node(['--input-type=module', '-e', `const t = performance.now(); await import('${spec}'); console.log(performance.now() - t)`])));
    console.log(`import time: featureflow/core ${time('featureflow/core').toFixed(0)} ms, featureflow ${time('featureflow').toFixed(0)} ms`);
  });

  it("computes a study's task keys exactly as the TS sources do", async () => {
    const dir = consumer('keys');
    const fromSources = await planPipeline(teacherStudent, await Store.open(join(dir, 'store-src')));
    const script = `
      const { planPipeline, Store } = await import('featureflow/core');
      const { default: p } = await import('featureflow/studies/teacher-student');
      const plan = await planPipeline(p, await Store.open(${JSON.stringify(join(dir, 'store-dist'))}));
      console.log(JSON.stringify(plan.entries.map((e) => [e.task, e.key ?? null])));`;
    const fromDist = JSON.parse(ok(node(['--input-type=module', '-e', script], dir)));
    const sourceKeys = fromSources.entries.map((e) => [e.task, e.key ?? null]);
    expect(sourceKeys.filter(([, k]) => k !== null).length).toBeGreaterThan(0);
    expect(fromDist).toEqual(sourceKeys);
  });

  it('type-checks a user pipeline under strict NodeNext without allowImportingTsExtensions (no TS5097)', () => {
    const dir = consumer('types');
    writeFileSync(join(dir, 'package.json'), JSON.stringify({ name: 'user', private: true, type: 'module' }));
    writeFileSync(
      join(dir, 'tsconfig.json'),
      JSON.stringify({ compilerOptions: { target: 'ES2022', module: 'NodeNext', moduleResolution: 'NodeNext', strict: true, noEmit: true, types: ['node'] }, include: ['*.ts'] }),
    );
    initProject(join(dir, 'scaffold')); // the init templates must type-check too
    writeFileSync(
      join(dir, 'user.ts'),
      `import { run, z, defineNode, json } from 'featureflow';\nimport { Store } from 'featureflow/core';\nimport study from 'featureflow/studies/teacher-student';\nimport pipeline from './scaffold/pipeline.js';\n` +
        `const n = defineNode({ name: 'u/n', version: 1, module: import.meta.url, params: z.object({ a: z.number() }), inputs: {}, output: json<number>(), run: ({ params }) => params.a });\n` +
        `export const all = [n, Store, study.name, run(pipeline, { store: 'x' })];\n`,
    );
    const tsc = join(projectRoot, 'node_modules/typescript/bin/tsc');
    const r = node([tsc, '-p', dir], dir);
    expect(r.stdout).not.toMatch(/TS5097/);
    expect(r.status, r.stdout).toBe(0);
  });

  it('runs a scaffolded project with the CLI and a JS pipeline with plain node', () => {
    const dir = consumer('run');
    writeFileSync(join(dir, 'package.json'), JSON.stringify({ name: 'user', private: true, type: 'module' }));
    initProject(join(dir, 'app'));
    if (!existsSync(join(dir, 'app', 'node_modules'))) symlinkSync(join(dir, 'node_modules'), join(dir, 'app', 'node_modules'), 'dir');
    const cli = ok(node([join(projectRoot, 'bin/featureflow.mjs'), 'run', 'pipeline.ts', '--json', '--no-results'], join(dir, 'app'), { FEATUREFLOW_DIST: '1' }));
    expect(cli).toMatch(/"type":"summary".*"computed":13,"cached":0,"failed":0/);
    writeFileSync(
      join(dir, 'script.mjs'),
      `import { definePipeline, defineNode, json, run, z } from 'featureflow';\n` +
        `const twice = defineNode({ name: 'js/twice', version: 1, module: import.meta.url, params: z.object({ x: z.number() }), inputs: {}, output: json(), run: ({ params }) => 2 * params.x });\n` +
        `const p = definePipeline({ name: 'js', description: 'plain node', module: import.meta.url });\n` +
        `p.step('twice', twice, { params: { x: p.grid({ x: [1, 2] }).x } });\n` +
        `run(p, { store: 'store', executor: 'in-process' }).subscribe({ next: (e) => e.type === 'summary' && console.log(JSON.stringify(e)) });\n`,
    );
    expect(ok(node(['script.mjs'], dir))).toMatch(/"computed":2,"cached":0,"failed":0/);
  });
});
