/**
 * Code fingerprints. A node's fingerprint covers its module and every project-local module it
 * imports transitively — minus the engine's orchestration modules, which cannot change a
 * result — each hashed in a normalised form (esbuild's whitespace-minified output, which drops
 * comments and formatting), plus the installed versions of the npm packages they import.
 * Comment and whitespace edits therefore keep every key; a behavioural edit changes it.
 */
import { build, transform } from 'esbuild';
import { readFileSync, readdirSync, statSync } from 'node:fs';
import { extname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { sha256 } from './hash.ts';
import { installedVersion, projectRoot } from './project.ts';

export interface CodeFingerprint {
  /** hash over `files` */
  readonly code: string;
  /** hash over `deps` */
  readonly deps: string;
  /** project-relative path → normalised-content hash */
  readonly files: Readonly<Record<string, string>>;
  /** npm package → installed version */
  readonly depVersions: Readonly<Record<string, string>>;
}

/**
 * Engine modules that decide *whether* and *where* work runs, not *what* it computes. Files in
 * engine/ that shape results (compute kernels, the random source, table building) stay in.
 */
export function isOrchestrationModule(projectRelative: string): boolean {
  if (!projectRelative.startsWith('engine/')) return false;
  return !/^engine\/(compute\/|random\.ts$|table\.ts$|ports\.ts$)/.test(projectRelative);
}

function packageName(specifier: string): string | undefined {
  if (specifier.startsWith('node:') || specifier.startsWith('.') || specifier.startsWith('/')) return undefined;
  const parts = specifier.split('/');
  return specifier.startsWith('@') ? parts.slice(0, 2).join('/') : parts[0];
}

const normalisedCache = new Map<string, { mtimeMs: number; size: number; hash: string }>();

async function normalisedHash(absPath: string): Promise<string> {
  const st = statSync(absPath);
  const cached = normalisedCache.get(absPath);
  if (cached && cached.mtimeMs === st.mtimeMs && cached.size === st.size) return cached.hash;
  const source = readFileSync(absPath, 'utf8');
  const ext = extname(absPath);
  const loader = ext === '.ts' || ext === '.mts' || ext === '.cts' ? 'ts' : ext === '.json' ? 'json' : 'js';
  let hash: string;
  if (loader === 'json') {
    hash = sha256(JSON.stringify(JSON.parse(source)));
  } else {
    const out = await transform(source, { loader, format: 'esm', minifyWhitespace: true, legalComments: 'none', target: 'es2022' });
    hash = sha256(out.code);
  }
  normalisedCache.set(absPath, { mtimeMs: st.mtimeMs, size: st.size, hash });
  return hash;
}

/** Hash every file under `path` (a file or a directory) by raw bytes: for native sources. */
function rawSourceHashes(path: string, into: Record<string, string>): void {
  const abs = resolve(projectRoot, path);
  const st = statSync(abs, { throwIfNoEntry: false });
  if (!st) return;
  if (st.isDirectory()) {
    for (const entry of readdirSync(abs).sort()) {
      if (entry === 'build' || entry === 'node_modules') continue;
      rawSourceHashes(join(path, entry), into);
    }
  } else {
    into[relative(projectRoot, abs)] = sha256(readFileSync(abs));
  }
}

export interface FingerprintRequest {
  /** the node's module URL (`import.meta.url`) */
  readonly module: string;
  /** extra module URLs whose import graph also counts (e.g. the selected compute backend) */
  readonly extraModules?: readonly string[];
  /** extra project-relative files or directories hashed as raw bytes (native sources) */
  readonly rawSources?: readonly string[];
}

/**
 * Fingerprint many requests with ONE esbuild pass over all their modules (planning cost is per
 * module, not per task).
 */
export async function fingerprintAll(requests: readonly FingerprintRequest[]): Promise<CodeFingerprint[]> {
  const toPath = (u: string) => (u.startsWith('file:') ? fileURLToPath(u) : resolve(u));
  const entryFiles = [...new Set(requests.flatMap((r) => [r.module, ...(r.extraModules ?? [])]).map(toPath))];
  let metafile;
  try {
    const result = await build({
      entryPoints: entryFiles,
      bundle: true,
      write: false,
      metafile: true,
      platform: 'node',
      format: 'esm',
      packages: 'external',
      outdir: '/fingerprint-out',
      absWorkingDir: projectRoot,
      logLevel: 'silent',
      splitting: true,
    });
    metafile = result.metafile;
  } catch (err) {
    const messages = (err as { errors?: { text: string; location?: { file: string; line: number } }[] }).errors ?? [];
    const first = messages[0];
    throw new Error(
      `cannot fingerprint node code: ${first ? `${first.location ? `${first.location.file}:${first.location.line}: ` : ''}${first.text}` : String(err)}`,
    );
  }
  const inputs = metafile.inputs;
  const rel = (abs: string) => relative(projectRoot, abs).split('\\').join('/');

  const results: CodeFingerprint[] = [];
  for (const req of requests) {
    const files: Record<string, string> = {};
    const deps: Record<string, string> = {};
    const seen = new Set<string>();
    const stack = [req.module, ...(req.extraModules ?? [])].map((u) => rel(toPath(u)));
    while (stack.length > 0) {
      const file = stack.pop()!;
      if (seen.has(file)) continue;
      seen.add(file);
      const entry = inputs[file];
      if (!entry) continue;
      files[file] = await normalisedHash(resolve(projectRoot, file));
      for (const imp of entry.imports) {
        if (imp.external) {
          const pkg = packageName(imp.path);
          if (pkg) deps[pkg] = installedVersion(pkg) ?? 'not-installed';
        } else if (!isOrchestrationModule(imp.path)) {
          stack.push(imp.path);
        }
      }
    }
    for (const raw of req.rawSources ?? []) rawSourceHashes(raw, files);
    const sortedFiles = Object.fromEntries(Object.entries(files).sort(([a], [b]) => a.localeCompare(b)));
    const sortedDeps = Object.fromEntries(Object.entries(deps).sort(([a], [b]) => a.localeCompare(b)));
    results.push({
      code: sha256(JSON.stringify(sortedFiles)),
      deps: sha256(JSON.stringify(sortedDeps)),
      files: sortedFiles,
      depVersions: sortedDeps,
    });
  }
  return results;
}
