// Module hooks for TypeScript: a user's pipeline and nodes, and in a development checkout the
// engine's own sources. tsx compiles; this layer keeps tsx's output in a cache keyed by everything
// that decides it, so a command whose files did not change never loads tsx. Node 20 runs hooks on
// their own thread, and loading tsx there (with esbuild's API) costs about 40 ms of every start;
// importing its registration API in the main thread another 45 ms.
//
// A hit returns the very source tsx returned for the same bytes, URL, format, tsconfig and
// versions (cache-key.mjs). Everything else reaches tsx's own resolve and load, as when tsx is
// registered alone, with two exceptions: a package's JavaScript (under node_modules, or
// featureflow's own dist/) loads as Node loads it (tsx would only add its CommonJS interop to
// dynamic import() calls), and a bare name resolves by Node's rules first unless the tsconfig maps
// names itself (paths, baseUrl).
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { findUp, transformConfigKey, tsconfigAliases } from './cache-key.mjs';
import { readTransform, writeTransform } from './transform-store.mjs';

/** TypeScript and JSX: always compiled, wherever they live. */
const COMPILED = /\.(?:[cm]?tsx?|jsx)$/;

let options = { sourceExports: false, compiledPackage: undefined };
let tsxHooks;
let configKey;

export function initialize(data) {
  options = { ...options, ...data };
}

/** tsx's own hooks, loaded in this thread on first need and initialised as its register() would. */
async function tsx() {
  if (!tsxHooks) {
    const hooks = await import('tsx/esm');
    await hooks.initialize({});
    tsxHooks = hooks;
  }
  return tsxHooks;
}

// tsx resolves a module's imports of CommonJS files by looking at the module's compiled code,
// which it keeps from its own load. A module served from the cache never reached tsx: before
// tsx resolves for it, tsx compiles it once (its answer is dropped; the cached one is the same).
const servedFromCache = new Map();
async function tsxFor(parentURL) {
  const hooks = await tsx();
  const context = parentURL === undefined ? undefined : servedFromCache.get(parentURL);
  if (context) {
    servedFromCache.delete(parentURL);
    await hooks.load(parentURL, context, async (url, c) => ({ format: c.format ?? 'module', source: readFileSync(new URL(url)), shortCircuit: true }));
  }
  return hooks;
}

// In a development checkout `import … from 'featureflow'` (and its subpaths) means the TS sources,
// not dist/, which may be missing or stale and would load a second engine beside the one running.
function withSourceConditions(specifier, context) {
  if (!options.sourceExports || (specifier !== 'featureflow' && !specifier.startsWith('featureflow/'))) return context;
  return { ...context, conditions: [...context.conditions, 'featureflow-sources'] };
}

const isBare = (specifier) => !/^(?:\.{0,2}\/|[a-z][\w+.-]*:|#)/i.test(specifier);
const inPackage = (url) => url !== undefined && (url.includes('/node_modules/') || (options.compiledPackage !== undefined && url.startsWith(options.compiledPackage)));

/** When tsx must resolve: its own scheme, a query, or a bare name a tsconfig may alias. */
function tsxResolves(specifier, context) {
  if (specifier.startsWith('tsx://') || specifier.includes('?')) return true;
  return isBare(specifier) && !inPackage(context.parentURL) && tsconfigAliases();
}

const packageTypes = new Map();
/** "module" or "commonjs", as Node (and tsx) decide a .ts file's format: the extension, else the nearest package.json. */
function formatOf(url) {
  if (/\.m[jt]s$/.test(url)) return 'module';
  if (/\.c[jt]s$/.test(url)) return 'commonjs';
  const dir = dirname(fileURLToPath(url));
  if (!packageTypes.has(dir)) {
    const manifest = findUp(dir, 'package.json');
    let type = 'commonjs';
    try {
      if (manifest && JSON.parse(readFileSync(manifest, 'utf8')).type === 'module') type = 'module';
    } catch {
      // an unreadable package.json: Node's default
    }
    packageTypes.set(dir, type);
  }
  return packageTypes.get(dir);
}

// This folder's own imports (tsx, esbuild's API) pass through these hooks too: they must go
// straight to Node, or asking tsx to resolve 'tsx/esm' would load tsx to resolve itself
const OWN_FOLDER = new URL('./', import.meta.url).href;

// From a TypeScript file, `./x.js` means x.ts when there is one, even beside a compiled x.js
// (tsx's order, TypeScript's meaning): the source, never a stale build next to it.
const TS_SPELLINGS = { '.js': ['.ts', '.tsx'], '.jsx': ['.tsx', '.ts'], '.mjs': ['.mts'], '.cjs': ['.cts'] };
async function resolveTsFirst(specifier, context, nextResolve) {
  const ext = /\.[cm]?jsx?$/.exec(specifier)?.[0];
  const relative = /^(?:\.{0,2}\/|file:)/.test(specifier);
  if (ext && relative && COMPILED.test(context.parentURL ?? '')) {
    for (const ts of TS_SPELLINGS[ext]) {
      try {
        return await nextResolve(specifier.slice(0, -ext.length) + ts, context);
      } catch {
        // no such TypeScript file: the next spelling, then the one written
      }
    }
  }
  return nextResolve(specifier, context);
}

export async function resolve(specifier, context, nextResolve) {
  if (context.parentURL?.startsWith(OWN_FOLDER)) return nextResolve(specifier, context);
  const ctx = withSourceConditions(specifier, context);
  if (tsxResolves(specifier, ctx)) return (await tsxFor(ctx.parentURL)).resolve(specifier, ctx, nextResolve);
  let resolved;
  try {
    resolved = await resolveTsFirst(specifier, ctx, nextResolve);
  } catch {
    // an extensionless or directory import, and the rest of tsx's rules
    return (await tsxFor(ctx.parentURL)).resolve(specifier, ctx, nextResolve);
  }
  if (!resolved.url.startsWith('file:') || !COMPILED.test(resolved.url)) return resolved;
  // an ES module in TypeScript is ours; tsx keeps its own bookkeeping for CommonJS ones
  if (formatOf(resolved.url) !== 'module') return (await tsxFor(ctx.parentURL)).resolve(specifier, ctx, nextResolve);
  return { ...resolved, format: 'module' };
}

function keyFor(url, context, source) {
  configKey ??= transformConfigKey();
  if (configKey === null) return undefined; // a tsconfig this layer cannot follow: always ask tsx
  const how = JSON.stringify([context.format ?? null, context.conditions ?? [], context.importAttributes ?? {}]);
  return createHash('sha256').update(configKey).update('\0').update(how).update('\0').update(url).update('\0').update(source).digest('hex');
}

/** tsx's answer for a file, from the cache when tsx gave plain ES-module source for the same inputs before. */
async function throughTsx(url, context, nextLoad) {
  let source;
  try {
    source = readFileSync(new URL(url));
  } catch {
    return (await tsx()).load(url, context, nextLoad); // tsx (or Node) reports the missing file
  }
  const key = keyFor(url, context, source);
  const hit = key ? readTransform(key) : undefined;
  if (hit !== undefined) {
    servedFromCache.set(url, context);
    return { format: 'module', source: hit, shortCircuit: true };
  }
  // tsx reads the file again: a save in between must not store the new code under the old bytes
  let compiledBytes;
  const loaded = await (await tsx()).load(url, context, async (u, c) => {
    const next = await nextLoad(u, c);
    if (u === url) compiledBytes = next.source;
    return next;
  });
  const same = compiledBytes != null && Buffer.from(compiledBytes).equals(source);
  const plain = Object.entries(loaded).every(([k, v]) => k === 'format' || k === 'source' || k === 'shortCircuit' || (k === 'responseURL' && v === url));
  if (key && same && plain && loaded.format === 'module' && loaded.source != null) {
    writeTransform(key, typeof loaded.source === 'string' ? loaded.source : Buffer.from(loaded.source).toString('utf8'));
  }
  return loaded;
}

export async function load(url, context, nextLoad) {
  if (!url.startsWith('file:')) return nextLoad(url, context);
  // a query or hash: tsx's own bookkeeping (CommonJS interop) for any file
  if (url.includes('?') || url.includes('#')) return (await tsx()).load(url, context, nextLoad);
  // a package's own JavaScript needs no compiler (JSON still gets tsx's import-attribute leniency)
  if (inPackage(url) && !COMPILED.test(url) && !url.endsWith('.json')) return nextLoad(url, context);
  return throughTsx(url, context, nextLoad);
}
