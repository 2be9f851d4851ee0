/**
 * A worker checks that the node it imported is the code the run planned: it fingerprints the
 * node as the coordinator did and compares with the hash in the job. A researcher who edits a
 * node file while a long sweep runs would otherwise have a worker that starts later (or restarts
 * after a crash) run the new code under the old key — a cache serving a wrong result.
 */
import { statSync } from 'node:fs';
import { resolve } from 'node:path';
import { selectBackend, type BackendChoice } from '../compute/backends.ts';
import { fingerprintAll, type CodeFingerprint } from '../fingerprint.ts';
import type { AnyNode, BackendUse } from '../node.ts';
import { fingerprintRequest } from '../prepare.ts';
import { projectRoot } from '../project.ts';

export class CodeChangedError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'CodeChangedError';
  }
}

const printed = new Map<string, Promise<CodeFingerprint>>();

async function fingerprintHere(node: AnyNode, backends: Readonly<Partial<Record<BackendUse, BackendChoice>>>): Promise<CodeFingerprint> {
  const selected: Partial<Record<BackendUse, { module: string; rawSources: readonly string[] }>> = {};
  for (const kind of node.backends ?? []) {
    const choice = backends[kind];
    if (!choice) continue;
    selected[kind] = await selectBackend(kind, [choice.name]);
  }
  const [fp] = await fingerprintAll([fingerprintRequest(node, selected)]);
  return fp!;
}

/** Files of the fingerprint changed after `since` (an ISO time): what to name in the error. */
function changedSince(fp: CodeFingerprint, since: string): string[] {
  const t = Date.parse(since);
  return Object.keys(fp.files)
    .map((f) => f.replace(/#.*$/, ''))
    .filter((f, i, all) => all.indexOf(f) === i)
    .filter((f) => (statSync(resolve(projectRoot, f), { throwIfNoEntry: false })?.mtimeMs ?? 0) > t);
}

/** Files whose content differs from the coordinator's (`expected`: path → hash), with added and missing ones. */
function differingFiles(fp: CodeFingerprint, expected: Readonly<Record<string, string>>): string[] {
  const paths = new Set([...Object.keys(fp.files), ...Object.keys(expected)]);
  const differ = [...paths].filter((f) => fp.files[f] !== expected[f]).map((f) => f.replace(/#.*$/, ''));
  return [...new Set(differ)].sort();
}

/**
 * `expected.files` (the coordinator's path → hash, sent to remote workers) names the files that
 * differ in this checkout; without it, the files modified since the run planned are named.
 */
export async function checkNodeCode(node: AnyNode, expected: { code: string; plannedAt: string; files?: Readonly<Record<string, string>> }, backends: Readonly<Partial<Record<BackendUse, BackendChoice>>>): Promise<void> {
  let p = printed.get(node.name);
  if (!p) {
    p = fingerprintHere(node, backends);
    printed.set(node.name, p);
    p.catch(() => printed.delete(node.name)); // one failure (say, esbuild) must not fail every later task
  }
  const fp = await p;
  if (fp.code === expected.code) return;
  if (expected.files) {
    const differ = differingFiles(fp, expected.files);
    throw new CodeChangedError(
      `node ${node.name}: this worker's code differs from the run's${differ.length > 0 ? ` (${differ.join(', ')} differ from the coordinator's checkout)` : ''}; the worker will not store other code's output under the run's key: bring this checkout to the coordinator's code (git pull, npm ci) and restart the worker`,
    );
  }
  const changed = changedSince(fp, expected.plannedAt);
  throw new CodeChangedError(
    `node ${node.name}: its code changed after the run planned it${changed.length > 0 ? ` (${changed.join(', ')} modified since ${expected.plannedAt})` : ''}; the run will not store new code's output under the old key: run again to compute it with the new code`,
  );
}
