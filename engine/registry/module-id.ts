/**
 * Module ids: where a node is defined, written so the same checkout on another machine (or in
 * another folder) gives the same id. An id is `<package name>:<path inside that package>`, the
 * package being the nearest folder above the module with a package.json; a module outside any
 * package keeps its file URL.
 */
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, relative, sep } from 'node:path';
import { fileURLToPath } from 'node:url';

const packageRoots = new Map<string, { root: string; name: string } | null>();

function packageOf(dir: string): { root: string; name: string } | null {
  if (packageRoots.has(dir)) return packageRoots.get(dir)!;
  let found: { root: string; name: string } | null = null;
  const manifest = join(dir, 'package.json');
  if (existsSync(manifest)) {
    let name = '';
    try {
      name = (JSON.parse(readFileSync(manifest, 'utf8')) as { name?: string }).name ?? '';
    } catch {
      // an unreadable package.json still marks a package root
    }
    found = { root: dir, name: name || dir.split(sep).pop() || 'package' };
  } else {
    const parent = dirname(dir);
    found = parent === dir ? null : packageOf(parent);
  }
  packageRoots.set(dir, found);
  return found;
}

/** A module URL without the query or fragment a loader may add. */
export function moduleFile(url: string): string {
  const clean = url.replace(/[?#].*$/, '');
  return clean.startsWith('file:') ? fileURLToPath(clean) : clean;
}

export function moduleId(url: string): string {
  const file = moduleFile(url);
  const pkg = packageOf(dirname(file));
  if (!pkg) return url.replace(/[?#].*$/, '');
  return `${pkg.name}:${relative(pkg.root, file).split(sep).join('/')}`;
}
