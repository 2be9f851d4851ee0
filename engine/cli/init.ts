/**
 * `featureflow init [dir]`: scaffold a project (init-templates.ts). It never overwrites: when any
 * file it would write exists already, it writes nothing and names them.
 */
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { basename, join, resolve } from 'node:path';
import { packageVersion } from '../project.ts';
import { projectFiles } from './init-templates.ts';

export class InitError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'InitError';
  }
}

/** A valid npm package name made from a folder name. */
export function packageNameFor(dir: string): string {
  const name = basename(resolve(dir))
    .toLowerCase()
    .replace(/[^a-z0-9._~-]+/g, '-')
    .replace(/^[._-]+|[-]+$/g, '');
  return name || 'featureflow-project';
}

/** Write the project into `dir` (created if missing); returns the files written. */
export function initProject(dir: string): string[] {
  const root = resolve(dir);
  const files = projectFiles({ name: packageNameFor(root), featureflowVersion: packageVersion() });
  const existing = Object.keys(files).filter((f) => existsSync(join(root, f)));
  if (existing.length > 0) {
    throw new InitError(
      `init: ${root} already has ${existing.join(', ')}; featureflow init never overwrites: run it in a new folder (featureflow init <dir>) or move them away`,
    );
  }
  mkdirSync(root, { recursive: true });
  for (const [name, text] of Object.entries(files)) writeFileSync(join(root, name), text, { flag: 'wx' });
  return Object.keys(files);
}

export function initCommand(dir: string): number {
  try {
    const written = initProject(dir);
    const where = resolve(dir);
    const cd = where === process.cwd() ? '' : `cd ${dir} && `;
    process.stdout.write(`wrote ${written.join(', ')} in ${where}\nnext: ${cd}npm install && npx featureflow run pipeline.ts\n`);
    return 0;
  } catch (err) {
    if (!(err instanceof InitError)) throw err;
    process.stderr.write(`featureflow: ${err.message}\n`);
    return 2;
  }
}
