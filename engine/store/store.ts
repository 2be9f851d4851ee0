/**
 * The content-addressed store:
 *   objects/ab/cdef…   bytes named by their SHA-256, verified on every read
 *   tasks/ab/<key>.json task records (lineage), written after the object
 *   runs/<pipeline>/    one record per run (what it reached: gc roots, explain history)
 *   locks/<key>.lock    per-task locks between concurrent runs (locks.ts)
 *   active/             runs in progress and gc --delete (activity.ts)
 *   processes/<id>      each writing process's identity and heartbeat (heartbeat.ts)
 *   tmp/                temporary files of atomic writes, named by their process (atomic.ts)
 *   store.json          the store's id (store-id.ts)
 *
 * Many hosts may share one store directory (docs/store.md, "A store many hosts share"): a
 * worker on any of them stages and commits its objects and writes the task record itself, and
 * committing the same object or record twice (a task that ran twice) keeps the first.
 */
import { constants } from 'node:fs';
import { randomUUID } from 'node:crypto';
import { access, mkdir, readFile, readdir, stat, unlink, writeFile } from 'node:fs/promises';
import { readFileSync, readdirSync, unlinkSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { sha256 } from '../hash.ts';
import { AtomicWriteError, commitStagedNoReplace, discardTemp, fsyncPath, replaceWith, stageFile, TMP_OWNER, writeFileAtomic } from './atomic.ts';
import { CorruptObjectError, MissingObjectError, StoreError, fixFor, storeFailure } from './errors.ts';
import { beginRun, type BeginRunOptions, type RunMarker } from './activity.ts';
import { registerProcess } from './heartbeat.ts';
import { sweepOrphans } from './orphans.ts';
import { PROCESS_ID } from './process-identity.ts';
import { readExpected } from './stale-lookup.ts';
import { ensureStoreId, readStoreId } from './store-id.ts';
import { tryLock, type HeldLock, type LockAttempt } from './locks.ts';
import { checkSeal, sealRecord } from './record-seal.ts';
import { isTaskRecord, type TaskRecord } from './records.ts';

export type ObjectState = 'ok' | 'missing' | 'corrupt';

/**
 * Errors that mean "what sits at this path is not a readable file of ours" (a directory, a
 * symlink loop, a path through a file): the entry is corrupt, reported and recomputed, never a
 * crash. Permission and I/O errors are not: they are the user's to fix, so they stay StoreErrors.
 */
const NOT_A_FILE = new Set(['EISDIR', 'ELOOP', 'ENOTDIR', 'ENAMETOOLONG']);

function errnoOf(err: unknown): string | undefined {
  return (err as NodeJS.ErrnoException | undefined)?.code;
}

/**
 * When writes reach the disk. `each`: fsync every object and record before its rename.
 * `batch` (default): rename at once, and fsync everything written since the last flush together
 * a few milliseconds later and before the run ends — concurrent fsyncs share one journal commit,
 * so durability costs a fraction of `each`; a power cut inside that window can leave a torn file,
 * which the hash check on every read finds and recomputes, never uses. `none`: leave it to the OS.
 */
export type Durability = 'each' | 'batch' | 'none';

export interface StoreOptions {
  readonly durability?: Durability;
  /** @deprecated use durability; false = 'none' */
  readonly fsync?: boolean;
  /** open an existing store without writing to it (gc's dry run, verify without --recompute) */
  readonly readOnly?: boolean;
}

export interface RecordReadOptions {
  /**
   * The caller knows the record was written (a remote worker reported the task done): a miss is
   * retried briefly before it counts as absent (stale-lookup.ts).
   */
  readonly expected?: boolean;
}

export class Store {
  readonly root: string;
  readonly durability: Durability;
  readonly readOnly: boolean;
  /** the store's id (store.json); undefined only for a store made before ids, opened read-only */
  id: string | undefined;
  private readonly fsync: boolean;
  private pending: string[] = [];
  private flushTimer: NodeJS.Timeout | undefined;
  private flushing: Promise<void> = Promise.resolve();

  private constructor(root: string, options: StoreOptions) {
    this.root = resolve(root);
    this.durability = options.durability ?? (options.fsync === false ? 'none' : 'batch');
    this.fsync = this.durability === 'each';
    this.readOnly = options.readOnly ?? false;
  }

  /** Wrap an OS error on `path` as a StoreError naming the path, this store and the fix. */
  failure(err: unknown, action: string, path: string): StoreError {
    if (err instanceof AtomicWriteError) return storeFailure(err.cause, err.action, err.path, this.root);
    return storeFailure(err, action, path, this.root);
  }

  private assertWritable(what: string): void {
    if (this.readOnly) throw new StoreError(`store ${this.root} was opened read-only: cannot ${what}`, { store: this.root });
  }

  private written(path: string): void {
    if (this.durability !== 'batch') return;
    this.pending.push(path);
    this.flushTimer ??= setTimeout(() => {
      this.flushTimer = undefined;
      void this.flush();
    }, 5);
  }

  /** fsync every file written since the last flush (batch durability); resolves when on disk. */
  async flush(): Promise<void> {
    if (this.flushTimer) {
      clearTimeout(this.flushTimer);
      this.flushTimer = undefined;
    }
    const batch = this.pending;
    this.pending = [];
    const previous = this.flushing;
    this.flushing = (async () => {
      await previous;
      for (let i = 0; i < batch.length; i += 64) {
        await Promise.all(
          batch.slice(i, i + 64).map((p) => fsyncPath(p).catch(() => undefined)), // gone (gc, another run): nothing to do
        );
      }
    })();
    await this.flushing;
  }

  /** Open (creating if needed) a store; a store that cannot be written is a clear error. */
  static async open(root: string, options: StoreOptions = {}): Promise<Store> {
    const store = new Store(root, options);
    if (store.readOnly) {
      const st = await stat(join(store.root, 'objects')).catch(() => undefined);
      if (!st?.isDirectory()) throw new StoreError(`no store at ${store.root} (no objects/ directory): pass the store with --store DIR`, { store: store.root, path: store.root });
      store.id = readStoreId(store.root);
      return store;
    }
    try {
      for (const dir of ['objects', 'tasks', 'runs', 'locks', 'tmp']) await mkdir(join(store.root, dir), { recursive: true });
      await store.ensureShards();
      await access(store.root, constants.W_OK);
      // registered before any temp file names us (a pool's workers use their coordinator's record)
      if (TMP_OWNER === PROCESS_ID) registerProcess(store.root);
      // unique per call: worker threads share the pid and open the store at the same moment, and
      // one thread's unlink must never remove another's probe; named by its owner like any temp
      // file, so that a concurrent cleanTmp (orphans.ts) leaves it alone
      const probe = join(store.root, 'tmp', `${TMP_OWNER}.probe-${randomUUID()}.tmp`);
      await writeFile(probe, '');
      await unlink(probe);
    } catch (err) {
      const code = errnoOf(err) ?? 'error';
      const fix = NOT_A_FILE.has(code) ? 'part of that path is a file, not a directory: choose another with --store DIR' : fixFor(code, store.root);
      throw new StoreError(`store directory ${store.root} is not writable (${code}): ${fix}`, { store: store.root, path: store.root, code });
    }
    try {
      store.id = await ensureStoreId(store.root, store.tmpDir, store.durability !== 'none');
    } catch (err) {
      throw store.failure(err, 'write the store id', join(store.root, 'store.json'));
    }
    return store;
  }

  /** All 256 shard directories of objects/ and tasks/ up front: no mkdir on the write path. */
  private async ensureShards(): Promise<void> {
    const { existsSync } = await import('node:fs');
    if (existsSync(join(this.root, 'tasks', 'ff')) && existsSync(join(this.root, 'objects', 'ff'))) return;
    const shards = Array.from({ length: 256 }, (_, i) => i.toString(16).padStart(2, '0'));
    await Promise.all(shards.flatMap((s) => [mkdir(join(this.root, 'objects', s), { recursive: true }), mkdir(join(this.root, 'tasks', s), { recursive: true })]));
  }

  objectPath(hash: string): string {
    return join(this.root, 'objects', hash.slice(0, 2), hash.slice(2));
  }

  recordPath(key: string): string {
    return join(this.root, 'tasks', key.slice(0, 2), `${key}.json`);
  }

  private get tmpDir(): string {
    return join(this.root, 'tmp');
  }

  /**
   * Write the object's bytes to a temporary file unless a good copy already exists; the caller
   * commits it (fsync + rename) with `commitObject`. Returns `tmp: null` when nothing is staged.
   */
  async stageObject(bytes: Uint8Array): Promise<{ hash: string; tmp: string | null }> {
    const hash = sha256(bytes);
    // absent is the usual answer here: no retry
    if ((await this.readObjectState(hash, bytes.byteLength, false)).state === 'ok') return { hash, tmp: null };
    this.assertWritable('write objects');
    try {
      return { hash, tmp: stageFile(bytes, this.tmpDir) };
    } catch (err) {
      throw this.failure(err, 'write', this.tmpDir);
    }
  }

  /**
   * Put a staged object in place; on failure its temp file is gone and the error names the path.
   * An object already there (another host, or this task's first run, committed it) is kept when
   * its bytes are good — the staged copy is dropped, no error — and replaced only when corrupt.
   */
  async commitObject(hash: string, tmp: string): Promise<void> {
    const path = this.objectPath(hash);
    try {
      if ((await commitStagedNoReplace(tmp, path, this.fsync)) === 'exists') {
        if ((await this.checkedObject(hash)).state === 'ok') return discardTemp(tmp);
        replaceWith(tmp, path);
      }
    } catch (err) {
      throw this.failure(err, 'write object', path);
    }
    this.written(path);
  }

  /** Remove staged temp files a failed task will never commit (a failed write must leave none). */
  discardStaged(staged: ReadonlyArray<{ readonly tmp: string }>): void {
    for (const s of staged) {
      try {
        unlinkSync(s.tmp);
      } catch {
        // committed or removed already
      }
    }
  }

  /**
   * The object's bytes, verified against its name; throws Missing/CorruptObjectError. The caller
   * expects it (an input, a figure's part), so a miss is retried briefly (stale-lookup.ts).
   */
  async getObject(hash: string): Promise<Uint8Array> {
    let bytes: Buffer;
    try {
      // asynchronous: an input may be large, and this may run on a coordinator's event loop
      bytes = await readExpected(this.objectPath(hash), () => readFile(this.objectPath(hash)));
    } catch (err) {
      if (errnoOf(err) === 'ENOENT') throw new MissingObjectError(hash);
      if (NOT_A_FILE.has(errnoOf(err) ?? '')) throw new CorruptObjectError(hash, `not a file (${errnoOf(err)})`);
      throw this.failure(err, 'read object', this.objectPath(hash));
    }
    const actual = sha256(bytes);
    if (actual !== hash) throw new CorruptObjectError(hash, actual);
    return new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  }

  /** 'corrupt' also for a directory or a symlink loop at the object's path; a permission error is a StoreError. */
  async objectState(hash: string, expectedBytes?: number): Promise<ObjectState> {
    return (await this.checkedObject(hash, expectedBytes)).state;
  }

  /**
   * The object's state and, when 'ok', its verified bytes (one read for callers that need both).
   * With `expectedBytes` a record names the object, so a miss is retried briefly (stale-lookup.ts).
   */
  async checkedObject(hash: string, expectedBytes?: number): Promise<{ state: 'ok'; bytes: Uint8Array } | { state: 'missing' | 'corrupt' }> {
    return this.readObjectState(hash, expectedBytes, expectedBytes !== undefined);
  }

  private async readObjectState(hash: string, expectedBytes: number | undefined, expected: boolean): Promise<{ state: 'ok'; bytes: Uint8Array } | { state: 'missing' | 'corrupt' }> {
    let bytes: Buffer;
    const path = this.objectPath(hash);
    try {
      bytes = expected ? await readExpected(path, () => readFileSync(path)) : readFileSync(path);
    } catch (err) {
      if (errnoOf(err) === 'ENOENT') return { state: 'missing' };
      if (NOT_A_FILE.has(errnoOf(err) ?? '')) return { state: 'corrupt' };
      throw this.failure(err, 'read object', this.objectPath(hash));
    }
    if (expectedBytes !== undefined && bytes.byteLength !== expectedBytes) return { state: 'corrupt' };
    return sha256(bytes) === hash ? { state: 'ok', bytes: new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.byteLength) } : { state: 'corrupt' };
  }

  async deleteObject(hash: string): Promise<void> {
    this.assertWritable('delete objects');
    await unlink(this.objectPath(hash)).catch(() => undefined);
  }

  /**
   * Write the task record (after its objects are committed). A valid record of the same key
   * naming the same output is kept — a task that ran twice (a requeued SLURM job, a retried
   * queue job) leaves the first record, no error — and any other record there is replaced
   * atomically (a corrupt one, or a forced recompute whose output differs).
   */
  async writeRecord(record: TaskRecord): Promise<void> {
    this.assertWritable('write task records');
    const path = this.recordPath(record.key);
    try {
      const tmp = stageFile(`${JSON.stringify(sealRecord(record), null, 1)}\n`, this.tmpDir);
      if ((await commitStagedNoReplace(tmp, path, this.fsync)) === 'exists') {
        const there = await this.inspectRecord(record.key);
        if (there.state === 'ok' && there.record.output.hash === record.output.hash) return discardTemp(tmp);
        replaceWith(tmp, path);
      }
    } catch (err) {
      throw this.failure(err, 'write task record', path);
    }
    this.written(path);
  }

  /**
   * The record for `key`: undefined when absent; `'corrupt'` when unreadable (a torn or
   * hand-edited file, a directory or loop at its path), which the caller reports and recomputes.
   */
  async readRecord(key: string, options: RecordReadOptions = {}): Promise<TaskRecord | undefined | 'corrupt'> {
    const r = await this.inspectRecord(key, options);
    return r.state === 'ok' ? r.record : r.state === 'absent' ? undefined : 'corrupt';
  }

  /** Like readRecord, saying why a record is corrupt (verify names it). */
  async inspectRecord(key: string, options: RecordReadOptions = {}): Promise<{ state: 'ok'; record: TaskRecord } | { state: 'absent' } | { state: 'corrupt'; why: string }> {
    let raw: string;
    const path = this.recordPath(key);
    try {
      raw = options.expected ? await readExpected(path, () => readFileSync(path, 'utf8')) : readFileSync(path, 'utf8');
    } catch (err) {
      if (errnoOf(err) === 'ENOENT') return { state: 'absent' };
      if (NOT_A_FILE.has(errnoOf(err) ?? '')) return { state: 'corrupt', why: `its path is not a file (${errnoOf(err)})` };
      throw this.failure(err, 'read task record', this.recordPath(key));
    }
    let parsed: unknown;
    try {
      parsed = JSON.parse(raw);
    } catch {
      return { state: 'corrupt', why: 'it is not JSON (torn or overwritten)' };
    }
    if (!isTaskRecord(parsed)) return { state: 'corrupt', why: 'it is not a task record' };
    if (parsed.key !== key) return { state: 'corrupt', why: `it names key ${String(parsed.key).slice(0, 12)}…, not the key it is filed under` };
    const seal = checkSeal(parsed);
    if (seal === 'mismatch') return { state: 'corrupt', why: 'it was changed after it was written (its seal does not match)' };
    if (seal === 'unsealed') return { state: 'corrupt', why: 'it has no seal (rewritten by a tool, or written by an older featureflow)' };
    return { state: 'ok', record: parsed };
  }

  async deleteRecord(key: string): Promise<void> {
    this.assertWritable('delete task records');
    await unlink(this.recordPath(key)).catch(() => undefined);
  }

  /**
   * Names in a directory of the store; one that cannot be listed (a file or loop where a shard
   * belongs, no permission) is skipped, and `onUnreadable` hears of it (verify reports it).
   */
  private async listing(dir: string, onUnreadable?: (path: string, why: string) => void): Promise<string[]> {
    try {
      return await readdir(dir);
    } catch (err) {
      if (errnoOf(err) !== 'ENOENT') onUnreadable?.(dir, errnoOf(err) ?? String(err));
      return [];
    }
  }

  async *allRecordKeys(onUnreadable?: (path: string, why: string) => void): AsyncGenerator<string> {
    for (const shard of await this.listing(join(this.root, 'tasks'), onUnreadable)) {
      for (const f of await this.listing(join(this.root, 'tasks', shard), onUnreadable)) {
        if (f.endsWith('.json')) yield f.slice(0, -5);
      }
    }
  }

  async *allObjectHashes(onUnreadable?: (path: string, why: string) => void): AsyncGenerator<string> {
    for (const shard of await this.listing(join(this.root, 'objects'), onUnreadable)) {
      for (const f of await this.listing(join(this.root, 'objects', shard), onUnreadable)) yield shard + f;
    }
  }

  lockPath(key: string): string {
    return join(this.root, 'locks', `${key}.lock`);
  }

  /** The task's lock, or null while another live run holds it (see `tryLock` for who that is). */
  async lock(key: string): Promise<HeldLock | null> {
    return (await this.tryLock(key)).held ?? null;
  }

  /** The task's lock, or a description of its holder (host, pid, since) for a task-waiting event. */
  tryLock(key: string): Promise<LockAttempt> {
    this.assertWritable('lock tasks');
    return tryLock(this.lockPath(key), this.root);
  }

  /**
   * Announce a run in progress (gc --delete refuses while one is); waits while gc --delete holds
   * the store, telling `onWait` who holds it. Call `end()` on the marker when the run is over.
   */
  beginRun(options: BeginRunOptions = {}): Promise<RunMarker> {
    this.assertWritable('run');
    return beginRun(this.root, options);
  }

  /**
   * Remove temp files (and lock owner files) whose writer is provably gone, judged by the process
   * id each carries, never by comparing times (orphans.ts); returns how many were removed.
   */
  async cleanTmp(): Promise<number> {
    this.assertWritable('clean temporary files');
    return sweepOrphans(this.root).removed;
  }

  /**
   * Make this host see the record of `key` if another host just wrote it: a run that waited on
   * another's lock calls this before looking for that run's record (stale-lookup.ts).
   */
  refreshRecordLookup(key: string): void {
    try {
      readdirSync(join(this.root, 'tasks', key.slice(0, 2)));
    } catch {
      // the shard is gone: the lookup says so
    }
  }

  async writeJsonAtomic(relativePath: string, value: unknown): Promise<void> {
    this.assertWritable(`write ${relativePath}`);
    const path = join(this.root, relativePath);
    try {
      await mkdir(join(path, '..'), { recursive: true });
      await writeFileAtomic(path, `${JSON.stringify(value)}\n`, this.tmpDir, this.durability !== 'none');
    } catch (err) {
      throw this.failure(err, 'write', path);
    }
  }

  async readJson<T>(relativePath: string): Promise<T | undefined> {
    try {
      return JSON.parse(await readFile(join(this.root, relativePath), 'utf8')) as T;
    } catch {
      return undefined;
    }
  }
}
