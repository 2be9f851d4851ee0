/**
 * `featureflow list`: the built-in pipelines and the pipeline files of a folder (a `.ts` file
 * that calls definePipeline and has a default export), each with its steps, nodes and profiles.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { builtinPipelineNames, resolvePipeline } from '../../load.ts';
import type { Pipeline } from '../../pipeline.ts';
import { importPipelineQuietly } from '../../registry/import-quietly.ts';

/** Import a pipeline file; a script that calls run() at its top level is reported, not run. */
const loadForListing = (url: string): Promise<Pipeline> => importPipelineQuietly(url);

interface Listed {
  readonly pipeline: string;
  readonly source: string;
  readonly description: string;
  readonly steps: ReadonlyArray<{ readonly step: string; readonly node: string }>;
  readonly profiles: readonly string[];
  readonly error?: string;
}

function describe(p: Pipeline, source: string): Listed {
  return {
    pipeline: p.name,
    source,
    description: p.description,
    steps: [...p.steps.values()].map((s) => ({ step: s.name, node: s.node.name })),
    profiles: Object.keys(p.profiles),
  };
}

function localPipelineFiles(dir: string): string[] {
  return readdirSync(dir)
    .filter((f) => /\.(ts|mts|js|mjs)$/.test(f) && !f.endsWith('.d.ts'))
    .filter((f) => {
      const text = readFileSync(join(dir, f), 'utf8');
      return text.includes('definePipeline') && /export\s+default/.test(text);
    })
    .sort();
}

export async function listCommand(o: { dir: string; json?: boolean }): Promise<number> {
  const listed: Listed[] = [];
  const sources = [
    ...builtinPipelineNames().map((n) => ({ url: resolvePipeline(n), source: `built-in ${n}` })),
    ...localPipelineFiles(resolve(o.dir)).map((f) => ({ url: pathToFileURL(resolve(o.dir, f)).href, source: join(o.dir, f) })),
  ];
  for (const s of sources) {
    try {
      listed.push(describe(await loadForListing(s.url), s.source));
    } catch (err) {
      listed.push({ pipeline: '?', source: s.source, description: '', steps: [], profiles: [], error: err instanceof Error ? err.message : String(err) });
    }
  }
  for (const l of listed) {
    if (o.json) {
      process.stdout.write(`${JSON.stringify({ type: 'pipeline', ...l })}\n`);
      continue;
    }
    if (l.error) {
      process.stdout.write(`${l.source}: cannot load: ${l.error}\n`);
      continue;
    }
    process.stdout.write(`${l.pipeline}  (${l.source})  ${l.description}\n`);
    process.stdout.write(`  steps: ${l.steps.map((s) => `${s.step} [${s.node}]`).join(', ')}\n`);
    if (l.profiles.length > 0) process.stdout.write(`  profiles: ${l.profiles.join(', ')}\n`);
  }
  return listed.some((l) => l.error) ? 1 : 0;
}
