/**
 * Task locks (issue 12, finding 6): the lock file is a whole owner record with a unique token; a
 * waiter learns who holds it; a lock whose pid now belongs to another process (a reused pid), a
 * dead pid or an unreadable file is taken over; takeover and release never leave two holders.
 */
import { spawn, spawnSync } from 'node:child_process';
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { tryLock } from '../../../engine/store/locks.ts';
import { BOOT_ID, HOST, processStart } from '../../../engine/store/lock-owner.ts';
import { PROCESS_ID, SPACE } from '../../../engine/store/process-identity.ts';
import { projectRoot } from '../../../engine/project.ts';
import { tempStore } from '../helpers.ts';

function locksDir(): string {
  const dir = join(tempStore(), 'locks');
  mkdirSync(dir);
  return dir;
}

function ownerRecord(pid: number, pidStart: number | null, token = 'planted') {
  return JSON.stringify({ format: 'featureflow-lock/1', token, host: HOST, bootId: BOOT_ID, pid, pidStart, since: '2026-01-01T00:00:00.000Z' });
}

const children: ReturnType<typeof spawn>[] = [];
afterEach(() => {
  for (const c of children.splice(0)) c.kill('SIGKILL');
});

function liveChild(): number {
  const c = spawn('sleep', ['60'], { stdio: 'ignore' });
  children.push(c);
  return c.pid!;
}

function deadPid(): number {
  return spawnSync('true').pid!;
}

async function acquireWithin(path: string, ms: number) {
  const until = performance.now() + ms;
  for (;;) {
    const a = await tryLock(path);
    if (a.held || performance.now() > until) return a;
    await new Promise((r) => setTimeout(r, 50));
  }
}

describe('tryLock', () => {
  it('writes a whole owner record (token, host, boot id, pid, pid start) and tells a second caller who holds it', async () => {
    const path = join(locksDir(), 'k.lock');
    const first = await tryLock(path);
    expect(first.held).toBeDefined();
    const owner = JSON.parse(readFileSync(path, 'utf8'));
    expect(owner).toMatchObject({ format: 'featureflow-lock/2', token: first.held!.token, process: PROCESS_ID, space: SPACE, host: HOST, pid: process.pid, bootId: BOOT_ID });
    expect(owner.pidStart).toBe(processStart(process.pid));
    const second = await tryLock(path);
    expect(second.held).toBeUndefined();
    expect(second.holder).toEqual({ host: HOST, pid: process.pid, since: owner.since, state: 'live' });
    await first.held!.release();
    expect(readdirSync(join(path, '..'))).toEqual([]);
  });

  it('waits for a live process on this host', async () => {
    const path = join(locksDir(), 'k.lock');
    const pid = liveChild();
    await new Promise((r) => setTimeout(r, 50));
    writeFileSync(path, ownerRecord(pid, processStart(pid)));
    const a = await tryLock(path);
    expect(a.held).toBeUndefined();
    expect(a.holder).toMatchObject({ pid, state: 'live' });
  });

  it('takes over a lock whose pid now belongs to another process (a reused pid)', async () => {
    const path = join(locksDir(), 'k.lock');
    const pid = liveChild();
    await new Promise((r) => setTimeout(r, 50));
    // the recorded start time is not the running process's: the lock's owner was an earlier process
    writeFileSync(path, ownerRecord(pid, processStart(pid)! - 1));
    const a = await tryLock(path);
    expect(a.held).toBeDefined();
    await a.held!.release();
  });

  it('takes over a dead pid at once, and an empty or garbage lock after a short grace', async () => {
    const dir = locksDir();
    writeFileSync(join(dir, 'dead.lock'), ownerRecord(deadPid(), null));
    expect((await tryLock(join(dir, 'dead.lock'))).held).toBeDefined();
    for (const junk of ['', '{"pid": 12', 'not a lock']) {
      const path = join(dir, `junk-${junk.length}.lock`);
      writeFileSync(path, junk);
      const first = await tryLock(path);
      expect(first.holder).toMatchObject({ state: 'unknown' });
      // bounded far below the old 31 s wait; the grace itself is not asserted
      expect((await acquireWithin(path, 15_000)).held).toBeDefined();
    }
  });

  it('judges a lock of the previous format ({pid, host, startedAt}) by its pid', async () => {
    const dir = locksDir();
    const pid = liveChild();
    writeFileSync(join(dir, 'live.lock'), JSON.stringify({ pid, host: HOST, startedAt: '2026-01-01T00:00:00.000Z' }));
    expect((await tryLock(join(dir, 'live.lock'))).holder).toEqual({ host: HOST, pid, since: '2026-01-01T00:00:00.000Z', state: 'live' });
    writeFileSync(join(dir, 'dead.lock'), JSON.stringify({ pid: deadPid(), host: HOST, startedAt: '2026-01-01T00:00:00.000Z' }));
    expect((await tryLock(join(dir, 'dead.lock'))).held).toBeDefined();
  });

  it('leaves no lock, claim or owner file behind after concurrent takeovers and releases', async () => {
    const dir = locksDir();
    const path = join(dir, 'k.lock');
    writeFileSync(path, ownerRecord(deadPid(), null));
    const attempts = await Promise.all(Array.from({ length: 8 }, () => tryLock(path)));
    expect(attempts.filter((a) => a.held)).toHaveLength(1);
    await Promise.all(attempts.map((a) => a.held?.release()));
    expect(readdirSync(dir)).toEqual([]);
  });

  it('never has two holders when processes race to take over dead and garbage locks', { timeout: 120_000 }, async () => {
    const dir = locksDir();
    const script = join(projectRoot, 'test/fixtures/lock-contender.ts');
    const procs = Array.from({ length: 4 }, (_, i) =>
      spawn(process.execPath, ['--import', 'tsx', script, dir, String(i), String(deadPid())], { cwd: projectRoot, stdio: ['ignore', 'pipe', 'pipe'] }),
    );
    const outs = await Promise.all(
      procs.map(
        (p) =>
          new Promise<{ code: number | null; out: string }>((resolve) => {
            let out = '';
            p.stdout!.on('data', (d) => (out += d));
            p.stderr!.on('data', (d) => (out += d));
            p.on('close', (code) => resolve({ code, out }));
          }),
      ),
    );
    for (const o of outs) expect(o, o.out).toMatchObject({ code: 0 });
    const held = outs.reduce((n, o) => n + Number(/held (\d+)/.exec(o.out)?.[1] ?? 0), 0);
    expect(held).toBeGreaterThan(0);
    // only an abandoned lock a contender planted last may remain: no claim, owner file or live lock
    const left = readdirSync(dir);
    expect(left.filter((f) => f !== 'k.lock')).toEqual([]);
    if (left.includes('k.lock')) expect(readFileSync(join(dir, 'k.lock'), 'utf8')).toMatch(/garbage|"token":"dead-/);
  });
});
