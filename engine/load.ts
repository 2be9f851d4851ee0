/** Finding and importing pipeline modules: a built-in name or a path to a module. */
import { existsSync, readdirSync } from 'node:fs';
import { isAbsolute, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { commonjsHint } from './module-type-hint.ts';
import type { Pipeline } from './pipeline.ts';

export class UnknownPipelineError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'UnknownPipelineError';
  }
}

// The built-in pipelines beside the engine that runs: the TS sources in the repo, dist/pipelines/*.js
// in the installed package (importing the sources there would load a second copy of the engine).
const builtinDir = fileURLToPath(new URL('../pipelines/', import.meta.url));
const builtinExt = fileURLToPath(import.meta.url).endsWith('.ts') ? '.ts' : '.js';

export function builtinPipelineNames(): string[] {
  return readdirSync(builtinDir)
    .filter((f) => f.endsWith(builtinExt) && !f.endsWith('.d.ts'))
    .map((f) => f.slice(0, -builtinExt.length))
    .sort();
}

/** A module URL for a built-in pipeline name or a file path. */
export function resolvePipeline(nameOrPath: string, cwd: string = process.cwd()): string {
  const builtin = join(builtinDir, `${nameOrPath}${builtinExt}`);
  if (/^[a-z0-9-]+$/.test(nameOrPath) && existsSync(builtin)) return pathToFileURL(builtin).href;
  const path = isAbsolute(nameOrPath) ? nameOrPath : resolve(cwd, nameOrPath);
  if (existsSync(path)) return pathToFileURL(path).href;
  throw new UnknownPipelineError(
    `unknown pipeline "${nameOrPath}": not a built-in (${builtinPipelineNames().join(', ')}) and no file at ${path}`,
  );
}

/** What is wrong with a module's default export as a pipeline, or undefined when nothing is. */
function pipelineShapeProblem(v: unknown): string | undefined {
  if (typeof v !== 'object' || v === null) return `its default export is ${v === null ? 'null' : typeof v}`;
  const p = v as Partial<Record<keyof Pipeline, unknown>>;
  const wrong: string[] = [];
  if (typeof p.name !== 'string') wrong.push('name is not a string');
  if (typeof p.module !== 'string') wrong.push('module is not a string');
  for (const m of ['axes', 'steps', 'outputs'] as const) if (!(p[m] instanceof Map)) wrong.push(`${m} is not a Map`);
  if (typeof p.profiles !== 'object' || p.profiles === null) wrong.push('profiles is not an object');
  return wrong.length > 0 ? `its default export is not a pipeline (${wrong.join('; ')})` : undefined;
}

const loaded = new Map<string, Promise<Pipeline>>();

/** Import a pipeline module (its default export, made with definePipeline). */
export function importPipeline(moduleUrl: string): Promise<Pipeline> {
  if (!loaded.has(moduleUrl)) {
    loaded.set(
      moduleUrl,
      (async () => {
        let mod: { default?: unknown };
        try {
          mod = (await import(moduleUrl)) as { default?: unknown };
        } catch (err) {
          const why = err instanceof Error ? err.message : String(err);
          const hint = moduleUrl.startsWith('file:') ? commonjsHint(fileURLToPath(moduleUrl)) : undefined;
          throw new UnknownPipelineError(hint ? `${hint}\n  (loading ${moduleUrl}: ${why})` : `cannot load pipeline module ${moduleUrl}: ${why}`);
        }
        const problem = pipelineShapeProblem(mod.default);
        if (problem) {
          throw new UnknownPipelineError(`pipeline module ${moduleUrl}: ${problem}; it must \`export default\` a pipeline made with definePipeline(...)`);
        }
        return mod.default as Pipeline;
      })(),
    );
  }
  return loaded.get(moduleUrl)!;
}

export async function loadPipeline(nameOrPath: string): Promise<Pipeline> {
  return importPipeline(resolvePipeline(nameOrPath));
}
