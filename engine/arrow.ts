/**
 * Apache Arrow for the engine, loaded the first time a table is built, read or written, not with
 * every import of featureflow: its ~150 modules are a quarter of a command's start, and a plan,
 * a listing or an all-cached rerun never touch a table.
 *
 * The load is synchronous (`require()` of the ES module, Node 20.19+ or 22.12+, the versions package.json
 * asks for), so `columnsTable()` and the other helpers stay plain functions. It is the very module
 * `import … from 'apache-arrow'` gives a user's code: the same file (the package's `import` entry,
 * not its CommonJS build) in Node's one module map, so a Table from either passes `instanceof` in
 * the other. No top-level await here: it would make every module above this one asynchronous,
 * and a CommonJS project could no longer require() featureflow.
 */
import type * as Arrow from 'apache-arrow';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

let loaded: typeof Arrow | undefined;

/**
 * Arrow loaded by import(), for the engine to await before it runs a node. Node cannot require()
 * a module that an import() elsewhere is still loading (it asserts), so a node that imports Arrow
 * itself, beside tasks whose tables call arrow(), must find it loaded already.
 */
let ready: Promise<void> | undefined;
export function arrowReady(): Promise<void> {
  ready ??= import('apache-arrow').then((module) => {
    loaded ??= module;
  });
  return ready;
}

export function arrow(): typeof Arrow {
  if (loaded) return loaded;
  if (!(process.features as { require_module?: boolean }).require_module) {
    throw new Error(`featureflow needs Node.js 20.19+ or 22.12+ (require() of ES modules, to load Apache Arrow when a table is first used); this is ${process.version}`);
  }
  loaded = createRequire(import.meta.url)(arrowImportEntry()) as typeof Arrow;
  return loaded;
}

/** The file `import 'apache-arrow'` loads from here (require.resolve would give the CommonJS build). */
function arrowImportEntry(): string {
  if (typeof import.meta.resolve === 'function') return fileURLToPath(import.meta.resolve('apache-arrow'));
  // a module runner without import.meta.resolve (vitest): the package's "exports", read as Node reads them for an import
  const packageDir = dirname(createRequire(import.meta.url).resolve('apache-arrow'));
  const manifest = JSON.parse(readFileSync(join(packageDir, 'package.json'), 'utf8')) as { exports?: unknown; module?: string; main?: string };
  const exports = manifest.exports as Record<string, unknown> | undefined;
  const target = conditionalTarget(exports?.['.'] ?? exports, ['node', 'import', 'default']) ?? manifest.module ?? manifest.main;
  if (!target) throw new Error(`apache-arrow: no entry for an import in ${join(packageDir, 'package.json')}`);
  return join(packageDir, target);
}

/** Node's conditional-exports rule: the first key, in the object's order, that is one of `conditions`. */
function conditionalTarget(entry: unknown, conditions: readonly string[]): string | undefined {
  if (typeof entry === 'string') return entry;
  if (Array.isArray(entry)) return entry.map((e) => conditionalTarget(e, conditions)).find((t) => t !== undefined);
  if (entry === null || typeof entry !== 'object') return undefined;
  for (const [key, value] of Object.entries(entry)) {
    if (!conditions.includes(key)) continue;
    const target = conditionalTarget(value, conditions);
    if (target !== undefined) return target;
  }
  return undefined;
}
