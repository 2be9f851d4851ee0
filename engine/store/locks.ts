/**
 * One lock file per task key, so two runs on one store never compute the same task twice.
 * A lock whose owner is gone (a dead pid on this host, or no heartbeat for STALE_MS from
 * another host) is taken over.
 */
import { hostname } from 'node:os';
import { closeSync, openSync, unlinkSync, writeSync } from 'node:fs';
import { readFile, stat, unlink, utimes } from 'node:fs/promises';

const STALE_MS = 30_000;
const HOST = hostname();
const HEARTBEAT_MS = 5_000;

interface LockOwner {
  readonly pid: number;
  readonly host: string;
  readonly startedAt: string;
}

export interface HeldLock {
  release(): Promise<void>;
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

async function ownerIsGone(path: string): Promise<{ gone: boolean; raw: string | undefined }> {
  let raw: string;
  try {
    raw = await readFile(path, 'utf8');
  } catch {
    return { gone: false, raw: undefined }; // released meanwhile: just retry
  }
  let owner: LockOwner | undefined;
  try {
    owner = JSON.parse(raw) as LockOwner;
  } catch {
    owner = undefined; // torn write by a killed process
  }
  if (owner && owner.host === HOST) return { gone: owner.pid !== process.pid && !alive(owner.pid), raw };
  const st = await stat(path).catch(() => undefined);
  return { gone: st !== undefined && Date.now() - st.mtimeMs > STALE_MS, raw };
}

/** Try once: the lock, or `null` when a live owner holds it. */
export async function tryLock(path: string): Promise<HeldLock | null> {
  for (let attempt = 0; attempt < 3; attempt++) {
    try {
      // synchronous: tiny files, and one lock per computed task (an async round trip each costs more)
      const fd = openSync(path, 'wx');
      const owner: LockOwner = { pid: process.pid, host: HOST, startedAt: new Date().toISOString() };
      writeSync(fd, JSON.stringify(owner));
      closeSync(fd);
      const beat = setInterval(() => {
        const now = new Date();
        utimes(path, now, now).catch(() => undefined);
      }, HEARTBEAT_MS);
      beat.unref();
      return {
        async release() {
          clearInterval(beat);
          try {
            unlinkSync(path);
          } catch {
            // taken over as stale meanwhile
          }
        },
      };
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
    }
    const { gone, raw } = await ownerIsGone(path);
    if (!gone) {
      if (raw === undefined) continue;
      return null;
    }
    // take over only if the file is still the stale one we judged
    const again = await readFile(path, 'utf8').catch(() => undefined);
    if (again === raw) await unlink(path).catch(() => undefined);
  }
  return null;
}
