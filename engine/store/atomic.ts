/**
 * Atomic file writes: a reader sees either nothing or the whole file (temporary file in the same
 * store, optional fsync, rename); a killed process leaves only a temp file, which gc removes, and
 * a failed write (a full disk, a directory where the file belongs) removes its temp file before
 * the error leaves. The files are small and the steps many, so they use synchronous calls: a
 * libuv round trip per step cost more than the I/O itself (measured: ~10 sequential async steps
 * per task). Only the slow fsync goes asynchronous.
 */
import { closeSync, fsyncSync, linkSync, openSync, renameSync, statSync, unlinkSync, writeSync } from 'node:fs';
import { open } from 'node:fs/promises';
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { PROCESS_ID } from './process-identity.ts';

/**
 * Temp files carry their owner's process id (process-identity.ts), never a pid: a pid names
 * nothing on a directory many hosts share. A pool's worker processes are told their
 * coordinator's id in FEATUREFLOW_TMP_OWNER, since the coordinator commits what they stage:
 * cleanTmp removes a temp file only once its owner is gone.
 */
export const TMP_OWNER = process.env.FEATUREFLOW_TMP_OWNER ?? PROCESS_ID;

function tmpName(tmpDir: string): string {
  return join(tmpDir, `${TMP_OWNER}.${randomBytes(6).toString('hex')}.tmp`);
}

/** The process id a temp file name carries; undefined for a name of an older featureflow (`<pid>-<hex>.tmp`). */
export function tmpOwnerOf(name: string): string | undefined {
  const parts = name.split('.');
  return parts.length === 3 && parts[2] === 'tmp' ? parts[0] : undefined;
}

function removeQuietly(path: string): void {
  try {
    unlinkSync(path);
  } catch {
    // never created, or already gone
  }
}

/** Which path a failure concerns: the temp file while writing it, the destination when renaming. */
export class AtomicWriteError extends Error {
  constructor(readonly path: string, readonly action: string, override readonly cause: unknown) {
    super(`cannot ${action} ${path}: ${(cause as Error)?.message ?? String(cause)}`);
    this.name = 'AtomicWriteError';
  }
}

function writeTmp(tmp: string, bytes: Uint8Array | string, fsync: boolean): void {
  let fd: number;
  try {
    fd = openSync(tmp, 'wx');
  } catch (err) {
    throw new AtomicWriteError(tmp, 'create temporary file', err);
  }
  try {
    if (typeof bytes === 'string') writeSync(fd, bytes);
    else {
      for (let off = 0; off < bytes.byteLength; ) off += writeSync(fd, bytes, off, bytes.byteLength - off);
    }
    if (fsync) fsyncSync(fd);
  } catch (err) {
    closeSync(fd);
    removeQuietly(tmp);
    throw new AtomicWriteError(tmp, 'write temporary file', err);
  }
  closeSync(fd);
}

function renameOrRemove(tmp: string, path: string): void {
  try {
    renameSync(tmp, path);
  } catch (err) {
    removeQuietly(tmp);
    throw new AtomicWriteError(path, 'rename a temporary file onto', err);
  }
}

/**
 * Stage `bytes` in a temporary file (no fsync yet); `commitStaged` later fsyncs and renames it
 * into place. Splitting the two lets a worker hand the slow fsync to the coordinator, which
 * overlaps it with the next task's computation (and ext4 merges concurrent fsyncs).
 */
export function stageFile(bytes: Uint8Array | string, tmpDir: string): string {
  const tmp = tmpName(tmpDir);
  writeTmp(tmp, bytes, false);
  return tmp;
}

/** fsync a staged file before it is committed; a failure removes it (nothing half-made stays). */
async function fsyncStaged(tmp: string): Promise<void> {
  try {
    await fsyncPath(tmp, 'r+');
  } catch (err) {
    removeQuietly(tmp);
    throw new AtomicWriteError(tmp, 'fsync temporary file', err);
  }
}

export async function commitStaged(tmp: string, path: string, fsync = true): Promise<void> {
  if (fsync) await fsyncStaged(tmp);
  renameOrRemove(tmp, path);
}

/** Filesystems without hard links (some FUSE and SMB mounts) answer these; there a rename commits. */
const NO_LINKS = new Set(['EPERM', 'ENOTSUP', 'EOPNOTSUPP', 'ENOSYS']);

/**
 * Commit a staged file without ever replacing what is at `path`: hard-link it into place. An
 * object or record another host committed first stays (it never changes under readers that hold
 * it open — on NFS a replaced file is a stale handle to them), and the caller, told `exists`,
 * decides whether what is there is good (the staged file is still in place) or must be replaced
 * (`replaceWith`). On NFS a retransmitted LINK may answer EEXIST for its own link: the staged
 * file's link count tells.
 */
export async function commitStagedNoReplace(tmp: string, path: string, fsync = true): Promise<'created' | 'exists'> {
  if (fsync) await fsyncStaged(tmp);
  try {
    linkSync(tmp, path);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code ?? '';
    if (code === 'EEXIST' && linkCount(tmp) !== 2) return 'exists';
    if (NO_LINKS.has(code)) {
      renameOrRemove(tmp, path);
      return 'created';
    }
    if (code !== 'EEXIST') {
      removeQuietly(tmp);
      throw new AtomicWriteError(path, 'link a temporary file to', err);
    }
  }
  removeQuietly(tmp);
  return 'created';
}

function linkCount(path: string): number {
  try {
    return statSync(path).nlink;
  } catch {
    return 0;
  }
}

/** Replace what is at `path` with the staged file (after commitStagedNoReplace said `exists` and it was bad). */
export function replaceWith(tmp: string, path: string): void {
  renameOrRemove(tmp, path);
}

/** Remove a staged file that will not be committed. */
export function discardTemp(tmp: string): void {
  removeQuietly(tmp);
}

export async function fsyncPath(path: string, flags = 'r'): Promise<void> {
  const fh = await open(path, flags);
  try {
    await fh.sync();
  } finally {
    await fh.close();
  }
}

export async function writeFileAtomic(path: string, bytes: Uint8Array | string, tmpDir: string, fsync = true): Promise<void> {
  const tmp = tmpName(tmpDir);
  writeTmp(tmp, bytes, fsync);
  renameOrRemove(tmp, path);
}
