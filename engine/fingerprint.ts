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
import { readFileSync, readdirSync, statSync } from 'node:fs';
import { dirname, extname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { sourceOf } from './dist-source.ts';
import { FingerprintCache, newWitness, type ModuleFacts, type SliceFacts, type Witness } from './fingerprint-cache.ts';
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

const memoryOnly = new FingerprintCache(undefined);

/** The module's normalised text: types, comments and formatting gone. */
async function normalise(source: string, ext: string): Promise<string> {
  if (ext === '.json') return JSON.stringify(JSON.parse(source));
  const loader = ext === '.ts' || ext === '.mts' || ext === '.cts' ? 'ts' : ext === '.tsx' ? 'tsx' : ext === '.jsx' ? 'jsx' : 'js';
  const { transform } = await import('esbuild'); // loaded only on a cache miss
  return (await transform(source, { loader, format: 'esm', minifyWhitespace: true, legalComments: 'none', target: 'es2022' })).code;
}

/**
 * What a module says about fingerprints, from the cache by its content, else computed: its
 * normalised hash and, for each of `nodes`, the slice that defines it (undefined: whole module).
 */
async function moduleFacts(absPath: string, nodes: readonly string[], cache: FingerprintCache, witness: Witness): Promise<ModuleFacts> {
  const bytes = readFileSync(absPath);
  const source = bytes.toString('utf8');
  const ext = extname(absPath);
  const sourceHash = sha256(bytes);
  witness.files[absPath] = sourceHash;
  noteDir(dirname(absPath), witness);
  const key = cache.keyOf(sourceHash, ext);
  const known = cache.get(key);
  if (known && nodes.every((n) => n in known.slices)) return known;
  const code = await normalise(source, ext);
  const slices: Record<string, SliceFacts | null> = { ...known?.slices };
  for (const node of nodes) if (!(node in slices)) slices[node] = await sliceFacts(code, node);
  const facts = { hash: known?.hash ?? sha256(code), slices };
  cache.set(key, facts);
  return facts;
}

async function sliceFacts(code: string, node: string): Promise<SliceFacts | null> {
  const { sliceForNode } = await import('./code-slice.ts'); // acorn: loaded only on a cache miss
  try {
    const slice = sliceForNode(code, node);
    return slice ? { textHash: sha256(slice.text), imports: slice.imports } : null;
  } catch {
    return null; // code acorn cannot parse: the whole module counts (never less)
  }
}

/** A file by raw bytes into `into`, and into the witness (which also notes its folder). */
function hashRaw(abs: string, into: Record<string, string>, witness: Witness): void {
  const hash = sha256(readFileSync(abs));
  into[relative(projectRoot, abs)] = hash;
  witness.files[abs] = hash;
  noteDir(dirname(abs), witness);
}

/**
 * A folder's mtime, which changes when an entry is added or removed. One changed within the last
 * few seconds is recorded as unknown (a miss next time): on a filesystem with coarse timestamps a
 * file added in the same tick would not move it (git's "racily clean" problem).
 */
function noteDir(abs: string, witness: Witness): void {
  if (abs in witness.dirs) return;
  const mtime = statSync(abs).mtimeMs;
  witness.dirs[abs] = Date.now() - mtime < RACY_MS ? -1 : mtime;
}
const RACY_MS = 3000;

/** Hash every file under `path` (a file or a directory) by raw bytes: for native sources. */
function rawSourceHashes(path: string, into: Record<string, string>, witness: Witness): void {
  const abs = resolve(projectRoot, path);
  const st = statSync(abs, { throwIfNoEntry: false });
  if (!st) return noteDir(dirname(abs), witness); // absent now: its appearance changes the folder
  if (st.isDirectory()) {
    noteDir(abs, witness);
    for (const entry of readdirSync(abs).sort()) {
      if (entry === 'build' || entry === 'node_modules') continue;
      rawSourceHashes(join(path, entry), into, witness);
    }
  } else {
    hashRaw(abs, into, witness);
  }
}

/**
 * The files a computed `import()` may load, by raw bytes: everything under the glob's static
 * prefix folder (for `./models/` followed by a wildcard: everything under `./models/`) with the
 * glob's extension. More than the glob can match, never less.
 */
function globSourceHashes(fromDir: string, glob: string, into: Record<string, string>, witness: Witness): void {
  const prefix = glob.slice(0, glob.indexOf('*') >= 0 ? glob.indexOf('*') : glob.length);
  const dir = resolve(fromDir, prefix.endsWith('/') ? prefix : dirname(prefix));
  const ext = extname(glob);
  const walk = (d: string): void => {
    noteDir(d, witness);
    for (const entry of readdirSync(d, { withFileTypes: true })) {
      const abs = join(d, entry.name);
      if (entry.isDirectory() && entry.name !== 'node_modules') walk(abs);
      else if (!ext || abs.endsWith(ext)) hashRaw(abs, into, witness);
    }
  };
  if (statSync(dir, { throwIfNoEntry: false })?.isDirectory()) walk(dir);
  else noteDir(dirname(dir), witness);
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

// a compiled module counts as its TS source (dist-source.ts): keys agree between sources and dist/
const toPath = (u: string) => sourceOf(u.startsWith('file:') ? fileURLToPath(u) : resolve(u));
const rel = (abs: string) => relative(projectRoot, abs).split('\\').join('/');

/** The request as the cache knows it: project-relative, so a moved checkout finds its entries. */
function requestId(r: FingerprintRequest): string {
  return JSON.stringify([rel(toPath(r.module)), r.node ?? null, (r.extraModules ?? []).map((u) => rel(toPath(u))), r.rawSources ?? []]);
}

/**
 * Fingerprint many requests. A request whose cached fingerprint still holds (the cache's witness:
 * same bytes, same folders, same package versions) costs a few reads; the rest share ONE esbuild
 * pass over all their modules (planning cost is per module, not per task).
 */
export async function fingerprintAll(requests: readonly FingerprintRequest[], cache: FingerprintCache = memoryOnly): Promise<CodeFingerprint[]> {
  const checked = new Map<string, number | string>(); // each shared file read and hashed once per batch
  const results: (CodeFingerprint | undefined)[] = requests.map((r) => cache.getFingerprint(requestId(r), checked));
  const misses = requests.flatMap((r, i) => (results[i] ? [] : [{ r, i }]));
  if (misses.length === 0) return results as CodeFingerprint[];
  const inputs = await moduleGraph(misses.map((m) => m.r));
  for (const { r, i } of misses) {
    const witness = newWitness();
    results[i] = await fingerprintOne(r, inputs, cache, witness);
    cache.setFingerprint(requestId(r), results[i]!, witness);
  }
  return results as CodeFingerprint[];
}

type ModuleGraph = Record<string, { readonly imports: readonly { readonly path: string; readonly external?: boolean; readonly original?: string }[] }>;

/** esbuild's view of what the requests' modules import, project-relative. */
async function moduleGraph(requests: readonly FingerprintRequest[]): Promise<ModuleGraph> {
  const entryFiles = [...new Set(requests.flatMap((r) => [r.module, ...(r.extraModules ?? [])]).map(toPath))];
  try {
    const { build } = await import('esbuild');
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
    return result.metafile.inputs;
  } catch (err) {
    const messages = (err as { errors?: { text: string; location?: { file: string; line: number } }[] }).errors ?? [];
    const first = messages[0];
    throw new Error(
      `cannot fingerprint node code: ${first ? `${first.location ? `${first.location.file}:${first.location.line}: ` : ''}${first.text}` : String(err)}`,
    );
  }
}

/** Files whose change may change what an import resolves to (tsconfig paths, package imports). */
const RESOLUTION_CONFIG = ['tsconfig.json', 'package.json'];

async function fingerprintOne(req: FingerprintRequest, inputs: ModuleGraph, cache: FingerprintCache, witness: Witness): Promise<CodeFingerprint> {
  const files: Record<string, string> = {};
  const deps: Record<string, string> = {};
  const seen = new Set<string>();
  const root = rel(toPath(req.module));
  const stack = (req.extraModules ?? []).map((u) => rel(toPath(u)));
  for (const f of RESOLUTION_CONFIG) rawSourceHashes(f, {}, witness);
  /** One import of `file`: a package records its version, a project module is walked, a computed path hashes what it may load. */
  const follow = (file: string, imp: { path: string; external?: boolean }) => {
    if (imp.external && imp.path.startsWith('.')) {
      // import(`./models/${name}.ts`): esbuild keeps it as a glob; every file it may load counts
      globSourceHashes(resolve(projectRoot, dirname(file)), imp.path, files, witness);
    } else if (imp.external) {
      const pkg = packageName(imp.path);
      if (pkg) deps[pkg] = witness.packages[pkg] = installedVersion(pkg) ?? 'not-installed';
    } else if (!isOrchestrationModule(imp.path)) {
      stack.push(imp.path);
    }
  };
  const slice = req.node && inputs[root] ? (await moduleFacts(resolve(projectRoot, root), [req.node], cache, witness)).slices[req.node] : undefined;
  if (slice) {
    seen.add(root);
    files[`${root}#${req.node}`] = slice.textHash;
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
    files[file] = (await moduleFacts(resolve(projectRoot, file), [], cache, witness)).hash;
    for (const imp of entry.imports) follow(file, imp);
  }
  for (const raw of req.rawSources ?? []) rawSourceHashes(raw, files, witness);
  const sortedFiles = Object.fromEntries(Object.entries(files).sort(([a], [b]) => a.localeCompare(b)));
  const sortedDeps = Object.fromEntries(Object.entries(deps).sort(([a], [b]) => a.localeCompare(b)));
  return {
    code: sha256(JSON.stringify(sortedFiles)),
    deps: sha256(JSON.stringify(sortedDeps)),
    files: sortedFiles,
    depVersions: sortedDeps,
  };
}
