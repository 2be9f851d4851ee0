/**
 * The git commit of the folder a pipeline lives in, for run records; undefined outside git.
 * Asked when a run starts (the code that ran is the code at the start) and awaited when the run
 * record is written, so `git status` in a large repository runs beside the tasks, not before them.
 */
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { moduleFile } from './registry/module-id.ts';

const cache = new Map<string, Promise<string | undefined>>();

/** Whether `dir` or a folder above it has a `.git` (a folder, or a worktree's file): else git is not asked at all. */
function insideGit(dir: string): boolean {
  for (;;) {
    if (existsSync(join(dir, '.git'))) return true;
    const parent = dirname(dir);
    if (parent === dir) return false;
    dir = parent;
  }
}

function git(dir: string, ...args: string[]): Promise<string> {
  return new Promise((resolve, reject) => {
    execFile('git', args, { cwd: dir, encoding: 'utf8', timeout: 5_000 }, (err, stdout) => (err ? reject(err) : resolve(stdout.trim())));
  });
}

async function commitOf(dir: string): Promise<string | undefined> {
  if (!insideGit(dir)) return undefined;
  try {
    const [commit, changes] = await Promise.all([git(dir, 'rev-parse', 'HEAD'), git(dir, 'status', '--porcelain', '--untracked-files=no')]);
    return changes === '' ? commit : `${commit}+dirty`;
  } catch {
    return undefined; // no commit yet, or git is not installed
  }
}

export function gitCommitOf(moduleUrl: string): Promise<string | undefined> {
  const dir = dirname(moduleFile(moduleUrl));
  let commit = cache.get(dir);
  if (!commit) cache.set(dir, (commit = commitOf(dir)));
  return commit;
}
