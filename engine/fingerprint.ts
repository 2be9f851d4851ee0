/**
 * Code fingerprints (docs/key-spec.md, "code" and "deps"). A node's fingerprint covers the code
 * its `run` can reach: in its own module, the slice that defines it (code-slice.ts: its
 * definition and the top-level code it uses, not the neighbouring nodes or the pipeline wiring);
 * beyond it, every project-local module the slice imports, transitively and whole — minus the
 * engine's orchestration modules, which cannot change a result. Each part is hashed in a
 * normalised form (esbuild's whitespace-minified output, which drops comments and formatting),
 * plus the installed versions of the npm packages they import. Comment and whitespace edits
 * therefore keep every key; a behavioural edit to the node or anything it uses changes it.
 */
import { build, transform } from 'esbuild';
import { readFileSync, readdirSync, statSync } from 'node:fs';
import { dirname, extname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { sliceForNode } from './code-slice.ts';
import { sourceOf } from './dist-source.ts';
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

const normalisedCache = new Map<string, { mtimeMs: number; size: number; code: string; hash: string; slices: Map<string, ReturnType<typeof sliceForNode>> }>();

/** A module's normalised text (types, comments and formatting gone), cached by mtime and size. */
async function normalised(absPath: string) {
  const st = statSync(absPath);
  const cached = normalisedCache.get(absPath);
  if (cached && cached.mtimeMs === st.mtimeMs && cached.size === st.size) return cached;
  const source = readFileSync(absPath, 'utf8');
  const ext = extname(absPath);
  const loader = ext === '.ts' || ext === '.mts' || ext === '.cts' ? 'ts' : ext === '.json' ? 'json' : 'js';
  let code: string;
  if (loader === 'json') {
    code = JSON.stringify(JSON.parse(source));
  } else {
    code = (await transform(source, { loader, format: 'esm', minifyWhitespace: true, legalComments: 'none', target: 'es2022' })).code;
  }
  const entry = { mtimeMs: st.mtimeMs, size: st.size, code, hash: sha256(code), slices: new Map() };
  normalisedCache.set(absPath, entry);
  return entry;
}

async function normalisedHash(absPath: string): Promise<string> {
  return (await normalised(absPath)).hash;
}

/** The slice of a module that defines `node`, or undefined when the whole module counts. */
async function nodeSlice(absPath: string, node: string) {
  const n = await normalised(absPath);
  if (!n.slices.has(node)) {
    let slice: ReturnType<typeof sliceForNode>;
    try {
      slice = sliceForNode(n.code, node);
    } catch {
      slice = undefined; // code acorn cannot parse: fall back to the whole module (never less)
    }
    n.slices.set(node, slice);
  }
  return n.slices.get(node);
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

/**
 * The files a computed `import()` may load, by raw bytes: everything under the glob's static
 * prefix folder (for `./models/` followed by a wildcard: everything under `./models/`) with the
 * glob's extension. More than the glob can match, never less.
 */
function globSourceHashes(fromDir: string, glob: string, into: Record<string, string>): void {
  const prefix = glob.slice(0, glob.indexOf('*') >= 0 ? glob.indexOf('*') : glob.length);
  const dir = resolve(fromDir, prefix.endsWith('/') ? prefix : dirname(prefix));
  const ext = extname(glob);
  const walk = (d: string): void => {
    for (const entry of readdirSync(d, { withFileTypes: true })) {
      const abs = join(d, entry.name);
      if (entry.isDirectory() && entry.name !== 'node_modules') walk(abs);
      else if (!ext || abs.endsWith(ext)) into[relative(projectRoot, abs)] = sha256(readFileSync(abs));
    }
  };
  if (statSync(dir, { throwIfNoEntry: false })?.isDirectory()) walk(dir);
}

export interface FingerprintRequest {
  /** the node's module URL (`import.meta.url`) */
  readonly module: string;
  /** the node's name: only the slice of `module` that defines it counts (omit for the whole module) */
  readonly node?: string;
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
  // a compiled module counts as its TS source (dist-source.ts): keys agree between sources and dist/
  const toPath = (u: string) => sourceOf(u.startsWith('file:') ? fileURLToPath(u) : resolve(u));
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
    const root = rel(toPath(req.module));
    const stack = (req.extraModules ?? []).map((u) => rel(toPath(u)));
    /** One import of `file`: a package records its version, a project module is walked, a computed path hashes what it may load. */
    const follow = (file: string, imp: { path: string; external?: boolean }) => {
      if (imp.external && imp.path.startsWith('.')) {
        // import(`./models/${name}.ts`): esbuild keeps it as a glob; every file it may load counts
        globSourceHashes(resolve(projectRoot, dirname(file)), imp.path, files);
      } else if (imp.external) {
        const pkg = packageName(imp.path);
        if (pkg) deps[pkg] = installedVersion(pkg) ?? 'not-installed';
      } else if (!isOrchestrationModule(imp.path)) {
        stack.push(imp.path);
      }
    };
    const slice = req.node && inputs[root] ? await nodeSlice(resolve(projectRoot, root), req.node) : undefined;
    if (slice) {
      seen.add(root);
      files[`${root}#${req.node}`] = sha256(slice.text);
      for (const imp of inputs[root]!.imports) if (slice.imports.includes(imp.original ?? imp.path)) follow(root, imp);
    } else {
      stack.push(root);
    }
    while (stack.length > 0) {
      const file = stack.pop()!;
      if (seen.has(file)) continue;
      seen.add(file);
      const entry = inputs[file];
      if (!entry) continue;
      files[file] = await normalisedHash(resolve(projectRoot, file));
      for (const imp of entry.imports) follow(file, imp);
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
