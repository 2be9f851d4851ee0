// The folder of tsx's compiled output (hooks.mjs): one file per key, written atomically (a
// temporary file renamed into place), sealed, and pruned when it grows large.
import { createHash } from 'node:crypto';
import { mkdirSync, readdirSync, readFileSync, renameSync, statSync, unlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ownFolder, transformCacheDir } from './cache-key.mjs';

// Each entry ends with a hash of what precedes it: a file cut short (a full disk, a crash between
// write and rename on a filesystem that reorders them) reads as a miss, never as code.
const SEAL = '\n//featureflow-seal:';
const sealOf = (text) => createHash('sha256').update(text).digest('hex');

let usable;
/** The folder, created if missing (0700), or undefined when it is not this user's alone: then no cache. */
function folder() {
  if (usable === undefined) {
    const dir = transformCacheDir();
    try {
      mkdirSync(dir, { recursive: true, mode: 0o700 });
    } catch {
      // reported as unusable below
    }
    usable = ownFolder(dir) ? dir : null;
  }
  return usable ?? undefined;
}

export function readTransform(key) {
  const dir = folder();
  if (!dir) return undefined;
  const path = join(dir, `${key}.mjs`);
  let stored;
  try {
    stored = readFileSync(path, 'utf8');
  } catch {
    return undefined;
  }
  const at = stored.lastIndexOf(SEAL);
  if (at < 0) return undefined;
  const text = stored.slice(0, at);
  return stored.slice(at + SEAL.length) === sealOf(text) ? text : undefined;
}

export function writeTransform(key, text) {
  const dir = folder();
  if (!dir) return;
  const path = join(dir, `${key}.mjs`);
  try {
    const tmp = `${path}.${process.pid}.${Math.random().toString(36).slice(2)}.tmp`;
    writeFileSync(tmp, `${text}${SEAL}${sealOf(text)}`, { mode: 0o600 });
    renameSync(tmp, path);
    pruneOnce();
  } catch {
    // a cache that cannot be written only costs the next start its speed
  }
}

// Every edit of a file adds an entry. Once per process that writes one, a folder grown past
// PRUNE_ABOVE entries loses those written more than PRUNE_AGE_MS ago (a still-used one is
// compiled again once).
const PRUNE_ABOVE = 2000;
const PRUNE_AGE_MS = 14 * 24 * 3600 * 1000;
let pruned = false;
function pruneOnce() {
  if (pruned) return;
  pruned = true;
  const dir = folder();
  const names = readdirSync(dir);
  if (names.length <= PRUNE_ABOVE) return;
  const cutoff = Date.now() - PRUNE_AGE_MS;
  for (const name of names) {
    try {
      if (statSync(join(dir, name)).mtimeMs < cutoff) unlinkSync(join(dir, name));
    } catch {
      // taken by another process's prune
    }
  }
}
