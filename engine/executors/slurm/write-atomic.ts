/**
 * Write a small file atomically under a temporary name no other process on any host can pick
 * (host, pid and random bytes): several hosts may write the same path (a requeued element and its
 * first run), and the reader sees one whole file, never a mix.
 */
import { randomBytes } from 'node:crypto';
import { rename, unlink, writeFile } from 'node:fs/promises';
import { hostname } from 'node:os';

export async function writeTextAtomic(path: string, text: string): Promise<void> {
  const tmp = `${path}.tmp-${hostname()}-${process.pid}-${randomBytes(4).toString('hex')}`;
  try {
    await writeFile(tmp, text);
    await rename(tmp, path);
  } catch (err) {
    await unlink(tmp).catch(() => undefined);
    throw err;
  }
}
