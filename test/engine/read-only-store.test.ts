/**
 * Issue 13, point 6: a store that can be read but not written (an archive, a read-only mount, a
 * colleague's results) can still be inspected: plan, explain, export, verify and gc's dry run.
 */
import { describe, expect, it } from 'vitest';
import { mkdtempSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runCli, tempStore, tinyPipelinePath } from './helpers.ts';
import { readOnlyView } from './store/mounts.ts';

describe('a read-only store', () => {
  it('can be planned, explained, exported, verified and gc-dry-run', (ctx) => {
    const store = tempStore();
    expect(runCli(['run', tinyPipelinePath, '--store', store, '--no-results', '--executor', 'in-process']).code).toBe(0);
    const ro = readOnlyView(store);
    if (!ro.mounted) {
      console.warn(`skipped: a read-only store needs a read-only bind mount (run as root): ${ro.reason}`);
      ctx.skip();
    }
    try {
      const plan = runCli(['plan', tinyPipelinePath, '--store', ro.dir]);
      expect(plan.code, plan.stderr).toBe(0);
      expect(plan.stdout).toMatch(/10 tasks, 10 cached, 0 to compute/);
      const explain = runCli(['explain', tinyPipelinePath, 'summary[scale=1]', '--store', ro.dir]);
      expect(explain.code, explain.stderr).toBe(0);
      const out = mkdtempSync(join(tmpdir(), 'ff-ro-out-'));
      const exported = runCli(['export', tinyPipelinePath, '--store', ro.dir, '--out', out]);
      expect(exported.code, exported.stderr).toBe(0);
      expect(readdirSync(join(out, 'tiny', 'summary'))).toContain('summary.parquet');
      const verify = runCli(['verify', '--store', ro.dir]);
      expect(verify.code, verify.stdout + verify.stderr).toBe(0);
      expect(runCli(['gc', '--store', ro.dir]).code).toBe(0);
    } finally {
      ro.unmount();
    }
  });
});

describe('gc retention', () => {
  it("keeps the pipeline file's own sweep after an exploratory --set run, and lists what it would delete per step", () => {
    const store = tempStore();
    const run = (...args: string[]) => expect(runCli(['run', tinyPipelinePath, '--store', store, '--no-results', '--executor', 'in-process', ...args]).code).toBe(0);
    run();
    run('--set', 'noise.size=10');
    run('--set', 'noise.size=20');
    const dry = runCli(['gc', '--store', store, '--json']);
    const report = JSON.parse(dry.stdout) as { records: { deleted: number }; deletedByStep: Record<string, Record<string, number>> };
    // the size=10 exploration is gone; the default sweep and the latest run stay
    expect(report.records.deleted).toBe(10);
    expect(report.deletedByStep).toEqual({ tiny: { noise: 8, summary: 2 } });
    expect(runCli(['gc', '--store', store, '--delete']).code).toBe(0);
    const plan = runCli(['plan', tinyPipelinePath, '--store', store]);
    expect(plan.stdout).toMatch(/10 tasks, 10 cached, 0 to compute/);
  });
});
