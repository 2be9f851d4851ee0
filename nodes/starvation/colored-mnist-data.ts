/**
 * The Colored MNIST construction (Arjovsky et al.; thesis ch. 6, Table 2), as the authors' code
 * builds an environment: binary label y = [digit < 5], flipped with probability 0.25; colour
 * c = y XOR Bernoulli(e); the 14 × 14 image goes into two channels [img, img] and channel 1 − c is
 * zeroed. Inputs are the flattened (channel, row, column) tensor, 392 values, as `view(N, 392)`.
 * Environments: e = 0.2 and e = 0.1 for training (colour agrees with the label 80 % / 90 %), e = 0.9
 * for testing. The four test variants of Fig. 3 change how the image is drawn, not the draws.
 */
import type { RandomSource } from '../../engine/random.ts';
import { randomSourceFromSeed } from '../../engine/random.ts';
import { CMNIST_PIXELS, type DigitPool } from './colored-mnist-pool.ts';

export const CMNIST_INPUTS = 2 * CMNIST_PIXELS;
export const LABEL_NOISE = 0.25;

/**
 * colored: the construction; grayscale: both channels kept, each halved (the same total ink, no
 * colour); blank: every pixel of the grey image replaced by the set's mean pixel value before the
 * channels are drawn (colored-blank keeps only the colour, grayscale-blank nothing).
 */
export interface Rendering {
  readonly channels: 'colored' | 'grayscale';
  readonly blank: boolean;
}

export const COLORED: Rendering = { channels: 'colored', blank: false };

export interface Environment {
  /** rows × 392, float32 */
  readonly x: Float32Array;
  /** noisy binary labels, 0 or 1 */
  readonly labels: Float32Array;
  /** the colour channel that carries the image (0 or 1); grayscale renderings draw it all the same */
  readonly colors: Uint8Array;
  /** the clean label [digit < 5], before the flip */
  readonly cleanLabels: Uint8Array;
  readonly e: number;
}

/** Bernoulli(p) draws, as `torch.rand(n) < p` */
function bernoulli(random: RandomSource, p: number, n: number): Uint8Array {
  const out = new Uint8Array(n);
  for (let i = 0; i < n; i++) out[i] = random.uniform() < p ? 1 : 0;
  return out;
}

function meanPixel(pool: DigitPool, indices: ArrayLike<number>): number {
  let s = 0;
  for (let k = 0; k < indices.length; k++) {
    const off = indices[k]! * CMNIST_PIXELS;
    for (let j = 0; j < CMNIST_PIXELS; j++) s += pool.images[off + j]!;
  }
  return s / (indices.length * CMNIST_PIXELS);
}

/**
 * One environment from the pool images at `indices`: label flips from the stream's fork
 * `label-flips`, colour flips from `colour-flips` (so the two draws are separately seeded).
 */
export function coloredEnvironment(pool: DigitPool, indices: ArrayLike<number>, e: number, random: RandomSource, rendering: Rendering = COLORED): Environment {
  const n = indices.length;
  const flips = bernoulli(random.fork('label-flips'), LABEL_NOISE, n);
  const colorFlips = bernoulli(random.fork('colour-flips'), e, n);
  const x = new Float32Array(n * CMNIST_INPUTS), labels = new Float32Array(n), colors = new Uint8Array(n), cleanLabels = new Uint8Array(n);
  const blankValue = rendering.blank ? meanPixel(pool, indices) : NaN;
  for (let i = 0; i < n; i++) {
    const clean = pool.digits[indices[i]!]! < 5 ? 1 : 0;
    const y = clean ^ flips[i]!;
    const c = y ^ colorFlips[i]!;
    cleanLabels[i] = clean;
    labels[i] = y;
    colors[i] = c;
    const src = indices[i]! * CMNIST_PIXELS, row = i * CMNIST_INPUTS;
    for (let j = 0; j < CMNIST_PIXELS; j++) {
      const v = rendering.blank ? blankValue : pool.images[src + j]!;
      if (rendering.channels === 'grayscale') {
        x[row + j] = v / 2;
        x[row + CMNIST_PIXELS + j] = v / 2;
      } else {
        x[row + c * CMNIST_PIXELS + j] = v;
      }
    }
  }
  return { x, labels, colors, cleanLabels, e };
}

export interface SplitSizes {
  /** images per training environment */
  readonly trainPerEnv: number;
  readonly test: number;
}

export interface ColoredSplit {
  /** pool indices of the e = 0.2 environment (the shuffled training block's even positions) */
  readonly envA: Int32Array;
  /** pool indices of the e = 0.1 environment (its odd positions) */
  readonly envB: Int32Array;
  /** pool indices of the test environment: the block after the training block, in pool order */
  readonly test: Int32Array;
}

/**
 * As the authors split MNIST's training set: the first 2 · trainPerEnv images, shuffled per
 * restart, alternate between the two training environments; the next `test` images are the test
 * environment (for 25 000 + 25 000 and 10 000: mnist.train[:50000] and mnist.train[50000:]).
 */
export function coloredSplit(poolCount: number, sizes: SplitSizes, shuffle: RandomSource): ColoredSplit {
  const train = 2 * sizes.trainPerEnv;
  if (train + sizes.test > poolCount) {
    throw new RangeError(`Colored MNIST needs 2 × trainPerEnv + test = ${train + sizes.test} digits but the pool holds ${poolCount}; lower digits.trainPerEnv or digits.test`);
  }
  const perm = shuffle.permutation(train);
  const envA = new Int32Array(sizes.trainPerEnv), envB = new Int32Array(sizes.trainPerEnv);
  for (let k = 0; k < sizes.trainPerEnv; k++) {
    envA[k] = perm[2 * k]!;
    envB[k] = perm[2 * k + 1]!;
  }
  return { envA, envB, test: Int32Array.from({ length: sizes.test }, (_, k) => train + k) };
}

export const TRAIN_E = { envA: 0.2, envB: 0.1 } as const;
export const TEST_E = 0.9;

export interface ColoredMnistData {
  readonly envA: Environment;
  readonly envB: Environment;
  readonly test: Environment;
  /** both training environments, rows of A then B */
  readonly train: { readonly x: Float32Array; readonly labels: Float32Array };
}

/** a restart's draws: every stream derives from its data seed, by name */
export function dataStream(seed: number): RandomSource {
  return randomSourceFromSeed(`starvation/colored-mnist:seed=${seed}`);
}

export function coloredMnist(pool: DigitPool, sizes: SplitSizes, seed: number): ColoredMnistData {
  const random = dataStream(seed);
  const split = coloredSplit(pool.count, sizes, random.fork('shuffle'));
  const envA = coloredEnvironment(pool, split.envA, TRAIN_E.envA, random.fork('env-a'));
  const envB = coloredEnvironment(pool, split.envB, TRAIN_E.envB, random.fork('env-b'));
  const test = coloredEnvironment(pool, split.test, TEST_E, random.fork('test'));
  const x = new Float32Array(envA.x.length + envB.x.length);
  x.set(envA.x);
  x.set(envB.x, envA.x.length);
  const labels = new Float32Array(envA.labels.length + envB.labels.length);
  labels.set(envA.labels);
  labels.set(envB.labels, envA.labels.length);
  return { envA, envB, test, train: { x, labels } };
}

/** the test environment's images drawn afresh (new label and colour flips) in one rendering */
export function testVariant(pool: DigitPool, sizes: SplitSizes, seed: number, name: string, rendering: Rendering): Environment {
  const random = dataStream(seed);
  const split = coloredSplit(pool.count, sizes, random.fork('shuffle'));
  return coloredEnvironment(pool, split.test, TEST_E, random.fork(`variant:${name}`), rendering);
}
