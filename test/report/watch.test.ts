/** `featureflow run --watch`: a run, a save, a rerun of only what the save reached, Ctrl-C. */
import { spawn } from 'node:child_process';
import { readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { listRunRecords } from '../../engine/run-record.ts';
import { Store } from '../../engine/store/store.ts';
import { cli, tempStore } from '../engine/helpers.ts';
import { LIVE_OTHERS, otherNodeSource, writeLiveProject } from './live-project.ts';

describe('featureflow run --watch', () => {
  it('reruns on a save, recomputing only the edited node’s cells, and ends on Ctrl-C with 130', async () => {
    const project = writeLiveProject(0);
    const store = tempStore();
    const child = spawn(process.execPath, [cli, 'run', project.pipeline, '--watch', '--store', store, '--executor', 'in-process', '--no-results'], { cwd: project.dir, stdio: ['ignore', 'pipe', 'pipe'] });
    let stderr = '';
    const waitFor = (re: RegExp, count: number) =>
      new Promise<void>((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`never saw ${re} ${count} times:\n${stderr}`)), 90_000);
        const check = () => {
          if ((stderr.match(new RegExp(re, 'g')) ?? []).length >= count) {
            clearTimeout(timer);
            resolve();
          }
        };
        child.stderr.on('data', check);
        check();
      });
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    const exited = new Promise<number | null>((r) => child.on('exit', (code) => r(code)));
    try {
      await waitFor(/run complete; watching for changes/, 1);
      writeFileSync(project.otherFile, otherNodeSource(5));
      await waitFor(/run complete; watching for changes/, 2);
    } finally {
      child.kill('SIGINT');
    }
    expect(await exited).toBe(130);
    expect(stderr).toMatch(/changed: other\.ts: rerunning/);
    const [latest, first] = await listRunRecords(await Store.open(store), 'live-test');
    expect(first!.tasks.every((t) => t.status === 'computed')).toBe(true);
    expect(latest!.tasks.filter((t) => t.status === 'computed').map((t) => t.task)).toEqual(Array.from({ length: LIVE_OTHERS }, (_, k) => `other[k=${k}]`));
    expect(readdirSync(join(store, 'tmp'))).toEqual([]);
  }, 120_000);
});
