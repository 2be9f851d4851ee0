/**
 * The git commit of the folder a pipeline lives in, for run records; undefined outside git.
 * Asked when a run starts (the code that ran is the code at the start) and awaited when the run
 * record is written, so `git status` in a large repository runs beside the tasks, not before them.
 */
import { execFile } from 'node:child_process';
import { dirname } from 'node:path';
import { findUp } from './find-up.ts';
import { moduleFile } from './registry/module-id.ts';

const cache = new Map<string, Promise<string | undefined>>();

function git(dir: string, ...args: string[]): Promise<string> {
  return new Promise((resolve, reject) => {
    execFile('git', args, { cwd: dir, encoding: 'utf8', timeout: 5_000 }, (err, stdout) => (err ? reject(err) : resolve(stdout.trim())));
  });
}

async function commitOf(dir: string): Promise<string | undefined> {
  // no `.git` (a folder, or a worktree's file) here or above: git is not asked at all
  if (findUp(dir, '.git') === undefined) return undefined;
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
