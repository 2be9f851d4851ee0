/**
 * Who holds a lock, and whether that holder can still be alive. The record names its holder
 * without any clock: a random token (the identity every takeover and release checks), the host,
 * the kernel's boot id, the pid and the pid's start time in clock ticks since boot. On the same
 * boot of the same host that settles liveness exactly: a pid that is gone, or that now belongs
 * to a process started at another tick (a reused pid), is dead. A holder on another host (the
 * distributed executors) proves it lives by touching its lock; a waiter only compares what it
 * observes now with what it observed before, on its own clock, never another host's timestamps.
 * `since` is for people reading the file and the task-waiting event, never for decisions.
 */
import { randomUUID, createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { hostname } from 'node:os';

export const LOCK_FORMAT = 'featureflow-lock/1';

export interface LockOwner {
  readonly format: typeof LOCK_FORMAT;
  readonly token: string;
  readonly host: string;
  /** /proc/sys/kernel/random/boot_id; null where the OS has none */
  readonly bootId: string | null;
  readonly pid: number;
  /** field 22 of /proc/<pid>/stat (start time in ticks since boot); null where the OS has none */
  readonly pidStart: number | null;
  /** ISO time the lock was taken: informational only */
  readonly since: string;
}

/** What a waiter learns about the holder it waits for (the run turns it into a task-waiting event). */
export interface LockHolder {
  readonly host: string;
  readonly pid: number;
  readonly since: string;
  /** 'live': a running process on this host; 'remote': another host, alive while it touches the lock; 'unknown': unreadable lock */
  readonly state: 'live' | 'remote' | 'unknown';
}

function readOr<T>(read: () => T, fallback: T): T {
  try {
    return read();
  } catch {
    return fallback;
  }
}

export const HOST = hostname();
export const BOOT_ID: string | null = readOr(() => readFileSync('/proc/sys/kernel/random/boot_id', 'utf8').trim(), null);

/** The start time of `pid` in ticks since boot, or null when /proc cannot tell (no such pid, not Linux). */
export function processStart(pid: number): number | null {
  return readOr(() => {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // the command name (field 2) is in parentheses and may itself contain spaces and ')'
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    const start = Number(fields[19]); // field 22 overall
    return Number.isFinite(start) ? start : null;
  }, null);
}

const OWN_START = processStart(process.pid);

export function newOwner(): LockOwner {
  return { format: LOCK_FORMAT, token: randomUUID(), host: HOST, bootId: BOOT_ID, pid: process.pid, pidStart: OWN_START, since: new Date().toISOString() };
}

export function parseOwner(raw: string): LockOwner | undefined {
  let o: Partial<LockOwner> & { startedAt?: unknown };
  try {
    o = JSON.parse(raw) as Partial<LockOwner>;
  } catch {
    return undefined;
  }
  if (typeof o !== 'object' || o === null || typeof o.host !== 'string' || !Number.isInteger(o.pid)) return undefined;
  if (o.format === LOCK_FORMAT && typeof o.token === 'string') return o as LockOwner;
  // a lock of featureflow before this format ({pid, host, startedAt}): judged by its pid alone
  if (o.format === undefined && typeof o.startedAt === 'string') {
    return { format: LOCK_FORMAT, token: `legacy-${digest(raw)}`, host: o.host, bootId: null, pid: o.pid!, pidStart: null, since: o.startedAt };
  }
  return undefined;
}

function digest(raw: string): string {
  return createHash('sha256').update(raw).digest('hex').slice(0, 16);
}

/** The identity of a lock file's content: its token, or a digest of whatever unreadable bytes it holds. */
export function identityOf(raw: string): string {
  return parseOwner(raw)?.token ?? `raw-${digest(raw)}`;
}

function pidExists(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** 'dead' and 'live' are exact (this host, this boot); 'remote' needs the heartbeat observation. */
export function judgeOwner(o: LockOwner): 'dead' | 'live' | 'remote' {
  if (o.host !== HOST) return 'remote';
  if (o.bootId !== null && BOOT_ID !== null && o.bootId !== BOOT_ID) return 'dead'; // this host rebooted since
  if (!pidExists(o.pid)) return 'dead';
  if (o.pidStart !== null && OWN_START !== null) {
    const now = processStart(o.pid);
    if (now !== null && now !== o.pidStart) return 'dead'; // the pid was reused by another process
  }
  return 'live';
}

export function describeHolder(raw: string): LockHolder {
  const o = parseOwner(raw);
  if (!o) return { host: '?', pid: 0, since: '?', state: 'unknown' };
  return { host: o.host, pid: o.pid, since: o.since, state: o.host === HOST ? 'live' : 'remote' };
}
