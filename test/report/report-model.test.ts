/** The report's content, checked without a browser on the tiny pipeline (a 4 × 2 sweep gathered per scale). */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { tableFromArrays } from 'apache-arrow';
import { loadPipeline } from '../../engine/load.ts';
import { definePipeline } from '../../engine/pipeline.ts';
import { buildReportModel } from '../../engine/report/build-model.ts';
import { renderPage } from '../../engine/report/render-page.ts';
import { tableView, TableBudget } from '../../engine/report/table-view.ts';
import { Store } from '../../engine/store/store.ts';
import { UsageError } from '../../engine/cli/options.ts';
import { reportReferences as balancingReferences } from '../../nodes/balancing/report-references.ts';
import { runAll, runCli, summaryOf, tempStore, tinyPipelinePath } from '../engine/helpers.ts';

const settings = { overrides: new Map<string, unknown>() };

describe('featureflow report: the model of a run', () => {
  it('has one step view per step with its cell states, the outputs, and each output cell’s lineage', async () => {
    const store = tempStore();
    expect(summaryOf(await runAll(tinyPipelinePath, { store, executor: 'in-process' })).failed).toBe(0);
    const pipeline = await loadPipeline(tinyPipelinePath);
    const m = await buildReportModel(pipeline, await Store.open(store), settings);
    expect(m.steps.map((s) => [s.name, s.cells, s.counts.computed])).toEqual([['noise', 8, 8], ['summary', 2, 2]]);
    expect(m.steps[1]!.inputs).toEqual([{ from: 'noise', input: 'draws', gather: true }]);
    expect(m.outputs[0]!.cells.map((c) => c.task)).toEqual(['summary[scale=1]', 'summary[scale=2]']);
    // the scale=2 summary comes from the four scale=2 noise cells and itself, nothing else
    const behind = m.lineage['summary[scale=2]']!.map((i) => m.tasks[i]!);
    expect(behind.map((t) => t.name).sort()).toEqual(['noise[seed=0,scale=2]', 'noise[seed=1,scale=2]', 'noise[seed=2,scale=2]', 'noise[seed=3,scale=2]', 'summary[scale=2]']);
    expect(behind.find((t) => t.step === 'noise')!.params).toMatchObject({ scale: 2 });
    expect(behind.every((t) => typeof t.durationMs === 'number' && typeof t.host === 'string')).toBe(true);
    expect(m.run.request?.executor).toBe('in-process');
    expect(m.changes).toBeUndefined();
  });

  it('renders a page for a pipeline defined without a description (from JavaScript)', async () => {
    const store = tempStore();
    await runAll(tinyPipelinePath, { store, executor: 'in-process' });
    const pipeline = await loadPipeline(tinyPipelinePath);
    const undescribed = { ...pipeline, description: definePipeline({ name: 'x', module: import.meta.url } as unknown as Parameters<typeof definePipeline>[0]).description };
    const m = await buildReportModel(undescribed, await Store.open(store), settings);
    expect(m.pipeline.description).toBe('');
    expect(renderPage(m)).toContain('<div class="sub"></div>');
  });

  it('says what changed since the previous run: the params of the cells whose size changed', async () => {
    const store = tempStore();
    await runAll(tinyPipelinePath, { store, executor: 'in-process' });
    await runAll(tinyPipelinePath, { store, executor: 'in-process', overrides: { 'noise.size': 50 } });
    const pipeline = await loadPipeline(tinyPipelinePath);
    const m = await buildReportModel(pipeline, await Store.open(store), { overrides: new Map([['noise.size', 50]]) });
    expect(m.changes?.byComponent).toEqual({ params: 8, inputs: 2 });
    const noise = m.changes!.tasks.find((t) => t.task === 'noise[seed=0,scale=1]')!;
    expect(noise.details).toEqual(['params: size: 100 → 50']);
    // the default settings still name their own (older) run
    const older = await buildReportModel(pipeline, await Store.open(store), settings);
    expect(older.run.id).not.toBe(m.run.id);
  });

  it('refuses settings no run had, naming the runs there are and the fix', async () => {
    const store = tempStore();
    await runAll(tinyPipelinePath, { store, executor: 'in-process' });
    const pipeline = await loadPipeline(tinyPipelinePath);
    const ask = buildReportModel(pipeline, await Store.open(store), { overrides: new Map([['noise.size', 7]]) });
    await expect(ask).rejects.toThrow(UsageError);
    await expect(ask).rejects.toThrow(/no run of pipeline tiny with these settings .*--set 'noise\.size=7'.*name one with --run/);
    await expect(buildReportModel(pipeline, await Store.open(store), { ...settings, run: 'nope' })).rejects.toThrow(/no run "nope"/);
  });

  it('shows a table over the size limit in part and names the export command that writes it all', () => {
    const t = tableFromArrays({ x: Float64Array.from({ length: 1000 }, (_, i) => i / 7) });
    const v = tableView(t, new TableBudget(2000), 'featureflow export tiny --output summary --format csv');
    expect(v.totalRows).toBe(1000);
    expect(v.rows.length).toBeGreaterThan(10);
    expect(v.rows.length).toBeLessThan(200);
    expect(v.truncated).toEqual({ shown: v.rows.length, command: 'featureflow export tiny --output summary --format csv' });
    expect(decodeURIComponent(v.csvUri!.split(',').slice(1).join(',')).trim().split('\n')).toHaveLength(v.rows.length + 1);
    const whole = tableView(t, new TableBudget(5 * 1024 * 1024), 'x');
    expect(whole.truncated).toBeUndefined();
    expect(whole.rows).toHaveLength(1000);
  });

  it('renders a page with nothing to fetch: no src or href but data URIs and anchors', async () => {
    const store = tempStore();
    await runAll(tinyPipelinePath, { store, executor: 'in-process' });
    const html = renderPage(await buildReportModel(await loadPipeline(tinyPipelinePath), await Store.open(store), settings));
    const refs = [...html.matchAll(/\s(?:src|href)="([^"]*)"/g)].map((x) => x[1]!);
    expect(refs.every((r) => r.startsWith('data:'))).toBe(true);
    expect(html).not.toMatch(/<link|@import|url\((?!#)/);
    expect((html.match(/class="dag-step /g) ?? []).length).toBe(2);
  });

  it('`featureflow report` writes the page, and says how to get a run when there is none', () => {
    const store = tempStore();
    const out = join(store, 'page.html');
    const none = runCli(['report', tinyPipelinePath, '--store', store, '--out', out]);
    expect(none.code).toBe(2);
    expect(none.stderr).toMatch(/no run of pipeline tiny .*run `featureflow run tiny` first/);
    expect(runCli(['run', tinyPipelinePath, '--store', store, '--executor', 'in-process', '-q', '--no-results']).code).toBe(0);
    const ok = runCli(['report', tinyPipelinePath, '--store', store, '--out', out]);
    expect(ok.code).toBe(0);
    expect(existsSync(out)).toBe(true);
    expect(readFileSync(out, 'utf8')).toContain('summary[scale=2]');
  });

  it('puts the thesis’ Table 2 beside a balancing table, row by method', () => {
    const table = tableFromArrays({ dataset: ['Waterbirds', 'Waterbirds'], method: ['ERM', 'SUBG'], test_worst_group_mean: Float64Array.from([70, 88]), test_worst_group_std: Float64Array.from([1, 2]) });
    const [block] = balancingReferences(new Map([['table', [table]]]));
    expect(block!.columns).toEqual(['method', 'this run (Waterbirds)', 'thesis CelebA', 'thesis Waterbirds', 'thesis MultiNLI', 'thesis CivilComments']);
    expect(block!.rows[1]).toEqual(['SUBG', '88.0 ± 2.0', '85.6 ± 2.3', '89.1 ± 1.1', '68.9 ± 0.8', '71.8 ± 1.4']);
    expect(block!.note).toMatch(/Waterbirds/);
  });
});
