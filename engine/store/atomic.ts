import { open, rename, unlink, writeFile } from 'node:fs/promises';
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';

/**
 * Write `bytes` to `path` so that a reader sees either nothing or the whole file: temporary
 * file in the same store, fsync, rename. A killed process leaves only a temp file, which gc
 * removes.
 */
/**
 * Stage `bytes` in a temporary file (no fsync yet); `commitStaged` later fsyncs and renames it
 * into place. Splitting the two lets a worker hand the slow fsync to the coordinator, which
 * overlaps it with the next task's computation (and ext4 merges concurrent fsyncs).
 */
export async function stageFile(bytes: Uint8Array | string, tmpDir: string): Promise<string> {
  const tmp = join(tmpDir, `${process.pid}-${randomBytes(6).toString('hex')}.tmp`);
  await writeFile(tmp, bytes);
  return tmp;
}

export async function commitStaged(tmp: string, path: string, fsync = true): Promise<void> {
  if (fsync) {
    const fh = await open(tmp, 'r+');
    try {
      await fh.sync();
    } finally {
      await fh.close();
    }
  }
  await rename(tmp, path);
}

export async function writeFileAtomic(path: string, bytes: Uint8Array | string, tmpDir: string, fsync = true): Promise<void> {
  const tmp = join(tmpDir, `${process.pid}-${randomBytes(6).toString('hex')}.tmp`);
  const fh = await open(tmp, 'w');
  try {
    await fh.writeFile(bytes);
    if (fsync) await fh.sync();
  } catch (err) {
    await fh.close();
    await unlink(tmp).catch(() => undefined);
    throw err;
  }
  await fh.close();
  await rename(tmp, path);
}
