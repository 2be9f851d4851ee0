/**
 * The TypeScript source of a compiled module. The package ships `dist/<path>.js` next to the
 * `<path>.ts` it was compiled from; code fingerprints hash the source, so a task's key is the same
 * whether the repo's sources (through tsx) or the installed package's dist/ ran it.
 */
import { existsSync } from 'node:fs';
import { join, relative, sep } from 'node:path';
import { projectRoot } from './project.ts';

const dist = join(projectRoot, 'dist') + sep;

/** `<root>/dist/x/y.js` (or a `.ts` URL the compiler left unrewritten) → `<root>/x/y.ts` when that source exists; else the path itself. */
export function sourceOf(absPath: string): string {
  if (!absPath.startsWith(dist)) return absPath;
  const source = join(projectRoot, relative(dist, absPath).replace(/\.(js|ts)$/, '.ts'));
  return existsSync(source) ? source : absPath;
}
