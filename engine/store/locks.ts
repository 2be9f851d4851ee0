/**
 * One lock file per task key, so two runs on one store never compute the same task twice.
 *
 * The lock file appears whole or not at all: its owner record (lock-owner.ts) is written to a
 * private file and hard-linked to the lock's name, which fails if a lock exists. A failed write
 * (a full disk) removes the private file and leaves no lock behind.
 *
 * A lock whose holder is dead (judged exactly on this host: gone or reused pid, rebooted host),
 * unreadable for GARBAGE_GRACE_MS, or a remote one untouched for STALE_MS (both observed on the
 * waiter's own clock) is taken over. POSIX has no compare-and-delete, so every removal of a lock
 * whose content has identity T — a takeover or the holder's release — first claims T by creating
 * `<lock>.<T>.claim` exclusively, then re-reads the lock and unlinks it only if it still holds T.
 * Two reapers of T cannot both pass the claim, and a release races no reaper, so no removal ever
 * deletes a newer lock: takeover and release never leave two holders. A claim whose claimer died
 * inside those three system calls is itself reaped by the same rule.
 */
import { linkSync, readFileSync, statSync, unlinkSync, utimesSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { storeFailure } from './errors.ts';
import { describeHolder, identityOf, judgeOwner, newOwner, parseOwner, type LockHolder, type LockOwner } from './lock-owner.ts';

export type { LockHolder } from './lock-owner.ts';

const STALE_MS = 30_000;
const GARBAGE_GRACE_MS = 2_000;
const HEARTBEAT_MS = 5_000;

export interface HeldLock {
  readonly token: string;
  release(): Promise<void>;
}

/** Either the lock, or who holds it (so the run can say what it waits for). */
export type LockAttempt = { readonly held: HeldLock; readonly holder?: undefined } | { readonly held?: undefined; readonly holder: LockHolder };

function removeQuietly(path: string): void {
  try {
    unlinkSync(path);
  } catch {
    // already gone
  }
}

/** Exclusively create `path` holding `owner`; false when it exists. Throws a StoreError on any other failure. */
export function createExclusive(path: string, owner: LockOwner, store: string): boolean {
  const own = join(dirname(path), `.${owner.token}.owner`);
  try {
    writeFileSync(own, JSON.stringify(owner), { flag: 'wx' });
    linkSync(own, path);
    return true;
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'EEXIST') return false;
    throw storeFailure(err, 'create lock', path, store);
  } finally {
    removeQuietly(own); // its name was linked, or it never came to be: either way it goes
  }
}

/** The lock file's text; undefined when it is gone. A directory or loop at its name is a StoreError. */
export function readLock(path: string, store: string): string | undefined {
  try {
    return readFileSync(path, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw storeFailure(err, 'read lock', path, store);
  }
}

// what this thread saw of each lock it waits on, and since when by its own monotonic clock
const observed = new Map<string, { readonly seen: string; readonly since: number }>();

/** True once `path` showed the same identity and modification time for `graceMs` of our own clock. */
function unchangedFor(path: string, identity: string, graceMs: number): boolean {
  const mtime = (() => {
    try {
      return statSync(path).mtimeMs;
    } catch {
      return -1;
    }
  })();
  const seen = `${identity}@${mtime}`;
  const before = observed.get(path);
  if (before?.seen !== seen) {
    observed.set(path, { seen, since: performance.now() });
    return false;
  }
  return performance.now() - before.since >= graceMs;
}

export function isAbandoned(path: string, raw: string): boolean {
  const owner = parseOwner(raw);
  if (!owner) return unchangedFor(path, identityOf(raw), GARBAGE_GRACE_MS);
  const verdict = judgeOwner(owner);
  if (verdict === 'remote') return unchangedFor(path, owner.token, STALE_MS);
  return verdict === 'dead';
}

/** Remove `path` if it still has `identity`, serialised by the claim on that identity (see top). */
function reap(path: string, identity: string, store: string, depth = 0): void {
  const claim = `${path}.${identity}.claim`;
  if (!createExclusive(claim, newOwner(), store)) {
    // someone else is reaping (or releasing) this identity; if that someone died, clear its claim
    const raw = readLock(claim, store);
    if (raw !== undefined && depth < 4 && isAbandoned(claim, raw)) reap(claim, identityOf(raw), store, depth + 1);
    return;
  }
  try {
    const now = readLock(path, store);
    if (now !== undefined && identityOf(now) === identity) unlinkSync(path);
    observed.delete(path);
  } catch (err) {
    throw storeFailure(err, 'take over lock', path, store);
  } finally {
    removeQuietly(claim);
  }
}

function releaser(path: string, owner: LockOwner, store: string): HeldLock['release'] {
  const beat = setInterval(() => {
    // remote waiters see a changing mtime; its value is never compared with any clock
    const now = new Date();
    try {
      utimesSync(path, now, now);
    } catch {
      // released or taken over meanwhile
    }
  }, HEARTBEAT_MS);
  beat.unref();
  let released = false;
  return async () => {
    if (released) return;
    released = true;
    clearInterval(beat);
    let claimed = false;
    try {
      claimed = createExclusive(`${path}.${owner.token}.claim`, newOwner(), store);
      if (!claimed) return; // a reaper holds our identity: it judged us gone and removes the lock itself
    } catch {
      // no room even for a claim (a full disk): fall back to check-then-unlink, which races only a
      // remote reaper that wrongly judged a live holder stale
    }
    try {
      const now = readLock(path, store);
      if (now !== undefined && identityOf(now) === owner.token) unlinkSync(path);
    } catch {
      // gone meanwhile, or unreadable: it is no longer ours to remove
    } finally {
      if (claimed) removeQuietly(`${path}.${owner.token}.claim`);
    }
  };
}

/** Try once (taking over an abandoned lock): the lock, or a description of its live holder. */
export async function tryLock(path: string, store = dirname(dirname(path))): Promise<LockAttempt> {
  let holder: LockHolder = { host: '?', pid: 0, since: '?', state: 'unknown' };
  for (let attempt = 0; attempt < 3; attempt++) {
    const owner = newOwner();
    if (createExclusive(path, owner, store)) {
      observed.delete(path);
      return { held: { token: owner.token, release: releaser(path, owner, store) } };
    }
    const raw = readLock(path, store);
    if (raw === undefined) continue; // released meanwhile: try again
    holder = describeHolder(raw);
    if (!isAbandoned(path, raw)) return { holder };
    reap(path, identityOf(raw), store);
  }
  return { holder };
}
