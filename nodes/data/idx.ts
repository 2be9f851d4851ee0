/**
 * Reader for the IDX files MNIST is distributed in (big-endian header, unsigned bytes), plain or
 * gzipped. Every failure names the file and what is wrong with it, because a user pointing a
 * pipeline at a download folder must be able to tell a truncated download from a swapped name.
 */
import { readFileSync } from 'node:fs';
import { gunzipSync } from 'node:zlib';

export interface IdxImages {
  readonly count: number;
  readonly rows: number;
  readonly cols: number;
  /** count×rows×cols bytes, 0–255 */
  readonly pixels: Uint8Array;
}

export class IdxFileError extends Error {
  constructor(readonly file: string, problem: string) {
    super(`MNIST IDX file ${file}: ${problem}`);
    this.name = 'IdxFileError';
  }
}

const IMAGE_MAGIC = 0x00000803;
const LABEL_MAGIC = 0x00000801;

/** The file's bytes, gunzipped when they start with the gzip magic. */
export function readIdxBytes(file: string): Uint8Array {
  let raw: Buffer;
  try {
    raw = readFileSync(file);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    throw new IdxFileError(file, code === 'ENOENT' ? 'not found' : `cannot be read (${code ?? String(err)})`);
  }
  if (raw.length >= 2 && raw[0] === 0x1f && raw[1] === 0x8b) {
    try {
      return gunzipSync(raw);
    } catch (err) {
      throw new IdxFileError(file, `is not valid gzip (${err instanceof Error ? err.message : String(err)}); the download may be truncated`);
    }
  }
  return raw;
}

function header(file: string, bytes: Uint8Array, magic: number, dims: number, kind: string): number[] {
  const headerBytes = 4 + 4 * dims;
  if (bytes.length < headerBytes) {
    throw new IdxFileError(file, `truncated: ${bytes.length} bytes, shorter than the ${headerBytes}-byte IDX ${kind} header`);
  }
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const found = view.getUint32(0, false);
  if (found !== magic) {
    throw new IdxFileError(file, `not an IDX ${kind} file: magic number 0x${found.toString(16).padStart(8, '0')}, expected 0x${magic.toString(16).padStart(8, '0')}`);
  }
  return Array.from({ length: dims }, (_, d) => view.getUint32(4 + 4 * d, false));
}

export function parseIdxImages(file: string, bytes: Uint8Array): IdxImages {
  const [count, rows, cols] = header(file, bytes, IMAGE_MAGIC, 3, 'image') as [number, number, number];
  const expected = count * rows * cols;
  const available = bytes.length - 16;
  if (available < expected) {
    throw new IdxFileError(file, `truncated: header says ${count} images of ${rows}×${cols} (${expected} pixel bytes), file has ${available}`);
  }
  return { count, rows, cols, pixels: bytes.subarray(16, 16 + expected) };
}

export function parseIdxLabels(file: string, bytes: Uint8Array, classes = 10): Uint8Array {
  const [count] = header(file, bytes, LABEL_MAGIC, 1, 'label') as [number];
  const available = bytes.length - 8;
  if (available < count) throw new IdxFileError(file, `truncated: header says ${count} labels, file has ${available}`);
  const labels = bytes.subarray(8, 8 + count);
  for (let i = 0; i < count; i++) {
    if (labels[i]! >= classes) throw new IdxFileError(file, `label ${labels[i]} at position ${i} is not a digit 0–${classes - 1}`);
  }
  return labels;
}

/** An image file and its label file, checked against each other. */
export function readIdxPair(imagesFile: string, labelsFile: string): { images: IdxImages; labels: Uint8Array } {
  const images = parseIdxImages(imagesFile, readIdxBytes(imagesFile));
  const labels = parseIdxLabels(labelsFile, readIdxBytes(labelsFile));
  if (labels.length !== images.count) {
    throw new IdxFileError(labelsFile, `has ${labels.length} labels but ${imagesFile} has ${images.count} images`);
  }
  return { images, labels };
}
