/**
 * A node's params, checked the one way the engine checks them: unknown names are refused, the
 * schema validates and fills defaults, file params add their contents' hashes, and the result
 * has one canonical encoding (the key's `params` component and the seed of the random source).
 * Sweep expansion and `runNode` both come here, so a test sees exactly what a run sees.
 */
import type { z } from 'zod';
import { readFileSync, readdirSync, realpathSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { sha256 } from './hash.ts';
import { canonicalJsonWithTags, CanonicalEncodingError } from './canonical.ts';
import type { AnyNode } from './node.ts';

export type ContentHashCache = Map<string, string | undefined>;

export type CheckedParams =
  | { readonly ok: true; readonly params: unknown; readonly canonical: string }
  | { readonly ok: false; readonly problems: readonly string[] };

export function paramNames(node: AnyNode): string[] {
  return Object.keys((node.params as z.ZodObject).shape);
}

/** Every file under a folder, recursively, by path relative to it; links are followed (DVC, git-annex). */
function folderFiles(root: string, rel = '', seen = new Set<string>()): string[] {
  const real = realpathSync(join(root, rel));
  if (seen.has(real)) return []; // a link cycle
  seen.add(real);
  const out: string[] = [];
  for (const name of readdirSync(join(root, rel)).sort()) {
    const path = rel ? `${rel}/${name}` : name;
    const st = statSync(join(root, path), { throwIfNoEntry: false });
    if (st?.isDirectory()) out.push(...folderFiles(root, path, seen));
    else if (st?.isFile()) out.push(path);
  }
  return out;
}

/** SHA-256 of a file's bytes, or of a folder's files (relative path + hash, recursively); undefined if absent. */
export function contentHash(path: string, cache: ContentHashCache = new Map()): string | undefined {
  const abs = resolve(path);
  if (cache.has(abs)) return cache.get(abs);
  let hash: string | undefined;
  const st = statSync(abs, { throwIfNoEntry: false });
  if (st?.isFile()) hash = sha256(readFileSync(abs));
  else if (st?.isDirectory()) hash = sha256(JSON.stringify(folderFiles(abs).map((f) => [f, sha256(readFileSync(join(abs, f)))])));
  cache.set(abs, hash);
  return hash;
}

/** Names in `raw` that the node's schema does not have (a misspelt param is an error, never dropped). */
export function unknownParamProblems(node: AnyNode, raw: Readonly<Record<string, unknown>>, where: string): string[] {
  const known = new Set(paramNames(node));
  return Object.keys(raw)
    .filter((p) => !known.has(p))
    .map((p) => `${where}: node ${node.name} has no parameter "${p}" (parameters: ${[...known].join(', ')})`);
}

/** Validate one task's raw params; `label` names the task in every message. */
export function checkParams(node: AnyNode, raw: Readonly<Record<string, unknown>>, label: string, cache?: ContentHashCache): CheckedParams {
  const parsed = (node.params as z.ZodObject).safeParse(raw);
  if (!parsed.success) {
    return {
      ok: false,
      problems: parsed.error.issues.map((issue) => {
        const path = issue.path.map(String).join('.');
        const value = issue.path.length > 0 ? raw[String(issue.path[0])] : raw;
        return `${label}: parameter ${path || '(params)'}=${JSON.stringify(value)}: ${issue.message} (node ${node.name})`;
      }),
    };
  }
  const data = parsed.data as Record<string, unknown>;
  const contents: Record<string, string> = {};
  const problems: string[] = [];
  for (const fp of node.fileParams ?? []) {
    const path = data[fp];
    if (typeof path !== 'string') continue;
    const hash = contentHash(path, cache);
    if (hash === undefined) problems.push(`${label}: parameter ${fp}=${JSON.stringify(path)}: no such file or folder (from ${process.cwd()})`);
    else contents[fp] = hash;
  }
  if (problems.length > 0) return { ok: false, problems };
  try {
    const canonical = canonicalJsonWithTags(data, Object.keys(contents).length > 0 ? { $contents: contents } : {}, `${label} params`);
    return { ok: true, params: data, canonical };
  } catch (err) {
    if (err instanceof CanonicalEncodingError) return { ok: false, problems: [err.message] };
    throw err;
  }
}
