/**
 * What killed writers leave in a store — temp files in tmp/, private owner files, locks and
 * claims in locks/ — removed once their owner is provably gone, judged without clocks: every such file carries its
 * owner's process id, and the owner's record in processes/ (heartbeat.ts) says who that was.
 * An owner is gone when its record says it ended, when it has no record (records are written
 * before any file that names them), or when it lived in our own space and its pid is dead or
 * reused. An owner in another space may be alive: its files stay until a gc in its own space
 * (or a person) removes them, because a pass that cannot watch a heartbeat for half a minute
 * cannot prove it dead. Files of an older featureflow, named by pid, go after a minute.
 */
import { readdirSync, statSync, unlinkSync } from 'node:fs';
import { join } from 'node:path';
import { tmpOwnerOf } from './atomic.ts';
import { processesDir, processPath, readProcessRecord } from './heartbeat.ts';
import { clearIfAbandoned } from './locks.ts';
import { livesHere, SPACE } from './process-identity.ts';

export interface OrphanSweep {
  /** files removed */
  readonly removed: number;
  /** files kept because their owner lives in another space and may be alive */
  readonly keptForeign: number;
}

function list(dir: string): string[] {
  try {
    return readdirSync(dir);
  } catch {
    return [];
  }
}

function removeQuietly(path: string): boolean {
  try {
    unlinkSync(path);
    return true;
  } catch {
    return false;
  }
}

/** `.<process id>.<token>.owner` (locks.ts), or undefined for an older `.<token>.owner`. */
function ownerFileOwner(name: string): string | undefined {
  const parts = name.slice(1).split('.');
  return parts.length === 3 ? parts[0] : undefined;
}

function olderThan(path: string, ms: number): boolean {
  try {
    return Date.now() - statSync(path).mtimeMs > ms;
  } catch {
    return false;
  }
}

type Verdict = 'gone' | 'alive' | 'foreign';

/** Judge each owner once; `registered` is processes/ as listed after the files were. */
function judge(root: string, registered: ReadonlySet<string>, cache: Map<string, Verdict>, id: string): Verdict {
  const known = cache.get(id);
  if (known) return known;
  let verdict: Verdict;
  if (!registered.has(id)) verdict = 'gone';
  else {
    const r = readProcessRecord(root, id);
    if (r === 'ended' || r === 'absent') verdict = 'gone';
    else if (r === 'unreadable') verdict = 'foreign';
    else if (r.record.space !== null && r.record.space === SPACE) verdict = livesHere(r.record.pid, r.record.pidStart) ? 'alive' : 'gone';
    else verdict = 'foreign';
  }
  cache.set(id, verdict);
  return verdict;
}

/** Remove orphaned temp and owner files, abandoned locks and claims, then the records of owners that are gone. */
export function sweepOrphans(root: string, legacyAgeMs = 60_000): OrphanSweep {
  const files: { path: string; owner: string | undefined }[] = [
    ...list(join(root, 'tmp')).map((f) => ({ path: join(root, 'tmp', f), owner: tmpOwnerOf(f) })),
    ...list(join(root, 'locks'))
      .filter((f) => f.startsWith('.') && f.endsWith('.owner'))
      .map((f) => ({ path: join(root, 'locks', f), owner: ownerFileOwner(f) })),
  ];
  // listed after the files: an owner of a listed file registered before it, so it is here unless gone
  const registered = new Set(list(processesDir(root)).filter((f) => !f.startsWith('.')));
  const verdicts = new Map<string, Verdict>();
  let removed = 0;
  let keptForeign = 0;
  for (const f of files) {
    const verdict = f.owner === undefined ? (olderThan(f.path, legacyAgeMs) ? 'gone' : 'alive') : judge(root, registered, verdicts, f.owner);
    if (verdict === 'gone') removed += Number(removeQuietly(f.path));
    else if (verdict === 'foreign') keptForeign++;
  }
  // locks and claims of holders gone for good (a killed run whose task another run finished)
  for (const f of list(join(root, 'locks'))) {
    if (f.endsWith('.lock') || f.endsWith('.claim')) clearIfAbandoned(join(root, 'locks', f), root);
  }
  for (const id of registered) {
    if (judge(root, registered, verdicts, id) === 'gone') removeQuietly(processPath(root, id));
  }
  return { removed, keptForeign };
}
