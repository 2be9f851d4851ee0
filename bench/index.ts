/**
 * `npm run bench`: runs every benchmark module present, then prints one table. A module that is
 * missing or fails is reported on its own line and the others go on. Benchmarks time things, so
 * they never run in `npm test`.
 *
 *   npm run bench                 every bench
 *   npm run bench -- engine stats only those (names as below)
 *
 * A bench module exports an async function returning rows (see table.ts): its default export,
 * or a named export such as `bench`, `run` or `bench<Name>`.
 */
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { printTable, toBenchRows, type BenchRow } from './table.ts';

const BENCHES = ['engine', 'report', 'teacher-student', 'stats', 'balancing', 'sparse', 'native', 'two-layer', 'starvation', 'distributed', 'slurm'] as const;

const here = dirname(fileURLToPath(import.meta.url));

type BenchFn = () => Promise<unknown> | unknown;

function camel(name: string): string {
  return name.replace(/-([a-z])/g, (_, c: string) => c.toUpperCase()).replace(/^./, (c) => c.toUpperCase());
}

function findBenchFunction(mod: Record<string, unknown>, name: string): BenchFn | undefined {
  const candidates = ['default', `bench${camel(name)}`, 'bench', 'run', 'runBench', 'main'];
  for (const c of candidates) if (typeof mod[c] === 'function') return mod[c] as BenchFn;
  const benchLike = Object.entries(mod).filter(([k, v]) => typeof v === 'function' && /^bench/i.test(k));
  return benchLike.length === 1 ? (benchLike[0]![1] as BenchFn) : undefined;
}

async function main(): Promise<void> {
  const wanted = process.argv.slice(2).filter((a) => !a.startsWith('-'));
  const unknown = wanted.filter((w) => !(BENCHES as readonly string[]).includes(w));
  if (unknown.length > 0) {
    console.error(`bench: unknown bench ${unknown.join(', ')} (benches: ${BENCHES.join(', ')})`);
    process.exitCode = 2;
    return;
  }
  const selected = wanted.length > 0 ? BENCHES.filter((b) => wanted.includes(b)) : BENCHES;
  const rows: BenchRow[] = [];
  const problems: string[] = [];
  for (const name of selected) {
    const file = join(here, `${name}.ts`);
    if (!existsSync(file)) {
      console.log(`bench ${name}: skipped (no bench/${name}.ts yet)`);
      continue;
    }
    console.log(`bench ${name}: running…`);
    const t0 = performance.now();
    try {
      const mod = (await import(pathToFileURL(file).href)) as Record<string, unknown>;
      const fn = findBenchFunction(mod, name);
      if (!fn) {
        problems.push(`bench ${name}: bench/${name}.ts exports no bench function (export default async () => rows)`);
        continue;
      }
      const got = toBenchRows(name, await fn());
      rows.push(...got);
      console.log(`bench ${name}: ${got.length} rows in ${((performance.now() - t0) / 1000).toFixed(1)} s`);
    } catch (err) {
      problems.push(`bench ${name}: failed: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}`);
    }
  }
  console.log('');
  if (rows.length > 0) printTable(rows);
  else console.log('no bench rows');
  for (const p of problems) console.log(p);
  if (problems.length > 0) process.exitCode = 1;
}

await main();
