/**
 * A store many hosts share (issue 17, point 1): processes posing as four hosts — one with its
 * clock five minutes ahead, cleaning temp files all the time — compute the same tasks on one
 * store directory while holders are SIGKILLed at random points. Every task ends with exactly
 * one good object and one valid record, no two processes ever hold a task's lock at once, and
 * nothing a killed process left behind survives a cleanup on its own host.
 */
import { existsSync, mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { sha256 } from '../../../engine/hash.ts';
import { tmpOwnerOf } from '../../../engine/store/atomic.ts';
import { Store } from '../../../engine/store/store.ts';
import { requireFaketime, spawnHost, type HostProcess } from './shared-procs.ts';

const TASKS = 24;
const taskKey = (i: number) => sha256(`shared-store test task ${i}`);
const taskBytes = (i: number) => new TextEncoder().encode(`output of task ${i}\n`.repeat(64));

const spawned: HostProcess[] = [];
afterEach(() => {
  for (const p of spawned.splice(0)) p.child.kill('SIGKILL');
});

/** A seeded generator: the kill schedule is the same on every run. */
function random(seed: number): () => number {
  let a = seed;
  return () => ((a = (a * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

function doneLines(harness: string): string[] {
  const log = join(harness, 'done.log');
  return existsSync(log) ? readFileSync(log, 'utf8').trim().split('\n').filter(Boolean) : [];
}

/** Wait (on events, not on the clock) until the log grows past `count` or every worker has exited. */
async function progressPast(harness: string, count: number, workers: readonly HostProcess[]): Promise<boolean> {
  for (;;) {
    if (doneLines(harness).length > count) return true;
    if (workers.every((w) => w.child.exitCode !== null || w.child.signalCode !== null)) return false;
    await sleep(20);
  }
}

function objectFiles(root: string): string[] {
  return readdirSync(join(root, 'objects')).flatMap((s) => readdirSync(join(root, 'objects', s)).map((f) => s + f));
}

describe('a store many hosts share', () => {
  it('every task committed once, never two holders, nothing lost, while holders are killed and one host runs 5 min ahead', { timeout: 120_000 }, async () => {
    requireFaketime();
    const dir = mkdtempSync(join(tmpdir(), 'ff-shared-'));
    const root = join(dir, 'store');
    const harness = join(dir, 'harness');
    const rand = random(17);
    const workers: HostProcess[] = [];
    const work = (host: string, seed: number, skew?: string) => {
      const p = spawnHost(host, ['work', root, harness, String(TASKS), String(seed)], skew ? { skew, env: { SHARED_TEST_SWEEP: '1' } } : {});
      spawned.push(p);
      workers.push(p);
      return p;
    };
    work('alpha', 1);
    work('beta', 2);
    work('gamma', 3, '+5m');
    work('delta', 4);

    // three kills, each after the run made progress: the first victim's host never comes back
    // (other hosts take its locks over by watching its heartbeat), the others restart at once
    // (their successor judges the dead pid exactly)
    const killed: { host: string; id: string }[] = [];
    for (const [round, victimHost] of ['alpha', 'beta', 'delta'].entries()) {
      if (!(await progressPast(harness, 2 + round * 4, workers))) break;
      await sleep(rand() * 120);
      const victim = workers.find((w) => w.host === victimHost && w.child.exitCode === null && w.child.signalCode === null);
      if (!victim) continue;
      const { id } = JSON.parse(await victim.firstLine) as { id: string };
      victim.child.kill('SIGKILL');
      await victim.exited;
      killed.push({ host: victimHost, id });
      if (round > 0) work(victimHost, 10 + round);
    }

    const results = await Promise.all(workers.map((w) => w.exited));
    const takeovers = existsSync(join(harness, 'takeovers.log')) ? readFileSync(join(harness, 'takeovers.log'), 'utf8').trim().split('\n') : [];
    console.log(`${killed.length} holders killed, ${takeovers.length} tasks taken over from them:\n${takeovers.join('\n')}`);
    for (const r of results) {
      expect(r.out).not.toMatch(/TWO HOLDERS/);
      if (r.signal !== 'SIGKILL') expect(r, r.out).toMatchObject({ code: 0 });
    }

    // every task: one valid record naming the right bytes, and its object whole
    const store = await Store.open(root, { durability: 'none' });
    for (let i = 0; i < TASKS; i++) {
      const r = await store.inspectRecord(taskKey(i));
      expect(r.state, `task ${i}`).toBe('ok');
      if (r.state !== 'ok') continue;
      expect(r.record.output.hash).toBe(sha256(taskBytes(i)));
      expect(await store.getObject(r.record.output.hash)).toEqual(taskBytes(i));
    }
    expect(objectFiles(root).sort()).toEqual(Array.from({ length: TASKS }, (_, i) => sha256(taskBytes(i))).sort());
    // computed to its record at most once per task (a holder killed after its record leaves none)
    const lines = doneLines(harness).map((l) => l.split(' ')[0]);
    expect(new Set(lines).size).toBe(lines.length);
    expect(lines.length).toBeGreaterThanOrEqual(TASKS - killed.length);

    // what is left in tmp/ and locks/ was left by the killed: a cleanup on their own host removes it
    const killedIds = new Set(killed.map((k) => k.id));
    for (const f of readdirSync(join(root, 'tmp'))) expect(killedIds.has(tmpOwnerOf(f) ?? ''), f).toBe(true);
    for (const k of killed) {
      const sweep = spawnHost(k.host, ['sweep', root]);
      spawned.push(sweep);
      expect((await sweep.exited).code).toBe(0);
    }
    expect(readdirSync(join(root, 'tmp'))).toEqual([]);
    expect(readdirSync(join(root, 'locks')).filter((f) => f.endsWith('.owner') || f.endsWith('.claim'))).toEqual([]);
    for (const id of killedIds) expect(readdirSync(join(root, 'processes'))).not.toContain(id);
  });
});
