/**
 * The live view end to end: `featureflow serve --watch` on a temporary project, the page in
 * chromium. The gathered figure is drawn partially while the sweep runs, then whole; an edit of
 * one node file reruns, and only that node's cells recompute; Ctrl-C ends cleanly.
 */
import { spawn } from 'node:child_process';
import { readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { listRunRecords } from '../../engine/run-record.ts';
import { Store } from '../../engine/store/store.ts';
import { cli, tempStore } from '../engine/helpers.ts';
import { browserAvailable, launch, openWatched, screenshotPath } from './browser.ts';
import { LIVE_DRAWS, LIVE_OTHERS, otherNodeSource, writeLiveProject } from './live-project.ts';

interface PageState {
  status: string | null;
  run: string | null;
  figures: number;
  partial: string | null;
  /** the finished run's report (not the plan's page) */
  final: boolean;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe.skipIf(!browserAvailable)('featureflow serve --watch in chromium', () => {
  it('redraws a gather from the cells done so far, then whole; a saved node file recomputes only its cells; Ctrl-C ends cleanly', async () => {
    const project = writeLiveProject(900);
    const store = tempStore();
    const serve = spawn(process.execPath, [cli, 'serve', project.pipeline, '--port', '0', '--watch', '--store', store, '-j', '1', '--no-results'], {
      cwd: project.dir,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stderr = '';
    serve.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    const exited = new Promise<number | null>((r) => serve.on('exit', (code) => r(code)));
    const url = await new Promise<string>((resolve, reject) => {
      let out = '';
      serve.stdout.on('data', (d: Buffer) => {
        out += d.toString();
        const m = /http:\/\/127\.0\.0\.1:\d+\//.exec(out);
        if (m) resolve(m[0]);
      });
      setTimeout(() => reject(new Error(`serve printed no URL: ${stderr}`)), 60_000);
    });

    const browser = await launch();
    try {
      const w = await openWatched(browser, url.slice(0, -1));
      await w.page.goto(url);
      const read = async (): Promise<PageState | undefined> =>
        w.page
          .evaluate(() => ({
            status: document.body.getAttribute('data-run-status'),
            run: document.body.getAttribute('data-run-count'),
            figures: document.querySelectorAll('#out-scatter img.ff-svg').length,
            partial: document.querySelector('#out-scatter .partial')?.textContent ?? null,
            final: document.body.getAttribute('data-final') === 'true',
          }))
          .catch(() => undefined); // the page reloads when a run starts or ends
      const seen: PageState[] = [];
      const until = async (done: (s: PageState) => boolean, what: string) => {
        for (const end = Date.now() + 90_000; Date.now() < end; await sleep(100)) {
          const s = await read();
          if (s) seen.push(s);
          if (s && done(s)) return s;
        }
        throw new Error(`the page never showed ${what}; seen: ${JSON.stringify(seen.slice(-5))}\n${stderr}`);
      };

      // while the sweep runs: the figure drawn from some of its cells, marked partial
      const partial = await until((s) => s.partial !== null, 'a partial figure');
      const [done, of] = /partial: (\d+) of (\d+) cells/.exec(partial.partial!)!.slice(1).map(Number);
      expect(of).toBe(LIVE_DRAWS);
      expect(done).toBeGreaterThan(0);
      expect(done).toBeLessThan(LIVE_DRAWS);
      expect(partial.figures).toBe(1);
      await w.page.screenshot({ path: screenshotPath('live-serve-partial'), fullPage: true }).catch(() => undefined); // it may be reloading
      // at the end: the whole figure, not partial, from the store
      const final = await until((s) => s.final && s.status === 'completed' && s.run === '1' && s.figures === 1 && s.partial === null, 'the finished run');
      expect(final.figures).toBe(1);
      await w.page.screenshot({ path: screenshotPath('live-serve'), fullPage: true });

      // an edit of the other node's file: a second run, in which only that node's cells recompute
      writeFileSync(project.otherFile, otherNodeSource(10));
      await until((s) => s.final && s.status === 'completed' && s.run === '2', 'the rerun after the edit');
      const [latest] = await listRunRecords(await Store.open(store), 'live-test');
      const computed = latest!.tasks.filter((t) => t.status === 'computed').map((t) => t.task).sort();
      expect(computed).toEqual(Array.from({ length: LIVE_OTHERS }, (_, k) => `other[k=${k}]`));
      expect(latest!.tasks.filter((t) => t.status === 'cached')).toHaveLength(LIVE_DRAWS + 1);
      expect(await w.page.locator('#out-others .ff-json').allTextContents()).toEqual(Array.from({ length: LIVE_OTHERS }, (_, k) => String(k + 10)));
      expect(w.consoleErrors).toEqual([]);
      expect(w.networkRequests).toEqual([]);
    } finally {
      await browser.close();
      serve.kill('SIGINT');
    }
    expect(await exited).toBe(130);
    expect(readdirSync(join(store, 'tmp'))).toEqual([]);
  }, 240_000);
});
