/**
 * One process of the shared-store tests, posing as the host named in FEATUREFLOW_TEST_HOST_ID.
 *
 *   work  STORE HARNESS N SEED   compute tasks 0..N-1 under their locks until every one has a record
 *   hold  STORE KEY BLOCK_MS     take KEY's lock, block the main thread BLOCK_MS, then hold it until killed
 *   judge STORE KEY MAX_MS       try KEY's lock every 25 ms for up to MAX_MS; print {"held":…,"waitedMs":…}
 *   open  STORE                  open the store; print its id
 *   sweep STORE                  remove orphaned temp files (Store.cleanTmp); print how many
 *
 * In `work`, a holder proves it is alone by creating HARNESS/inside/<key> exclusively with its
 * pid: if the file is there and its pid is alive, two holders are inside at once (exit 3).
 * HARNESS/done.log gets one line per task computed to its record, HARNESS/takeovers.log one per
 * task taken over from a killed holder.
 */
import { appendFileSync, mkdirSync, readFileSync, unlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { sha256 } from '../../../engine/hash.ts';
import { PROCESS_ID, HOST } from '../../../engine/store/process-identity.ts';
import type { TaskRecord } from '../../../engine/store/records.ts';
import { Store } from '../../../engine/store/store.ts';

const [mode, root, ...args] = process.argv.slice(2) as [string, string, ...string[]];
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

function taskKey(i: number): string {
  return sha256(`shared-store test task ${i}`);
}

function taskBytes(i: number): Uint8Array {
  return new TextEncoder().encode(`output of task ${i}\n`.repeat(64));
}

function recordFor(key: string, hash: string, bytes: number): TaskRecord {
  return {
    format: 'featureflow-task-record/1', key, task: `t-${key.slice(0, 6)}`, pipeline: 'shared', step: 's',
    components: { domain: 'd', node: 'n', version: '1', code: 'c', deps: {}, params: '{}', inputs: {}, backends: {} } as unknown as TaskRecord['components'],
    params: {}, inputCells: {}, output: { kind: 'json', hash, bytes },
    timing: { startedAt: new Date().toISOString(), durationMs: 1 }, host: HOST, pid: process.pid, versions: { node: process.version, featureflow: 'test' },
  };
}

/** A seeded generator (mulberry32): each host visits the tasks in its own order. */
function random(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function alive(pid: number): boolean {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3) !== 'Z';
  } catch {
    return false;
  }
}

function enter(harness: string, key: string): void {
  const path = join(harness, 'inside', key);
  for (;;) {
    try {
      writeFileSync(path, String(process.pid), { flag: 'wx' });
      return;
    } catch {
      const other = Number(readFileSync(path, 'utf8'));
      if (other && alive(other)) {
        console.error(`TWO HOLDERS of ${key.slice(0, 12)}: ${process.pid} (${HOST}) while ${other} is inside`);
        process.exit(3);
      }
      appendFileSync(join(harness, 'takeovers.log'), `${key} ${HOST} from ${other}\n`);
      unlinkSync(path); // a holder killed inside: it is dead, the lock was rightly taken over
    }
  }
}

async function work(harness: string, n: number, seed: number): Promise<void> {
  const store = await Store.open(root, { durability: 'none' });
  // after the open: a process killed from here on is registered in the store
  console.log(JSON.stringify({ id: PROCESS_ID, pid: process.pid, host: HOST }));
  mkdirSync(join(harness, 'inside'), { recursive: true });
  const rand = random(seed);
  const keys = Array.from({ length: n }, (_, i) => i).sort(() => rand() - 0.5);
  const recorded = async (i: number) => (await store.inspectRecord(taskKey(i))).state === 'ok';
  const computeUnderLock = async (i: number): Promise<boolean> => {
    const key = taskKey(i);
    const attempt = await store.tryLock(key);
    if (!attempt.held) return false;
    try {
      if (await recorded(i)) return true; // another host finished it while we waited
      enter(harness, key);
      await sleep(20 + rand() * 60);
      const bytes = taskBytes(i);
      const staged = await store.stageObject(bytes);
      await sleep(rand() * 10);
      if (staged.tmp) await store.commitObject(staged.hash, staged.tmp);
      await sleep(rand() * 10);
      await store.writeRecord(recordFor(key, staged.hash, bytes.byteLength));
      appendFileSync(join(harness, 'done.log'), `${key} ${HOST} ${process.pid}\n`);
      unlinkSync(join(harness, 'inside', key));
    } finally {
      await attempt.held.release();
    }
    return true;
  };
  const loop = async () => {
    for (;;) {
      const pending = [];
      for (const i of keys) if (!(await recorded(i))) pending.push(i);
      if (pending.length === 0) return;
      let progressed = false;
      for (const i of pending) progressed = (await computeUnderLock(i)) || progressed;
      // a host with a skewed clock cleans temp files all the time: it must never remove a live one
      if (process.env.SHARED_TEST_SWEEP) await store.cleanTmp();
      if (!progressed) await sleep(25);
    }
  };
  await Promise.all([loop(), loop()]);
}

async function hold(key: string, blockMs: number): Promise<void> {
  const store = await Store.open(root, { durability: 'none' });
  const attempt = await store.tryLock(key);
  if (!attempt.held) throw new Error(`hold: ${key} is held by ${JSON.stringify(attempt.holder)}`);
  console.log(`held ${PROCESS_ID}`);
  // node code blocking the main thread must not silence the heartbeat
  Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, blockMs);
  console.log('unblocked');
  for (;;) await sleep(1_000);
}

async function judge(key: string, maxMs: number): Promise<void> {
  const store = await Store.open(root, { durability: 'none' });
  const started = performance.now();
  for (;;) {
    const attempt = await store.tryLock(key);
    const waitedMs = Math.round(performance.now() - started);
    if (attempt.held || waitedMs > maxMs) {
      console.log(JSON.stringify({ held: Boolean(attempt.held), waitedMs, holder: attempt.holder }));
      await attempt.held?.release();
      return;
    }
    await sleep(25);
  }
}

if (mode === 'work') await work(args[0]!, Number(args[1]), Number(args[2]));
else if (mode === 'hold') await hold(args[0]!, Number(args[1]));
else if (mode === 'judge') await judge(args[0]!, Number(args[1]));
else if (mode === 'open') console.log((await Store.open(root, { durability: 'none' })).id);
else if (mode === 'sweep') console.log(await (await Store.open(root, { durability: 'none' })).cleanTmp());
