/**
 * Bounded retries for reads of files the store knows exist. On NFS-like filesystems a host that
 * looks a name up right after another host renamed or linked it into place may still be told
 * ENOENT (a cached negative entry, cached directory attributes), and a file replaced under a
 * reader may answer ESTALE. Where the store reads a file it expects — an input object, the
 * output a record names, the store id — it retries a few times over about a second, listing the
 * parent directory between tries (on NFS a listing revalidates the directory's cached entries).
 * A file that is really missing is reported after that, as before.
 */
import { readdirSync } from 'node:fs';
import { dirname } from 'node:path';

/** Delays between tries: about 0.9 s in all, then the miss stands. */
const RETRY_DELAYS_MS = [5, 20, 50, 100, 250, 500];

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

function isStaleMiss(err: unknown): boolean {
  const code = (err as NodeJS.ErrnoException | undefined)?.code;
  return code === 'ENOENT' || code === 'ESTALE';
}

function revalidate(dir: string): void {
  try {
    readdirSync(dir);
  } catch {
    // the directory itself is gone: the next try says so
  }
}

/** `read()` of `path`, retried while it fails with ENOENT or ESTALE; the last failure is thrown. */
export async function readExpected<T>(path: string, read: () => T | Promise<T>): Promise<T> {
  for (let i = 0; ; i++) {
    try {
      return await read();
    } catch (err) {
      if (!isStaleMiss(err) || i >= RETRY_DELAYS_MS.length) throw err;
      revalidate(dirname(path));
      await sleep(RETRY_DELAYS_MS[i]!);
    }
  }
}
