/** The git commit of the folder a pipeline lives in, for run records; undefined outside git. */
import { execFileSync } from 'node:child_process';
import { dirname } from 'node:path';
import { moduleFile } from './registry/module-id.ts';

const cache = new Map<string, string | undefined>();

export function gitCommitOf(moduleUrl: string): string | undefined {
  const dir = dirname(moduleFile(moduleUrl));
  if (cache.has(dir)) return cache.get(dir);
  let commit: string | undefined;
  try {
    const git = (...args: string[]) => execFileSync('git', args, { cwd: dir, encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'], timeout: 5_000 }).trim();
    commit = git('rev-parse', 'HEAD');
    if (git('status', '--porcelain', '--untracked-files=no') !== '') commit += '+dirty';
  } catch {
    commit = undefined; // not a git checkout, or git is not installed
  }
  cache.set(dir, commit);
  return commit;
}
