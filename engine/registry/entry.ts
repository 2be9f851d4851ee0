/**
 * A run's entry module: the module whose evaluation built its pipeline. Workers import it when a
 * node's own module does not register the node (a node made by a factory that the pipeline file
 * or a script calls). For `featureflow run file.ts` it is that file; for a script that calls
 * `run(pipeline)` it is the script Node started, unless that is a tool's own entry (the CLI, a
 * test runner), which must never be imported by a worker.
 */
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { projectRoot } from '../project.ts';

const featureflowBin = join(projectRoot, 'bin'); // the same folder whether sources or dist/ run

function isToolEntry(path: string): boolean {
  return path.startsWith(featureflowBin) || /[\\/]node_modules[\\/]/.test(path) || !/\.(ts|mts|cts|js|mjs|cjs)$/.test(path);
}

/** The main script as a module URL, or undefined when Node started a tool rather than a script. */
export function mainScriptEntry(argv: readonly string[] = process.argv): string | undefined {
  const main = argv[1];
  if (!main) return undefined;
  const path = resolve(main);
  if (!existsSync(path) || isToolEntry(path)) return undefined;
  return pathToFileURL(path).href;
}
