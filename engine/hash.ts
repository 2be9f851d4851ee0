import { createHash } from 'node:crypto';

/** Content hashes are SHA-256, hex. */
export function sha256(data: string | Uint8Array): string {
  return createHash('sha256').update(data).digest('hex');
}

/** Hash a sequence of labelled parts without ambiguity (length-prefixed). */
export function hashParts(parts: ReadonlyArray<readonly [string, string]>): string {
  const h = createHash('sha256');
  for (const [label, value] of parts) {
    h.update(`${label.length}:${label}${Buffer.byteLength(value)}:`);
    h.update(value);
  }
  return h.digest('hex');
}
