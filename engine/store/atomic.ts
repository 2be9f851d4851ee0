/**
 * Atomic file writes: a reader sees either nothing or the whole file (temporary file in the same
 * store, optional fsync, rename); a killed process leaves only a temp file, which gc removes, and
 * a failed write (a full disk, a directory where the file belongs) removes its temp file before
 * the error leaves. The files are small and the steps many, so they use synchronous calls: a
 * libuv round trip per step cost more than the I/O itself (measured: ~10 sequential async steps
 * per task). Only the slow fsync goes asynchronous.
 */
import { closeSync, fsyncSync, openSync, renameSync, unlinkSync, writeSync } from 'node:fs';
import { open } from 'node:fs/promises';
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';

/**
 * Temp files carry their run's owner: the coordinator's pid (worker processes are told it in
 * FEATUREFLOW_TMP_OWNER), so the coordinator can remove what a cancelled or crashed task left.
 */
const TMP_OWNER = process.env.FEATUREFLOW_TMP_OWNER ?? String(process.pid);

function tmpName(tmpDir: string): string {
  return join(tmpDir, `${TMP_OWNER}-${randomBytes(6).toString('hex')}.tmp`);
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

export async function commitStaged(tmp: string, path: string, fsync = true): Promise<void> {
  if (fsync) {
    try {
      await fsyncPath(tmp, 'r+');
    } catch (err) {
      removeQuietly(tmp);
      throw new AtomicWriteError(tmp, 'fsync temporary file', err);
    }
  }
  renameOrRemove(tmp, path);
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
