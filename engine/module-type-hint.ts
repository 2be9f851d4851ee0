/**
 * The `"type": "commonjs"` mistake. `npm init` writes `"type": "commonjs"`, so Node (and tsx) load
 * a project's `.ts`/`.js` files as CommonJS, which cannot import featureflow (ES modules only):
 * the error Node gives ("Cannot require() ES Module … in a cycle") does not say so. When a pipeline
 * module fails to load in such a project, this names the one-line fix.
 */
import { readFileSync } from 'node:fs';
import { dirname, extname } from 'node:path';
import { findUp } from './find-up.ts';

/** One line naming the fix when `file` loads as CommonJS because of its package.json, else undefined. */
export function commonjsHint(file: string): string | undefined {
  if (!['.ts', '.js', '.tsx', '.jsx'].includes(extname(file))) return undefined; // .mts/.mjs are ESM anyway
  const manifest = findUp(dirname(file), 'package.json');
  if (!manifest) return undefined;
  let type: unknown;
  try {
    type = (JSON.parse(readFileSync(manifest, 'utf8')) as { type?: unknown }).type;
  } catch {
    return undefined;
  }
  if (type === 'module') return undefined;
  return `${manifest} says "type": ${type === undefined ? 'nothing (CommonJS)' : JSON.stringify(type)}, so Node loads ${file} as CommonJS, which cannot import featureflow: set "type": "module" there (npm pkg set type=module)`;
}
