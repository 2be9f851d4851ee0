/**
 * Who holds a lock, and whether that holder can still be alive. The record names its holder
 * without any clock: a random token (the identity every takeover and release checks), the
 * holder's process id and space (process-identity.ts), host, boot id, pid and the pid's start
 * time. A holder in our own space (same boot, same pid namespace) is judged exactly: a pid that
 * is gone, or that now belongs to a process started at another tick (a reused pid), is dead.
 * Any other holder — another machine, another container sharing our hostname — is judged by its
 * heartbeat (heartbeat.ts), observed on the judge's own clock. `since` is for people reading the
 * file and the task-waiting event, never for decisions.
 */
import { createHash, randomUUID } from 'node:crypto';
import { BOOT_ID, HOST, livesHere, OWN_START, PROCESS_ID, SPACE } from './process-identity.ts';

export { BOOT_ID, HOST, processStart } from './process-identity.ts';

export const LOCK_FORMAT = 'featureflow-lock/2';
export const LOCK_FORMAT_V1 = 'featureflow-lock/1';

export interface LockOwner {
  readonly format: typeof LOCK_FORMAT | typeof LOCK_FORMAT_V1;
  readonly token: string;
  /** the holder's process id (process-identity.ts); absent in format 1 */
  readonly process?: string;
  /** where the holder's pid means something; absent in format 1, null where the OS cannot tell */
  readonly space?: string | null;
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
  /** 'live': a running process judged exactly (our space); 'remote': alive while its heartbeat beats; 'unknown': unreadable lock */
  readonly state: 'live' | 'remote' | 'unknown';
}

export function newOwner(): LockOwner {
  return { format: LOCK_FORMAT, token: randomUUID(), process: PROCESS_ID, space: SPACE, host: HOST, bootId: BOOT_ID, pid: process.pid, pidStart: OWN_START, since: new Date().toISOString() };
}

export function parseOwner(raw: string): LockOwner | undefined {
  let o: Partial<LockOwner> & { startedAt?: unknown };
  try {
    o = JSON.parse(raw) as Partial<LockOwner>;
  } catch {
    return undefined;
  }
  if (typeof o !== 'object' || o === null || typeof o.host !== 'string' || !Number.isInteger(o.pid)) return undefined;
  if (o.format === LOCK_FORMAT && typeof o.token === 'string' && typeof o.process === 'string') return o as LockOwner;
  if (o.format === LOCK_FORMAT_V1 && typeof o.token === 'string') return o as LockOwner;
  // a lock of featureflow before the owner format ({pid, host, startedAt}): judged by its pid alone
  if (o.format === undefined && typeof o.startedAt === 'string') {
    return { format: LOCK_FORMAT_V1, token: `legacy-${digest(raw)}`, host: o.host, bootId: null, pid: o.pid!, pidStart: null, since: o.startedAt };
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

/** True when `o`'s pid can be judged exactly from here. */
function sameSpace(o: LockOwner): boolean {
  if (o.process !== undefined) return o.space != null && o.space === SPACE;
  // format 1 named no space: its host (and boot, when recorded) is all there is
  return o.host === HOST && (o.bootId === null || BOOT_ID === null || o.bootId === BOOT_ID);
}

/** 'dead' and 'live' are exact (our space); 'remote' needs the heartbeat observation. */
export function judgeOwner(o: LockOwner): 'dead' | 'live' | 'remote' {
  // format 1: an earlier boot of this very host is dead
  if (o.process === undefined && o.host === HOST && o.bootId !== null && BOOT_ID !== null && o.bootId !== BOOT_ID) return 'dead';
  if (!sameSpace(o)) return 'remote';
  return livesHere(o.pid, o.pidStart) ? 'live' : 'dead';
}

export function describeHolder(raw: string): LockHolder {
  const o = parseOwner(raw);
  if (!o) return { host: '?', pid: 0, since: '?', state: 'unknown' };
  return { host: o.host, pid: o.pid, since: o.since, state: sameSpace(o) ? 'live' : 'remote' };
}
