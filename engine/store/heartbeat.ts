/**
 * Liveness across hosts without comparing clocks.
 *
 * Each process that writes to a store registers there: `processes/<id>` holds a 16-digit hex
 * counter followed by the process's identity (process-identity.ts). While the process holds a
 * lock (or a claim) on that store, a heartbeat thread rewrites the counter in place every
 * beatMs(). A judge on another host never reads a timestamp: it remembers the counter it saw and
 * when, on its own monotonic clock, and declares the holder gone only after it has watched the
 * counter stay the same for staleMs() (30 s). Time in which the judge itself was not looking (its own
 * event loop stalled, the machine was suspended) does not count: each observation adds at most
 * maxGapMs() of evidence, so a judge frozen together with the holder cannot wake up and see
 * "no change for a minute".
 *
 * The beat runs on its own thread so that node code blocking the main thread (the in-process
 * executor) cannot silence it. The counter is written in place, never by rename: on NFS a
 * rename would leave other hosts holding a stale file handle, and close-to-open consistency
 * makes a fresh open see the latest write. A torn read reads as a change, which only delays a
 * takeover. The one assumption, as for any lease: a live process's beat is never held up for
 * 30 s (a process stopped with SIGSTOP for that long is taken for dead).
 */
import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Worker } from 'node:worker_threads';
import { BOOT_ID, HOST, OWN_START, PROCESS_ID, SPACE } from './process-identity.ts';

/**
 * How long a heartbeat must stand still before its holder counts as gone: 30 s. Tests shrink it
 * with FEATUREFLOW_TEST_LOCK_STALE_MS (test-only) so that killed holders are taken over quickly.
 */
export function staleMs(): number {
  return Number(process.env.FEATUREFLOW_TEST_LOCK_STALE_MS) || 30_000;
}

/** A beat every fifteenth of the stale time: a holder must miss fifteen in a row to be taken over. */
const beatMs = () => Math.max(50, Math.round(staleMs() / 15));

/** The most evidence one observation adds (see top): a stalled judge does not count its stall. */
const maxGapMs = () => Math.min(1_000, staleMs() / 3);

const COUNTER_WIDTH = 16;

/** What a process record says about the process (the counter aside). */
export interface ProcessRecord {
  readonly id: string;
  readonly host: string;
  readonly space: string | null;
  readonly bootId: string | null;
  readonly pid: number;
  readonly pidStart: number | null;
}

export function processesDir(root: string): string {
  return join(root, 'processes');
}

export function processPath(root: string, id: string): string {
  return join(processesDir(root), id);
}

function ownRecordText(counter: number): string {
  const record: ProcessRecord = { id: PROCESS_ID, host: HOST, space: SPACE, bootId: BOOT_ID, pid: process.pid, pidStart: OWN_START };
  return `${counter.toString(16).padStart(COUNTER_WIDTH, '0')}\n${JSON.stringify(record)}\n`;
}

const registered = new Set<string>();

/** Write this process's record in the store at `root` (once per root); its temp files and locks name it. */
export function registerProcess(root: string): void {
  if (registered.has(root)) return;
  mkdirSync(processesDir(root), { recursive: true });
  // whole or not at all (a judge on another host never reads half a record): written aside, renamed
  const aside = join(processesDir(root), `.${PROCESS_ID}.new`);
  writeFileSync(aside, ownRecordText(0));
  renameSync(aside, processPath(root, PROCESS_ID));
  registered.add(root);
}

/** Mark our records ended on a clean exit: what we leave then has no owner and may be cleaned. */
process.once('exit', () => {
  stopBeating();
  for (const root of registered) {
    try {
      // a record whose process is gone tells cleanTmp its leftovers are orphans
      writeFileSync(processPath(root, PROCESS_ID), '');
    } catch {
      // the store went away
    }
  }
});

/** The process record at `root` for `id`: undefined when absent, 'ended' after a clean exit, 'unreadable' when torn. */
export function readProcessRecord(root: string, id: string): { counter: string; record: ProcessRecord } | 'absent' | 'ended' | 'unreadable' {
  let raw: string;
  try {
    raw = readFileSync(processPath(root, id), 'utf8');
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'ENOENT' ? 'absent' : 'unreadable';
  }
  if (raw === '') return 'ended';
  try {
    return { counter: raw.slice(0, COUNTER_WIDTH), record: JSON.parse(raw.slice(COUNTER_WIDTH + 1)) as ProcessRecord };
  } catch {
    return 'unreadable';
  }
}

/**
 * The thread writes the counter of each root's record, in place (see top). Its writes and the
 * exit handler's "ended" share a lock (SHARED[0]) and a stop flag (SHARED[1]), so a beat can
 * never land after the record was marked ended.
 */
const BEAT_THREAD = `
const { workerData, parentPort } = require('node:worker_threads');
const { openSync, writeSync, closeSync } = require('node:fs');
const shared = new Int32Array(workerData.shared);
const paths = new Map();
let n = 1;
parentPort.on('message', (m) => { if (m.add) paths.set(m.add, (paths.get(m.add) ?? 0) + 1); else { const c = (paths.get(m.remove) ?? 1) - 1; if (c > 0) paths.set(m.remove, c); else paths.delete(m.remove); } });
setInterval(() => {
  n++;
  const counter = n.toString(16).padStart(${COUNTER_WIDTH}, '0');
  while (Atomics.compareExchange(shared, 0, 0, 1) !== 0) Atomics.wait(shared, 0, 1, 5);
  try {
    if (shared[1] !== 0) return;
    for (const path of paths.keys()) {
      try { const fd = openSync(path, 'r+'); try { writeSync(fd, counter, 0); } finally { closeSync(fd); } } catch {}
    }
  } finally { Atomics.store(shared, 0, 0); Atomics.notify(shared, 0); }
}, workerData.everyMs);
`;

const SHARED = new Int32Array(new SharedArrayBuffer(8));

/** No beat after this returns (the exit handler marks our records ended next). */
function stopBeating(): void {
  // bounded: a thread that died holding the lock must not hang the exit (a beat takes microseconds)
  for (let tries = 0; tries < 40 && Atomics.compareExchange(SHARED, 0, 0, 1) !== 0; tries++) Atomics.wait(SHARED, 0, 1, 5);
  Atomics.store(SHARED, 1, 1);
  Atomics.store(SHARED, 0, 0);
  Atomics.notify(SHARED, 0);
}

let thread: Worker | undefined;

function beatThread(): Worker {
  if (!thread) {
    thread = new Worker(BEAT_THREAD, { eval: true, workerData: { everyMs: beatMs(), shared: SHARED.buffer } });
    thread.unref();
    thread.on('error', () => (thread = undefined)); // a new one starts with the next lock
  }
  return thread;
}

/**
 * Beat for `root` until the returned function is called (a lock or claim is held meanwhile).
 * Nested holds on one root share the beat.
 */
export function holdBeat(root: string): () => void {
  registerProcess(root);
  const path = processPath(root, PROCESS_ID);
  const t = beatThread();
  t.postMessage({ add: path });
  let done = false;
  return () => {
    if (done) return;
    done = true;
    t.postMessage({ remove: path });
  };
}

// what this thread saw of each thing it judges, and how much of its own watching showed no change
const observations = new Map<string, { seen: string; evidenceMs: number; last: number }>();

/**
 * True once `subject` has shown the value `seen` for staleMs() (or `limitMs`) of our own watching.
 * Call it on every poll; a changed value starts the count again.
 */
export function silentFor(subject: string, seen: string, limitMs = staleMs()): boolean {
  const now = performance.now();
  const o = observations.get(subject);
  if (!o || o.seen !== seen) {
    observations.set(subject, { seen, evidenceMs: 0, last: now });
    return false;
  }
  o.evidenceMs += Math.min(now - o.last, maxGapMs());
  o.last = now;
  return o.evidenceMs >= limitMs;
}

export function forgetObservation(subject: string): void {
  observations.delete(subject);
}
