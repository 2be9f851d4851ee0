/**
 * Who this process is, for everything it leaves in a shared store (locks, claims, temp files,
 * heartbeats, run markers). A hostname + pid names nothing on a shared filesystem: containers
 * share hostnames, and two containers (or two machines) have the same pids. So:
 *
 *   id     a random UUID per process (per module instance: a worker thread has its own), the
 *          name its files carry;
 *   space  where its pid means something: the kernel's boot id and the pid namespace's inode.
 *          Two processes with the same space see the same pids, so one can judge the other's
 *          liveness exactly (kill 0 and the pid's start time); any other process — another
 *          machine, another container, another boot — is judged by its heartbeat (heartbeat.ts).
 *          null where the OS cannot tell (no /proc): then every process is judged by heartbeat.
 *
 * FEATUREFLOW_TEST_HOST_ID (tests only) makes this process pose as host `test-<value>`: its host
 * name and space become that host's, so processes on one machine can play several hosts.
 */
import { randomUUID } from 'node:crypto';
import { readFileSync, readlinkSync } from 'node:fs';
import { hostname } from 'node:os';

function readOr<T>(read: () => T, fallback: T): T {
  try {
    return read();
  } catch {
    return fallback;
  }
}

const TEST_HOST = process.env.FEATUREFLOW_TEST_HOST_ID;

export const BOOT_ID: string | null = readOr(() => readFileSync('/proc/sys/kernel/random/boot_id', 'utf8').trim(), null);

/** The inode of this process's pid namespace ("pid:[4026531836]" → "4026531836"). */
const PID_NAMESPACE: string | null = readOr(() => /\[(\d+)\]/.exec(readlinkSync('/proc/self/ns/pid'))?.[1] ?? null, null);

export const HOST = TEST_HOST ? `test-${TEST_HOST}` : hostname();

/** Where our pids are comparable: boot id and pid namespace (dots never appear: it goes in file names). */
export const SPACE: string | null = TEST_HOST ? `test-${TEST_HOST.replace(/[^\w-]/g, '_')}` : BOOT_ID && PID_NAMESPACE ? `${BOOT_ID}-ns${PID_NAMESPACE}` : null;

/** This process's identity in the store; what its temp files, owner records and heartbeat are named by. */
export const PROCESS_ID = randomUUID();

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

export const OWN_START = processStart(process.pid);

function pidExists(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * Exact liveness of a process in our own space: gone, or its pid now belongs to a process that
 * started at another tick (a reused pid), is dead.
 */
export function livesHere(pid: number, pidStart: number | null): boolean {
  if (!pidExists(pid)) return false;
  if (pidStart !== null && OWN_START !== null) {
    const now = processStart(pid);
    if (now !== null && now !== pidStart) return false;
  }
  return true;
}
