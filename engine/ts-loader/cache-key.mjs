// What decides tsx's output for a file, besides the file's URL and bytes: tsx's and esbuild's
// versions, Node's, and the tsconfig tsx reads (tsconfig.json found upward from the working
// directory, or TSX_TSCONFIG_PATH) with every config it extends. A config this cannot follow (an
// `extends` it cannot resolve, a file it cannot read) gives no key, and then every file goes to tsx.
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, isAbsolute, join, resolve } from 'node:path';

/** Bump when what this layer stores changes meaning. */
const LAYOUT = 1;

const requireHere = createRequire(import.meta.url);

export function transformCacheDir() {
  const uid = typeof process.getuid === 'function' ? process.getuid() : 'user';
  return join(tmpdir(), `featureflow-${uid}`, 'ts-transforms');
}

function versionOf(require, pkg) {
  return JSON.parse(readFileSync(require.resolve(`${pkg}/package.json`), 'utf8')).version;
}

function findUp(dir, name) {
  for (;;) {
    const candidate = join(dir, name);
    if (existsSync(candidate)) return candidate;
    const parent = dirname(dir);
    if (parent === dir) return undefined;
    dir = parent;
  }
}

/** The `extends` entries of a tsconfig's text (JSON with comments), or null when they cannot be read. */
function extendsOf(text) {
  const m = /"extends"\s*:\s*("(?:[^"\\]|\\.)*"|\[[^\]]*\])/.exec(text);
  if (!m) return [];
  try {
    const value = JSON.parse(m[1]);
    return Array.isArray(value) ? value : [value];
  } catch {
    return null;
  }
}

function resolveExtends(from, spec) {
  const base = dirname(from);
  if (spec.startsWith('.') || isAbsolute(spec)) {
    const path = resolve(base, spec);
    for (const candidate of [path, `${path}.json`, join(path, 'tsconfig.json')]) if (existsSync(candidate) && !candidate.endsWith('/')) return candidate;
    return undefined;
  }
  // a package: its package.json "tsconfig" field, else the file the name spells (TypeScript's order)
  const require = createRequire(from);
  const attempt = (f) => {
    try {
      return f();
    } catch {
      return undefined;
    }
  };
  const manifest = attempt(() => require.resolve(`${spec}/package.json`));
  const field = manifest && attempt(() => JSON.parse(readFileSync(manifest, 'utf8')).tsconfig);
  if (typeof field === 'string') return resolve(dirname(manifest), field);
  for (const candidate of spec.endsWith('.json') ? [spec] : [`${spec}.json`, `${spec}/tsconfig.json`]) {
    const found = attempt(() => require.resolve(candidate));
    if (found) return found;
  }
  return undefined;
}

/** Path and text of the tsconfig and everything it extends, or null when the chain cannot be followed. */
function tsconfigChain() {
  const first = process.env.TSX_TSCONFIG_PATH ? resolve(process.env.TSX_TSCONFIG_PATH) : findUp(process.cwd(), 'tsconfig.json');
  if (!first) return [];
  const chain = [];
  const pending = [first];
  while (pending.length > 0) {
    const path = pending.shift();
    if (chain.length > 32 || chain.some((c) => c.path === path)) return null;
    let text;
    try {
      text = readFileSync(path, 'utf8');
    } catch {
      return null;
    }
    chain.push({ path, text });
    const parents = extendsOf(text);
    if (parents === null) return null;
    for (const spec of parents) {
      const parent = typeof spec === 'string' ? resolveExtends(path, spec) : undefined;
      if (!parent) return null;
      pending.push(parent);
    }
  }
  return chain;
}

let chainMemo;
function chain() {
  if (chainMemo === undefined) chainMemo = tsconfigChain();
  return chainMemo;
}

/** True when the tsconfig maps bare specifiers itself (paths, baseUrl): those resolve through tsx. */
export function tsconfigAliases() {
  const c = chain();
  return c === null || c.some(({ text }) => /"(?:paths|baseUrl)"\s*:/.test(text));
}

/** The key material shared by every file, or null when it cannot be known. */
export function transformConfigKey() {
  const c = chain();
  if (c === null) return null;
  try {
    const tsxRequire = createRequire(requireHere.resolve('tsx/package.json'));
    const parts = [`layout ${LAYOUT}`, `tsx ${versionOf(requireHere, 'tsx')}`, `esbuild ${versionOf(tsxRequire, 'esbuild')}`, `node ${process.version}`];
    for (const { path, text } of c) parts.push(`tsconfig ${path}\n${text}`);
    return parts.join('\n');
  } catch {
    return null;
  }
}
