import { describe, expect, it } from 'vitest';
import { writeFileSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { jsonLines, runCli, slowPipelinePath, spawnCli, tempStore, tinyPipelinePath } from './helpers.ts';

function waitForExit(child: ReturnType<typeof spawnCli>): Promise<{ code: number | null; stdout: string }> {
  let stdout = '';
  child.stdout!.on('data', (d) => (stdout += d));
  return new Promise((resolve) => child.on('exit', (code) => resolve({ code, stdout })));
}

describe('featureflow CLI', () => {
  it('survives SIGKILL half-way: the rerun computes only what was missing and verify finds no bad object', async () => {
    const store = tempStore();
    const child = spawnCli(['run', slowPipelinePath, '--store', store, '--json', '--no-results', '-j', '2']);
    let stdout = '';
    await new Promise<void>((resolve) => {
      child.stdout!.on('data', (d) => {
        stdout += d;
        if (jsonLines(stdout).filter((e) => e.type === 'task-done').length >= 4) {
          child.kill('SIGKILL');
          resolve();
        }
      });
    });
    await new Promise((r) => child.on('exit', r));
    const doneBefore = jsonLines(stdout).filter((e) => e.type === 'task-done').length;
    const rerun = runCli(['run', slowPipelinePath, '--store', store, '--json', '--no-results']);
    expect(rerun.code).toBe(0);
    const events = jsonLines(rerun.stdout);
    const summary = events.find((e) => e.type === 'summary')!;
    expect(summary).toMatchObject({ failed: 0 });
    if (summary.type !== 'summary') throw new Error();
    expect(summary.cached).toBeGreaterThanOrEqual(doneBefore);
    expect(summary.cached + summary.computed).toBe(13);
    const verify = runCli(['verify', '--store', store, '--json']);
    expect(verify.code).toBe(0);
    expect(JSON.parse(verify.stdout).corrupt).toEqual([]);
  });

  it('lets two concurrent runs share a store, computing every task once', async () => {
    const store = tempStore();
    const args = ['run', slowPipelinePath, '--store', store, '--json', '--no-results', '-j', '2'];
    const [a, b] = await Promise.all([waitForExit(spawnCli(args)), waitForExit(spawnCli(args))]);
    expect([a.code, b.code]).toEqual([0, 0]);
    const done = [...jsonLines(a.stdout), ...jsonLines(b.stdout)].filter((e) => e.type === 'task-done').map((e) => (e as { task: string }).task);
    expect(done.sort()).toEqual([...new Set(done)].sort());
    expect(done).toHaveLength(13);
  });

  it('prints NDJSON events with the documented types and exits non-zero when a task failed', () => {
    const r = runCli(['run', tinyPipelinePath, '--store', tempStore(), '--json', '--no-results', '--set', 'noise.failOnSeed=1', '--executor', 'in-process']);
    expect(r.code).toBe(1);
    const types = new Set(jsonLines(r.stdout).map((e) => e.type));
    for (const t of ['plan', 'task-started', 'task-done', 'task-failed', 'task-skipped', 'summary']) expect(types.has(t as never)).toBe(true);
    expect(jsonLines(r.stdout).at(-1)).toMatchObject({ type: 'summary', computed: 6, failed: 2, skipped: 2, cached: 0 });
  });

  describe('bad input gives a one-line error naming the thing and the fix', () => {
    it.each([
      ['an unknown pipeline', ['run', 'no-such-pipeline'], /unknown pipeline "no-such-pipeline": not a built-in .* and no file at/],
      ['an unknown --set parameter', ['plan', tinyPipelinePath, '--set', 'noise.sizee=3'], /no parameter "sizee" \(parameters: seed, scale, size/],
      ['an ill-typed --set', ['plan', tinyPipelinePath, '--set', 'noise.size=big'], /noise\[seed=0,scale=1\]: parameter size="big"/],
      ['a --set without =', ['plan', tinyPipelinePath, '--set', 'noise.size'], /expected step.param=value/],
      ['an unknown profile', ['plan', tinyPipelinePath, '--profile', 'paper'], /has no profile "paper"/],
      ['an unknown backend', ['plan', tinyPipelinePath, '--backend', 'gpu9000'], /unknown backend "gpu9000"/],
    ])('%s', (_what, args, message) => {
      const r = runCli([...args, '--store', tempStore()]);
      expect(r.code).toBe(2);
      expect(r.stderr).toMatch(message);
      expect(r.stderr).not.toMatch(/at .*\.ts:\d+/); // no stack trace
    });

    it('a store directory that is not writable', () => {
      const dir = mkdtempSync(join(tmpdir(), 'ff-file-'));
      const file = join(dir, 'a-file');
      writeFileSync(file, 'x');
      const r = runCli(['run', tinyPipelinePath, '--store', join(file, 'store')]);
      expect(r.code).toBe(2);
      expect(r.stderr).toMatch(/store directory .* is not writable .*--store DIR/);
    });

    it('keeps what was computed when a later run is given bad input', () => {
      const store = tempStore();
      expect(runCli(['run', tinyPipelinePath, '--store', store, '--no-results', '--executor', 'in-process']).code).toBe(0);
      expect(runCli(['run', tinyPipelinePath, '--store', store, '--set', 'noise.scale=-1']).code).toBe(2);
      const plan = runCli(['plan', tinyPipelinePath, '--store', store]);
      expect(plan.stdout).toMatch(/10 tasks, 10 cached, 0 to compute/);
    });
  });

  it('plans with reasons and explains which key component changed, with old and new values', () => {
    const store = tempStore();
    runCli(['run', tinyPipelinePath, '--store', store, '--no-results', '--executor', 'in-process']);
    const plan = runCli(['plan', tinyPipelinePath, '--store', store, '--set', 'noise.size=150', '--json']);
    const entries = jsonLines(plan.stdout) as unknown as { type: string; task: string; status: string; reasons: string[] }[];
    expect(entries.find((e) => e.task === 'noise[seed=0,scale=1]')).toMatchObject({ status: 'compute', reasons: ['params changed'] });
    expect(entries.find((e) => e.task === 'summary[scale=1]')).toMatchObject({ status: 'compute', reasons: ['upstream to compute'] });
    const x = runCli(['explain', tinyPipelinePath, 'noise[seed=0,scale=1]', '--store', store, '--set', 'noise.size=150']);
    expect(x.stdout).toMatch(/params: size: 100 → 150/);
    const bad = runCli(['explain', tinyPipelinePath, 'noise[seed=99]', '--store', store]);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/no task "noise\[seed=99\]"; tasks of step noise: noise\[seed=0,scale=1\]/);
  });

  it('gc keeps what the latest run reaches and deletes the rest (dry run by default)', () => {
    const store = tempStore();
    runCli(['run', tinyPipelinePath, '--store', store, '--no-results', '--executor', 'in-process', '--set', 'noise.size=10']);
    runCli(['run', tinyPipelinePath, '--store', store, '--no-results', '--executor', 'in-process']);
    const dry = JSON.parse(runCli(['gc', '--store', store, '--json']).stdout);
    expect(dry).toMatchObject({ dryRun: true, objects: { deleted: 10 }, records: { deleted: 10 } });
    const real = JSON.parse(runCli(['gc', '--store', store, '--json', '--delete']).stdout);
    expect(real).toMatchObject({ dryRun: false, objects: { deleted: 10 }, records: { deleted: 10 } });
    expect(runCli(['plan', tinyPipelinePath, '--store', store]).stdout).toMatch(/10 cached, 0 to compute/);
    const verify = JSON.parse(runCli(['verify', '--store', store, '--json', '--recompute', '3']).stdout);
    expect(verify.corrupt).toEqual([]);
    expect(verify.recomputed).toHaveLength(3);
    expect(verify.recomputed.every((r: { same: boolean }) => r.same)).toBe(true);
  });
});
