/**
 * The fingerprint cache: what a module's source says about its code fingerprint (its normalised
 * hash, and the slice of each node it defines), kept in the store by the source's content. A
 * rerun then neither re-normalises (esbuild) nor re-parses (acorn) a file it has seen; the import
 * graph is still walked afresh, so which files count is never taken from the cache.
 *
 * An entry is found by the hash of the raw source bytes together with everything else that shapes
 * the facts: the fingerprint algorithm's own sources and esbuild's version. It is sealed with a
 * hash of its body, so a torn or edited entry is a miss, never a wrong fingerprint. On a store
 * that cannot be written (read-only, full) facts are computed afresh and kept in memory only.
 */
import { randomUUID } from 'node:crypto';
import { mkdirSync, readFileSync, renameSync, statSync, unlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { sha256 } from './hash.ts';
import { sourceOf } from './dist-source.ts';
import type { CodeFingerprint } from './fingerprint.ts';
import { installedVersion } from './project.ts';

export interface SliceFacts {
  /** sha256 of the slice's normalised text */
  readonly textHash: string;
  /** the import specifiers the slice uses */
  readonly imports: readonly string[];
}

export interface ModuleFacts {
  /** sha256 of the normalised module */
  readonly hash: string;
  /** node name → its slice, or null when the whole module counts for it */
  readonly slices: Readonly<Record<string, SliceFacts | null>>;
}

const FORMAT = 'featureflow-fingerprint-facts/1';

/** The algorithm's identity: its own sources (a dev checkout edits them without a version bump) and esbuild's version. */
let algorithmId: string | undefined;
function algorithm(): string {
  if (algorithmId === undefined) {
    const own = ['./fingerprint.ts', './code-slice.ts', './fingerprint-cache.ts'].map((f) => readFileSync(sourceOf(fileURLToPath(new URL(f, import.meta.url)))));
    algorithmId = sha256(`${FORMAT}\0${installedVersion('esbuild') ?? '?'}\0${own.map((b) => sha256(b)).join('\0')}`);
  }
  return algorithmId;
}

export class FingerprintCache {
  private readonly memory = new Map<string, unknown>();
  private writable: boolean;

  /** `dir` undefined: memory only (no store) */
  constructor(private readonly dir: string | undefined, options: { write?: boolean } = {}) {
    this.writable = dir !== undefined && options.write !== false;
  }

  /** The entry id of a source: the hash of its bytes and its kind, under this algorithm. */
  keyOf(sourceHash: string, extension: string): string {
    return sha256(`${algorithm()}\0${extension}\0${sourceHash}`);
  }

  get(key: string): ModuleFacts | undefined {
    return this.read<ModuleFacts>(key, (f) => typeof f.hash === 'string' && typeof f.slices === 'object');
  }

  set(key: string, facts: ModuleFacts): void {
    this.write(key, facts);
  }

  /**
   * A whole fingerprint, when everything it was computed from is as it was: every file it
   * covers has the same bytes, no directory it looked in has gained or lost an entry (which
   * could change what an import resolves to), and every package has the same version.
   */
  getFingerprint(request: string, checked: WitnessMemo = new Map()): CodeFingerprint | undefined {
    const key = sha256(`${algorithm()}\0fingerprint\0${request}`);
    const entry = this.read<FingerprintEntry>(key, (e) => typeof e.fingerprint?.code === 'string' && typeof e.witness?.files === 'object');
    return entry && witnessHolds(entry.witness, checked) ? entry.fingerprint : undefined;
  }

  setFingerprint(request: string, fingerprint: CodeFingerprint, witness: Witness): void {
    this.write(sha256(`${algorithm()}\0fingerprint\0${request}`), { fingerprint, witness });
  }

  private read<T>(key: string, valid: (value: T) => boolean): T | undefined {
    const hit = this.memory.get(key) as T | undefined;
    if (hit !== undefined || !this.dir) return hit;
    const value = readEntry<T>(join(this.dir, `${key}.json`), key, valid);
    if (value !== undefined) this.memory.set(key, value);
    return value;
  }

  /** Keep a value; on disk best effort (a cache that cannot be written only costs time). */
  private write(key: string, facts: unknown): void {
    this.memory.set(key, facts);
    if (!this.dir || !this.writable) return;
    const body = JSON.stringify({ key, facts });
    const tmp = join(this.dir, `.${key}.${randomUUID()}.tmp`);
    try {
      mkdirSync(this.dir, { recursive: true });
      writeFileSync(tmp, `${JSON.stringify({ format: FORMAT, seal: sha256(body), body })}\n`);
      renameSync(tmp, join(this.dir, `${key}.json`));
    } catch {
      this.writable = false; // read-only or full: compute afresh from here on, say nothing
      try {
        unlinkSync(tmp);
      } catch {
        /* never written */
      }
    }
  }
}

function readEntry<T>(path: string, key: string, valid: (value: T) => boolean): T | undefined {
  try {
    const entry = JSON.parse(readFileSync(path, 'utf8')) as { format?: unknown; seal?: unknown; body?: unknown };
    if (entry.format !== FORMAT || typeof entry.body !== 'string' || entry.seal !== sha256(entry.body)) return undefined;
    const body = JSON.parse(entry.body) as { key?: unknown; facts?: T };
    return body.key === key && body.facts !== undefined && body.facts !== null && valid(body.facts) ? body.facts : undefined;
  } catch {
    return undefined;
  }
}

/** What a fingerprint was computed from (absolute paths): checked before a cached one is used. */
export interface Witness {
  /** file → sha256 of its raw bytes */
  readonly files: Record<string, string>;
  /** directory → its mtime (an entry added or removed changes it) */
  readonly dirs: Record<string, number>;
  /** npm package → installed version */
  readonly packages: Record<string, string>;
}

interface FingerprintEntry {
  readonly fingerprint: CodeFingerprint;
  readonly witness: Witness;
}

export function newWitness(): Witness {
  return { files: {}, dirs: {}, packages: {} };
}

/** What one batch of lookups has already read (many nodes share their modules): path → mtime or hash. */
export type WitnessMemo = Map<string, number | string>;

function witnessHolds(w: Witness, seen: WitnessMemo): boolean {
  const once = <T extends number | string>(key: string, read: () => T): T => {
    if (!seen.has(key)) seen.set(key, read());
    return seen.get(key) as T;
  };
  try {
    for (const [dir, mtime] of Object.entries(w.dirs)) if (once(`d\0${dir}`, () => statSync(dir).mtimeMs) !== mtime) return false;
    for (const [file, hash] of Object.entries(w.files)) if (once(`f\0${file}`, () => sha256(readFileSync(file))) !== hash) return false;
    for (const [pkg, version] of Object.entries(w.packages)) if ((installedVersion(pkg) ?? 'not-installed') !== version) return false;
    return true;
  } catch {
    return false; // a file or directory gone
  }
}

/** Where a store keeps the cache (`cache/code/`); deleting it at any time only costs time. */
export function fingerprintCacheDir(storeRoot: string): string {
  return join(storeRoot, 'cache', 'code');
}

const perStore = new Map<string, FingerprintCache>();

/** The cache of a store: read from it always, written only when the store may be written. */
export function fingerprintCacheOf(store: { readonly root: string; readonly readOnly?: boolean }): FingerprintCache {
  const id = `${store.root}\0${store.readOnly === true}`;
  let cache = perStore.get(id);
  if (!cache) perStore.set(id, (cache = new FingerprintCache(fingerprintCacheDir(store.root), { write: store.readOnly !== true })));
  return cache;
}
