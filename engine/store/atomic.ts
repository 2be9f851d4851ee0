/**
 * Atomic file writes: a reader sees either nothing or the whole file (temporary file in the same
 * store, optional fsync, rename); a killed process leaves only a temp file, which gc removes.
 * The files are small and the steps many, so they use synchronous calls: a libuv round trip per
 * step cost more than the I/O itself (measured: ~10 sequential async steps per task). Only the
 * slow fsync goes asynchronous.
 */
import { closeSync, fsyncSync, openSync, renameSync, unlinkSync, writeFileSync, writeSync } from 'node:fs';
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

/**
 * Stage `bytes` in a temporary file (no fsync yet); `commitStaged` later fsyncs and renames it
 * into place. Splitting the two lets a worker hand the slow fsync to the coordinator, which
 * overlaps it with the next task's computation (and ext4 merges concurrent fsyncs).
 */
export function stageFile(bytes: Uint8Array | string, tmpDir: string): string {
  const tmp = tmpName(tmpDir);
  writeFileSync(tmp, bytes);
  return tmp;
}

export async function commitStaged(tmp: string, path: string, fsync = true): Promise<void> {
  if (fsync) await fsyncPath(tmp, 'r+');
  renameSync(tmp, path);
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
  const fd = openSync(tmp, 'w');
  try {
    if (typeof bytes === 'string') writeSync(fd, bytes);
    else writeSync(fd, bytes, 0, bytes.byteLength);
    if (fsync) fsyncSync(fd);
  } catch (err) {
    closeSync(fd);
    try {
      unlinkSync(tmp);
    } catch {
      // already gone
    }
    throw err;
  }
  closeSync(fd);
  renameSync(tmp, path);
}
