/**
 * Issue 13, point 7: the CLI habits researchers bring from Snakemake and DVC.
 */
import { describe, expect, it } from 'vitest';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { spawnSync } from 'node:child_process';
import { parseSetValue } from '../../engine/cli/set-values.ts';
import type { RunEvent } from '../../engine/events.ts';
import { projectRoot } from '../../engine/project.ts';
import { cli, jsonLines, runCli, summaryOf, tempStore, tinyPipelinePath } from './helpers.ts';

const done = (events: RunEvent[]) => events.filter((e) => e.type === 'task-done').map((e) => (e as { task: string }).task);
const runTiny = (store: string, ...args: string[]) => {
  const r = runCli(['run', tinyPipelinePath, '--store', store, '--json', '--no-results', '--executor', 'in-process', ...args]);
  return { ...r, events: jsonLines(r.stdout) };
};

describe('the CLI habits of the field', () => {
  it('--version prints the package version', () => {
    const r = runCli(['--version']);
    expect(r.code).toBe(0);
    expect(r.stdout.trim()).toBe(JSON.parse(readFileSync(join(projectRoot, 'package.json'), 'utf8')).version);
  });

  it('run -n is a dry run: it plans and computes nothing', () => {
    const store = tempStore();
    const r = runCli(['run', tinyPipelinePath, '--store', store, '-n']);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/tiny: 10 tasks, 0 cached, 10 to compute/);
    expect(readdirSync(join(store, 'objects')).flatMap((d) => readdirSync(join(store, 'objects', d)))).toEqual([]);
  });

  it('--force recomputes one step, and what it feeds stays cached by early cutoff; --forceall recomputes all', () => {
    const store = tempStore();
    runTiny(store);
    const forced = runTiny(store, '--force', 'noise');
    expect(done(forced.events)).toHaveLength(8);
    expect(summaryOf(forced.events).cached).toBe(2);
    expect(done(runTiny(store, '--forceall').events)).toHaveLength(10);
    expect(runTiny(store, '--force', 'nosuch').stderr).toMatch(/--force nosuch: pipeline tiny has no step "nosuch"/);
  });

  it('--until runs a step and what it needs, nothing after', () => {
    const r = runTiny(tempStore(), '--until', 'noise');
    expect(done(r.events)).toHaveLength(8);
    expect(r.events.find((e) => e.type === 'plan')).toMatchObject({ tasks: 8 });
  });

  it('list shows the built-in pipelines and the local pipeline files with steps, nodes and profiles', () => {
    const r = runCli(['list', '--json', '--dir', join(projectRoot, 'test/fixtures/pipelines')]);
    const listed = r.stdout.trim().split('\n').map((l) => JSON.parse(l) as { pipeline: string; steps: { step: string; node: string }[]; profiles: string[] });
    expect(listed.map((l) => l.pipeline)).toEqual(expect.arrayContaining(['teacher-student', 'tiny', 'slow']));
    expect(listed.find((l) => l.pipeline === 'tiny')!.steps).toEqual([{ step: 'noise', node: 'test/noise' }, { step: 'summary', node: 'test/summarise' }]);
    expect(listed.find((l) => l.pipeline === 'teacher-student')!.profiles).toContain('paper');
  });

  it('ends quietly when its output is piped into head', () => {
    const r = spawnSync('bash', ['-c', `node ${cli} run ${tinyPipelinePath} --store ${tempStore()} --json --no-results --executor in-process | head -1`], { encoding: 'utf8', cwd: projectRoot });
    expect(r.stdout.trim()).toMatch(/^\{"type":"plan"/);
    expect(r.stderr).not.toMatch(/EPIPE|Error/);
  });

  it('without a TTY prints one line per step, not per task; --quiet only the summary; --verbose a failed stack', () => {
    const store = tempStore();
    const plain = runCli(['run', tinyPipelinePath, '--store', store, '--no-results', '--executor', 'in-process']);
    expect(plain.stderr).toMatch(/step noise: 8 tasks \(8 computed, 0 cached\)/);
    expect(plain.stderr).not.toMatch(/done noise\[/);
    const quiet = runCli(['run', tinyPipelinePath, '--store', store, '--no-results', '--quiet']);
    expect(quiet.stderr.trim().split('\n')).toEqual([expect.stringMatching(/^tiny: 0 computed, 10 cached/)]);
    const verbose = runCli(['run', tinyPipelinePath, '--store', tempStore(), '--no-results', '--executor', 'in-process', '--verbose', '--set', 'noise.failOnSeed=1']);
    expect(verbose.stderr).toMatch(/FAILED noise\[seed=1,scale=1\]: asked to fail/);
    expect(verbose.stderr).toMatch(/tiny-nodes\.ts:\d+/);
  });

  it('reads bracketed lists of plain words, and refuses half a bracket', () => {
    expect(parseSetValue('[notebook,elementwise]')).toEqual(['notebook', 'elementwise']);
    expect(parseSetValue('[1, 2.5,true]')).toEqual([1, 2.5, true]);
    expect(parseSetValue('notebook,elementwise')).toEqual(['notebook', 'elementwise']);
    expect(() => parseSetValue('[notebook,elementwise')).toThrow(/needs both brackets/);
  });
});

describe('bad pipeline modules', () => {
  it('a default export that only looks like a pipeline is exit 2 naming what is wrong', async () => {
    const { userFolder } = await import('./trust/fixtures.ts');
    const user = userFolder('malformed');
    const file = user.write('fake.ts', `export default { name: 'fake', steps: new Map(), axes: new Map(), outputs: [], module: import.meta.url, profiles: {} };\n`);
    const r = runCli(['run', file.replace('file://', ''), '--store', tempStore()]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/its default export is not a pipeline \(outputs is not a Map\)/);
    expect(r.stderr).not.toMatch(/unexpected error/);
  });
});

describe('run records v2', () => {
  it("name the git commit of the pipeline's project, +dirty with tracked changes, and none outside git", async () => {
    const { mkdtempSync, writeFileSync, appendFileSync, rmSync, symlinkSync } = await import('node:fs');
    const { tmpdir } = await import('node:os');
    const { oneFilePipeline } = await import('./trust/fixtures.ts');
    const dir = mkdtempSync(join(tmpdir(), 'ff-git-'));
    try {
      // a project outside this repository's git: its own package.json, this repo's packages
      writeFileSync(join(dir, 'package.json'), '{ "type": "module" }\n');
      symlinkSync(join(projectRoot, 'node_modules'), join(dir, 'node_modules'));
      const file = join(dir, 'pipeline.ts');
      writeFileSync(file, oneFilePipeline(join(projectRoot, 'engine'), { name: 'gitproj', lambdas: [1] }));
      const recordOf = (store: string) => {
        const runs = join(store, 'runs', 'gitproj');
        return JSON.parse(readFileSync(join(runs, readdirSync(runs).sort().at(-1)!), 'utf8')) as { gitCommit?: string };
      };
      const outside = tempStore();
      const first = runCli(['run', file, '--store', outside, '--no-results', '--executor', 'in-process']);
      expect(first.code, first.stderr).toBe(0);
      expect(recordOf(outside).gitCommit).toBeUndefined();
      const git = (...args: string[]) => spawnSync('git', ['-c', 'user.name=t', '-c', 'user.email=t@t', ...args], { cwd: dir, encoding: 'utf8' }).stdout.trim();
      git('init', '-q');
      git('add', 'package.json', 'pipeline.ts');
      git('commit', '-qm', 'pipeline');
      const head = git('rev-parse', 'HEAD');
      expect(head).toMatch(/^[0-9a-f]{40}$/);
      const clean = tempStore();
      runCli(['run', file, '--store', clean, '--no-results', '--executor', 'in-process']);
      expect(recordOf(clean).gitCommit).toBe(head);
      appendFileSync(file, '// an edit not committed\n');
      const dirty = tempStore();
      runCli(['run', file, '--store', dirty, '--no-results', '--executor', 'in-process']);
      expect(recordOf(dirty).gitCommit).toBe(`${head}+dirty`);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('keep a failed task\'s error and stack, which explain shows', async () => {
    const store = tempStore();
    runCli(['run', tinyPipelinePath, '--store', store, '--no-results', '--executor', 'in-process', '--set', 'noise.failOnSeed=1']);
    const { readdirSync: ls, readFileSync: read } = await import('node:fs');
    const dir = join(store, 'runs', 'tiny');
    const record = JSON.parse(read(join(dir, ls(dir)[0]!), 'utf8')) as { id: string; request: { overrides: Record<string, unknown>; executor: string }; versions: { node: string }; wallMs: number; tasks: { task: string; failure?: { error: string; stack?: string } }[] };
    expect(record.id).toMatch(/^\d{4}-\d\d-\d\dT/);
    expect(record.request).toMatchObject({ overrides: { 'noise.failOnSeed': 1 }, executor: 'in-process' });
    expect(record.versions.node).toBe(process.version);
    expect(record.wallMs).toBeGreaterThan(0);
    const failed = record.tasks.find((t) => t.task === 'noise[seed=1,scale=1]')!;
    expect(failed.failure?.error).toMatch(/asked to fail/);
    expect(failed.failure?.stack).toMatch(/tiny-nodes\.ts:\d+/);
    const x = runCli(['explain', tinyPipelinePath, 'noise[seed=1,scale=1]', '--store', store, '--set', 'noise.failOnSeed=1']);
    expect(x.stdout).toMatch(/it failed in run .*: asked to fail \(seed 1\)/);
  });
});
