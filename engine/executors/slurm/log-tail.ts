/** The end of an element's log: what a failed task's error shows of it. */
import { open } from 'node:fs/promises';

export async function logTail(path: string, maxLines = 20, maxBytes = 8192): Promise<string | undefined> {
  const f = await open(path, 'r').catch(() => undefined);
  if (!f) return undefined;
  try {
    const { size } = await f.stat();
    const length = Math.min(size, maxBytes);
    const buf = Buffer.alloc(length);
    await f.read(buf, 0, length, size - length);
    const lines = buf.toString('utf8').split('\n');
    if (length < size) lines.shift(); // a partial first line
    while (lines.length > 0 && lines[lines.length - 1]!.trim() === '') lines.pop();
    return lines.length > 0 ? lines.slice(-maxLines).join('\n') : undefined;
  } finally {
    await f.close();
  }
}
