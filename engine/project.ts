import { existsSync, readFileSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { findUp } from './find-up.ts';

const above = resolve(dirname(fileURLToPath(import.meta.url)), '..');

/**
 * The featureflow package root (where package.json, the TS sources and native/ live). The
 * compiled engine runs from `<root>/dist/engine/`, one level deeper than the sources.
 */
export const projectRoot: string =
  basename(above) === 'dist' && existsSync(join(dirname(above), 'package.json')) ? dirname(above) : above;

export function packageVersion(): string {
  return (JSON.parse(readFileSync(join(projectRoot, 'package.json'), 'utf8')) as { version: string }).version;
}

/** The installed (locked) version of an npm package, or undefined when it is not installed. */
export function installedVersion(pkg: string, fromDir: string = projectRoot): string | undefined {
  const manifest = findUp(fromDir, join('node_modules', pkg, 'package.json'));
  return manifest === undefined ? undefined : (JSON.parse(readFileSync(manifest, 'utf8')) as { version?: string }).version;
}
