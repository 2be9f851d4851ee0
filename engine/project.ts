import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The featureflow package root (where package.json and package-lock.json live). */
export const projectRoot: string = resolve(dirname(fileURLToPath(import.meta.url)), '..');

export function packageVersion(): string {
  return (JSON.parse(readFileSync(join(projectRoot, 'package.json'), 'utf8')) as { version: string }).version;
}

/** The installed (locked) version of an npm package, or undefined when it is not installed. */
export function installedVersion(pkg: string, fromDir: string = projectRoot): string | undefined {
  let dir = fromDir;
  for (;;) {
    const manifest = join(dir, 'node_modules', pkg, 'package.json');
    if (existsSync(manifest)) return (JSON.parse(readFileSync(manifest, 'utf8')) as { version?: string }).version;
    const parent = dirname(dir);
    if (parent === dir) return undefined;
    dir = parent;
  }
}
