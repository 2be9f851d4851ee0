// What decides tsx's output for a file, besides the file's URL and bytes: tsx's and esbuild's
// versions, Node's, and the tsconfig tsx reads (tsconfig.json found upward from the working
// directory, or TSX_TSCONFIG_PATH) with every config it extends. A config this cannot follow (an
// `extends` it cannot resolve, a file it cannot read) gives no key, and then every file goes to tsx.
import { existsSync, lstatSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { homedir } from 'node:os';
import { dirname, isAbsolute, join, resolve } from 'node:path';

/** Bump when what this layer stores changes meaning. */
const LAYOUT = 1;

const requireHere = createRequire(import.meta.url);

/**
 * The user's own cache folder ($XDG_CACHE_HOME, else ~/.cache), never a shared temporary one:
 * another user who could write there could put code in the entries this process runs.
 */
export function transformCacheDir() {
  const base = process.env.XDG_CACHE_HOME && isAbsolute(process.env.XDG_CACHE_HOME) ? process.env.XDG_CACHE_HOME : join(homedir(), '.cache');
  return join(base, 'featureflow', 'ts-transforms');
}

/** Whether the folder is this user's and no one else's to write (checked once per process before use). */
export function ownFolder(dir) {
  try {
    const st = lstatSync(dir);
    const mine = typeof process.getuid !== 'function' || st.uid === process.getuid();
    return st.isDirectory() && mine && (st.mode & 0o022) === 0;
  } catch {
    return false;
  }
}

function versionOf(require, pkg) {
  return JSON.parse(readFileSync(require.resolve(`${pkg}/package.json`), 'utf8')).version;
}

/** The first `dir/<name>` up to the root (engine/find-up.ts is the TypeScript side's). */
export function findUp(dir, name) {
  for (;;) {
    const candidate = join(dir, name);
    if (existsSync(candidate)) return candidate;
    const parent = dirname(dir);
    if (parent === dir) return undefined;
    dir = parent;
  }
}

/** JSON-with-comments text without its comments (strings kept whole), as TypeScript reads a tsconfig. */
function withoutComments(text) {
  let out = '';
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (c === '"') {
      const end = /"(?:[^"\\]|\\.)*"/y;
      end.lastIndex = i;
      const m = end.exec(text);
      const str = m ? m[0] : text.slice(i);
      out += str;
      i += str.length - 1;
    } else if (c === '/' && text[i + 1] === '/') {
      while (i < text.length && text[i] !== '\n') i++;
      out += '\n';
    } else if (c === '/' && text[i + 1] === '*') {
      const close = text.indexOf('*/', i + 2);
      i = close < 0 ? text.length : close + 1;
      out += ' ';
    } else out += c;
  }
  return out;
}

/** The `extends` entries of a tsconfig's text (JSON with comments), or null when they cannot be read. */
function extendsOf(text) {
  const m = /"extends"\s*:\s*("(?:[^"\\]|\\.)*"|\[[^\]]*\])/.exec(withoutComments(text));
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
