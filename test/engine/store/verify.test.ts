/**
 * verify checks everything plan checks (issue 12, finding 5): a deleted object and a garbage
 * record make it exit nonzero naming each (it printed "all good"); a record rewritten to name
 * another task's output is caught by its seal, and — even when re-sealed — by its lineage; a
 * record naming an object of another kind is inconsistent; a run recomputes such a record
 * instead of serving it.
 */
import { cpSync, mkdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { beforeAll, describe, expect, it } from 'vitest';
import { checkCache } from '../../../engine/cache.ts';
import { sealRecord } from '../../../engine/store/record-seal.ts';
import type { TaskRecord } from '../../../engine/store/records.ts';
import { Store } from '../../../engine/store/store.ts';
import { verifyFailed, verifyStore } from '../../../engine/verify.ts';
import { join } from 'node:path';
import { ofType, runAll, runCli, tempStore, tinyPipelinePath } from '../helpers.ts';

let template: string;
beforeAll(async () => {
  template = tempStore();
  await runAll(tinyPipelinePath, { store: template, executor: 'in-process' });
});

async function copyOfStore(): Promise<Store> {
  const dir = tempStore();
  cpSync(template, dir, { recursive: true });
  return Store.open(dir, { durability: 'none' });
}

async function recordsByTask(store: Store): Promise<Map<string, TaskRecord>> {
  const out = new Map<string, TaskRecord>();
  for await (const k of store.allRecordKeys()) {
    const r = await store.readRecord(k);
    if (r && r !== 'corrupt') out.set(r.task, r);
  }
  return out;
}

function rewrite(store: Store, record: TaskRecord, change: Partial<TaskRecord>, reseal: boolean): void {
  const { integrity, ...rest } = record;
  const edited = { ...rest, ...change, ...(reseal ? {} : { integrity }) } as TaskRecord;
  writeFileSync(store.recordPath(record.key), JSON.stringify(reseal ? sealRecord(edited) : edited, null, 1));
}

describe('verify', () => {
  it('is clean on an undamaged store', async () => {
    const r = await verifyStore(await copyOfStore());
    expect(r.recordProblems).toEqual([]);
    expect(r.records).toBe(10);
  });

  it('exits nonzero naming a deleted object and a garbage record', async () => {
    const store = await copyOfStore();
    const recs = await recordsByTask(store);
    const gone = recs.get('noise[seed=2,scale=1]')!;
    const garbled = recs.get('noise[seed=3,scale=2]')!;
    rmSync(store.objectPath(gone.output.hash));
    writeFileSync(store.recordPath(garbled.key), 'garbage');
    const cli = runCli(['verify', '--store', store.root]);
    expect(cli.code).toBe(1);
    expect(cli.stdout).toContain(`${gone.key.slice(0, 16)}… (noise[seed=2,scale=1]): its output object ${gone.output.hash.slice(0, 12)}… is missing`);
    expect(cli.stdout).toContain(`${garbled.key.slice(0, 16)}…: task record is unreadable: it is not JSON`);
  });

  it("catches a record rewritten to name another task's output, by its seal and, re-sealed, by its lineage", async () => {
    for (const reseal of [false, true]) {
      const store = await copyOfStore();
      const recs = await recordsByTask(store);
      const victim = recs.get('noise[seed=0,scale=1]')!;
      const other = recs.get('noise[seed=1,scale=1]')!;
      rewrite(store, victim, { output: other.output }, reseal);
      const r = await verifyStore(store);
      const problems = r.recordProblems.map((p) => `${p.task ?? p.key}: ${p.problem}`);
      if (!reseal) expect(problems).toContain(`${victim.key}: task record is unreadable: it was changed after it was written (its seal does not match)`);
      if (!reseal) {
        // a tool that rebuilds the record and drops the seal is caught as well
        const { integrity: _, ...unsealed } = { ...victim, output: other.output };
        writeFileSync(store.recordPath(victim.key), JSON.stringify(unsealed));
        expect((await store.inspectRecord(victim.key)).state).toBe('corrupt');
      }
      // the summary that read the victim's real output now has an input no record produced
      expect(problems.some((p) => p.startsWith('summary[scale=1]: its input "draws"') && p.includes('is the output of no task record'))).toBe(true);
    }
  });

  it('flags a record whose object is of another kind than its node declares, and the cache will not serve it', async () => {
    const store = await copyOfStore();
    const recs = await recordsByTask(store);
    const table = recs.get('noise[seed=0,scale=1]')!;
    const json = recs.get('summary[scale=1]')!;
    rewrite(store, table, { output: { ...json.output, kind: 'table' } }, true);
    const r = await verifyStore(store);
    expect(r.recordProblems.find((p) => p.key === table.key)?.problem).toMatch(/is not an Arrow IPC file/);
    rewrite(store, table, { output: json.output }, true);
    expect(await checkCache(store, table.key, { kind: 'table' })).toMatchObject({ state: 'record-inconsistent', problems: ['its output is a json but the node declares a table'] });
    const again = await verifyStore(store);
    expect(again.recordProblems.find((p) => p.key === table.key)?.problem).toBe('its output is a json but the node declares a table');
  });

  it('names a directory and a symlink loop where an object or a record belongs (it printed "unexpected error")', async () => {
    const store = await copyOfStore();
    const recs = await recordsByTask(store);
    const dirObject = recs.get('noise[seed=1,scale=2]')!;
    const loopRecord = recs.get('noise[seed=2,scale=2]')!;
    rmSync(store.objectPath(dirObject.output.hash));
    mkdirSync(store.objectPath(dirObject.output.hash));
    rmSync(store.recordPath(loopRecord.key));
    symlinkSync(store.recordPath(loopRecord.key), store.recordPath(loopRecord.key));
    const cli = runCli(['verify', '--store', store.root]);
    expect(cli.stderr).not.toMatch(/unexpected error/);
    expect(cli.code).toBe(1);
    expect(cli.stdout).toContain(`  ${dirObject.output.hash}`);
    expect(cli.stdout).toContain(`(noise[seed=1,scale=2]): its output object ${dirObject.output.hash.slice(0, 12)}… is corrupt`);
    expect(cli.stdout).toContain(`${loopRecord.key.slice(0, 16)}…: task record is unreadable: its path is not a file (ELOOP)`);
    const plan = runCli(['plan', tinyPipelinePath, '--store', store.root]);
    expect(plan.stderr).not.toMatch(/unexpected error/);
    expect(plan.code).toBe(0);
  });

  it('names a store directory it cannot list instead of calling what it holds good', async () => {
    const store = await copyOfStore();
    const shard = join(store.root, 'objects', 'ff');
    rmSync(shard, { recursive: true });
    writeFileSync(shard, 'not a directory');
    const r = await verifyStore(store);
    expect(r.unreadable).toEqual([`${shard} (ENOTDIR)`]);
    expect(verifyFailed(r)).toBe(true);
  });

  it('a run recomputes a record changed after it was written instead of serving its output', async () => {
    const store = await copyOfStore();
    const recs = await recordsByTask(store);
    const victim = recs.get('noise[seed=0,scale=1]')!;
    const other = recs.get('noise[seed=1,scale=1]')!;
    rewrite(store, victim, { output: other.output }, false);
    const events = await runAll(tinyPipelinePath, { store, executor: 'in-process' });
    expect(ofType(events, 'task-done').map((e) => e.task)).toEqual(['noise[seed=0,scale=1]']);
    expect(ofType(events, 'task-done')[0]!.output).toBe(victim.output.hash);
    const fixed = JSON.parse(readFileSync(store.recordPath(victim.key), 'utf8')) as TaskRecord;
    expect(fixed.output.hash).toBe(victim.output.hash);
  });
});
