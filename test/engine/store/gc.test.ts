/**
 * gc never deletes what it cannot prove dead (issue 12, finding 3): unreadable run records make
 * --delete refuse and name them (it once deleted a whole store); an object named by a kept task
 * record is kept; --delete holds the store against runs; a dry run works on a read-only store.
 */
import { readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { collectGarbage, GcRefusedError } from '../../../engine/gc.ts';
import { listRunRecords } from '../../../engine/run-record.ts';
import { StoreBusyError } from '../../../engine/store/errors.ts';
import { Store } from '../../../engine/store/store.ts';
import { runAll, runCli, tempStore, tinyPipelinePath } from '../helpers.ts';
import { readOnlyView } from './mounts.ts';
import { spawnSync } from 'node:child_process';
import { BOOT_ID, HOST } from '../../../engine/store/lock-owner.ts';
import { cpSync } from 'node:fs';

let template: string;
beforeAll(async () => {
  template = tempStore();
  await runAll(tinyPipelinePath, { store: template, executor: 'in-process' });
});

function copyOfStore(): string {
  const dir = tempStore();
  cpSync(template, dir, { recursive: true });
  return dir;
}

function countFiles(dir: string): number {
  return readdirSync(dir, { recursive: true, withFileTypes: true }).filter((e) => e.isFile()).length;
}

describe('gc', () => {
  it('refuses --delete and names the run records it cannot read', async () => {
    const root = copyOfStore();
    const runsDir = join(root, 'runs', 'tiny');
    const runFile = readdirSync(runsDir)[0]!;
    writeFileSync(join(runsDir, runFile), '{ torn');
    const before = countFiles(join(root, 'objects'));
    const store = await Store.open(root, { durability: 'none' });
    const err = await collectGarbage(store, { dryRun: false }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(GcRefusedError);
    expect((err as Error).message).toContain(join(runsDir, runFile));
    expect(countFiles(join(root, 'objects'))).toBe(before);
    const dry = await collectGarbage(store, { dryRun: true });
    expect(dry.unreadableRuns).toEqual([join(runsDir, runFile)]);
  });

  it('refuses --delete when task records exist but no run record does', async () => {
    const root = copyOfStore();
    for (const f of readdirSync(join(root, 'runs', 'tiny'))) writeFileSync(join(root, 'runs', 'tiny', f), '');
    const cli = runCli(['gc', '--store', root, '--delete']);
    expect(cli.code).toBe(2);
    expect(cli.stderr).toMatch(/gc --delete refused/);
    expect(countFiles(join(root, 'tasks'))).toBeGreaterThan(0);
  });

  it('keeps the object a kept task record names even when the run record names another', async () => {
    const root = copyOfStore();
    const store = await Store.open(root, { durability: 'none' });
    const [run] = await listRunRecords(store);
    const task = run!.tasks.find((t) => t.step === 'noise')!;
    const other = run!.tasks.find((t) => t.step === 'noise' && t.output!.hash !== task.output!.hash)!;
    // the record (what a run reads) and the run record disagree: both objects must survive
    const rec = await store.readRecord(task.key!);
    if (!rec || rec === 'corrupt') throw new Error('fixture record missing');
    const runPath = join(root, 'runs', 'tiny', readdirSync(join(root, 'runs', 'tiny'))[0]!);
    const edited = { ...run!, tasks: run!.tasks.map((t) => (t.key === task.key ? { ...t, output: other.output } : t)) };
    writeFileSync(runPath, JSON.stringify(edited));
    const report = await collectGarbage(store, { dryRun: false });
    expect(report.objects.deleted).toBe(0);
    expect(await store.objectState(rec.output.hash)).toBe('ok');
  });

  it('--delete refuses while a run is in progress and a run waits while gc holds the store', async () => {
    const root = copyOfStore();
    const store = await Store.open(root, { durability: 'none' });
    const marker = await store.beginRun();
    const err = await collectGarbage(store, { dryRun: false }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(StoreBusyError);
    expect((err as Error).message).toMatch(/1 run\(s\) in progress/);
    await marker.end();
    expect((await collectGarbage(store, { dryRun: false })).dryRun).toBe(false);
  });

  it('--delete goes ahead past the marker of a run that died on this host, and removes it', async () => {
    const root = copyOfStore();
    const store = await Store.open(root, { durability: 'none' });
    const marker = await store.beginRun();
    await marker.end();
    const dead = spawnSync('true').pid!;
    const name = `run-0123.${dead}.x.${BOOT_ID ?? 'x'}.${HOST}`;
    writeFileSync(join(root, 'active', name), '');
    expect((await collectGarbage(store, { dryRun: false })).dryRun).toBe(false);
    expect(readdirSync(join(root, 'active'))).toEqual([]);
  });

  it('a run announced while gc --delete holds the store hears who holds it and waits', async () => {
    const root = copyOfStore();
    const { exclusiveStore } = await import('../../../engine/store/activity.ts');
    const gc = await exclusiveStore(root);
    const store = await Store.open(root, { durability: 'none' });
    const heard: unknown[] = [];
    let begun = false;
    const begin = store.beginRun({ onWait: (h) => heard.push(h) }).then((m) => ((begun = true), m));
    await new Promise((r) => setTimeout(r, 400));
    expect(begun).toBe(false);
    expect(heard).toEqual([expect.objectContaining({ pid: process.pid, state: 'live' })]);
    await gc.release();
    await (await begin).end();
    expect(readdirSync(join(root, 'active'))).toEqual([]);
  });

  it('a dry run works on a read-only store and writes nothing', async (ctx) => {
    const ro = readOnlyView(copyOfStore());
    if (!ro.mounted) {
      console.warn(`skipped: a read-only store needs a read-only bind mount (run as root): ${ro.reason}`);
      ctx.skip();
    }
    try {
      const files = countFiles(ro.dir);
      const cli = runCli(['gc', '--store', ro.dir, '--json']);
      expect(cli.code, cli.stderr).toBe(0);
      expect(JSON.parse(cli.stdout)).toMatchObject({ dryRun: true, objects: { deleted: 0 } });
      const store = await Store.open(ro.dir, { readOnly: true });
      await expect(store.writeJsonAtomic('x.json', {})).rejects.toThrow(/read-only/);
      expect(countFiles(ro.dir)).toBe(files);
    } finally {
      ro.unmount();
    }
  });
});
