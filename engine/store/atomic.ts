import { open, rename, unlink, mkdir } from 'node:fs/promises';
import { randomBytes } from 'node:crypto';
import { dirname, join } from 'node:path';

/**
 * Write `bytes` to `path` so that a reader sees either nothing or the whole file: temporary
 * file in the same store, fsync, rename. A killed process leaves only a temp file, which gc
 * removes.
 */
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
  try {
    await rename(tmp, path);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
    await mkdir(dirname(path), { recursive: true });
    await rename(tmp, path);
  }
}
