/**
 * The browser check of one study's report: run it small (in-process), build the page, open it in
 * chromium, and check what a reader relies on. The screenshot goes to test-output/ for review.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect } from 'vitest';
import { loadPipeline } from '../../engine/load.ts';
import { buildReportModel } from '../../engine/report/build-model.ts';
import { renderPage } from '../../engine/report/render-page.ts';
import { Store } from '../../engine/store/store.ts';
import { runAll, summaryOf, tempStore } from '../engine/helpers.ts';
import { launch, openWatched, screenshotPath } from './browser.ts';
import type { StudySize } from './study-sizes.ts';

/** What the page's lineage panel prints for a task's params (page-script.ts's paramsText). */
function paramsText(p: unknown): string {
  if (p === null || typeof p !== 'object') return p === undefined ? '' : JSON.stringify(p);
  return Object.entries(p as Record<string, unknown>).map(([k, v]) => `${k}=${typeof v === 'string' ? v : JSON.stringify(v)}`).join(', ');
}

export async function checkStudyReport(name: string, size: StudySize): Promise<void> {
  const { overrides, profile } = size;
  const store = tempStore();
  const executor = size.executor ?? 'threads';
  const summary = summaryOf(await runAll(name, { store, executor, ...(executor === 'threads' ? { concurrency: 2 } : {}), overrides, ...(profile ? { profile } : {}) }));
  expect(summary.failed).toBe(0);
  const pipeline = await loadPipeline(name);
  const model = await buildReportModel(pipeline, await Store.open(store), { overrides: new Map(Object.entries(overrides)), ...(profile ? { profile } : {}) });
  const file = join(store, `${name}.html`);
  writeFileSync(file, renderPage(model));

  const browser = await launch();
  try {
    const w = await openWatched(browser);
    await w.page.goto(`file://${file}`, { waitUntil: 'load' });
    // one DAG box per step
    expect(await w.page.locator('svg.dag .dag-step').count()).toBe(pipeline.steps.size);
    // every figure drawn at a non-zero size
    const figures = await w.page.locator('img.ff-svg').evaluateAll((imgs) => imgs.map((i) => {
      const img = i as HTMLImageElement;
      const r = img.getBoundingClientRect();
      return { w: img.naturalWidth, h: img.naturalHeight, bw: r.width, bh: r.height, done: img.complete };
    }));
    const expectedFigures = model.outputs.flatMap((o) => o.cells).filter((c) => c.figure).length;
    expect(figures.length).toBe(expectedFigures);
    for (const f of figures) expect(f.done && f.w > 0 && f.h > 0 && f.bw > 0 && f.bh > 0).toBe(true);

    // a click on a figure (or, with none, an output's lineage button) lists the params of the tasks behind it
    const target = expectedFigures > 0 ? w.page.locator('.ff-figure').last() : w.page.locator('.lineage-link').last();
    const task = (await target.getAttribute('data-task'))!;
    await target.click();
    await w.page.locator('#lineage.open').waitFor();
    const behind = model.lineage[task]!.map((i) => model.tasks[i]!);
    const own = behind.find((t) => t.name === task)!;
    const shown = await w.page.locator(`#lineage table.lineage-table[data-step="${own.step}"] td.params`).allTextContents();
    expect(shown).toEqual(behind.filter((t) => t.step === own.step).slice(0, 200).map((t) => paramsText(t.params)));
    expect(await w.page.locator('#lineage table.lineage-table').count()).toBe(new Set(behind.map((t) => t.step)).size);

    await w.page.screenshot({ path: screenshotPath(name), fullPage: true });
    expect(w.consoleErrors).toEqual([]);
    expect(w.networkRequests).toEqual([]);
  } finally {
    await browser.close();
  }
}
