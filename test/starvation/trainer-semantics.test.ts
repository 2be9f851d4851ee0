/**
 * The trainer's optimiser and layer semantics against hand-computed values: SGD's momentum
 * buffer and coupled weight decay, Adam's bias correction, dropout's scaling, batch-norm's
 * running statistics, and float32 tracking float64.
 */
import { describe, expect, it } from 'vitest';
import { createOptimizer } from '../../compute/trainer-optimizer.ts';
import { jsTrainer } from '../../compute/trainer-js.ts';
import { torchDefaultLayers, xavierUniformLayers } from '../../compute/trainer-init.ts';
import { randomSourceFromSeed } from '../../engine/random.ts';
import type { NetworkSpec } from '../../engine/compute/trainer.ts';

const all = Uint8Array.of(1, 1);

describe('SGD (PyTorch semantics)', () => {
  it('starts the momentum buffer at the first (decayed) gradient and adds wd·p before momentum', () => {
    const p = Float64Array.of(1, -2);
    const opt = createOptimizer({ kind: 'sgd', lr: 0.1, momentum: 0.9, weightDecay: 0.5 }, 2, all, 'float64');
    opt.step(p, Float64Array.of(0.2, 0.4));
    // d = g + wd·p = (0.7, −0.6); buf = d; p −= 0.1·buf
    expect(p[0]).toBeCloseTo(0.93, 14);
    expect(p[1]).toBeCloseTo(-1.94, 14);
    opt.step(p, Float64Array.of(-0.1, 0.3));
    // d = (−0.1 + 0.465, 0.3 − 0.97); buf = 0.9·(0.7, −0.6) + d = (0.995, −1.21)
    expect(p[0]).toBeCloseTo(0.8305, 14);
    expect(p[1]).toBeCloseTo(-1.819, 14);
  });

  it('skips frozen parameters entirely, weight decay included', () => {
    const p = Float64Array.of(1, 1);
    createOptimizer({ kind: 'sgd', lr: 0.1, weightDecay: 1 }, 2, Uint8Array.of(0, 1), 'float64').step(p, Float64Array.of(1, 1));
    expect([...p]).toEqual([1, 1 - 0.1 * 2]);
  });
});

describe('Adam (PyTorch defaults and bias correction)', () => {
  it('moves each parameter by about lr on the first step, whatever the gradient scale', () => {
    const p = Float64Array.of(1, -2);
    const opt = createOptimizer({ kind: 'adam', lr: 0.01, weightDecay: 0.1 }, 2, all, 'float64');
    opt.step(p, Float64Array.of(0.2, 0.4)); // d = (0.3, 0.2): m̂ = d, v̂ = d²
    expect(p[0]).toBeCloseTo(1 - 0.01 * (0.3 / (0.3 + 1e-8)), 14);
    expect(p[1]).toBeCloseTo(-2 - 0.01 * (0.2 / (0.2 + 1e-8)), 14);
  });

  it('follows m̂ = m/(1 − β₁ᵗ), v̂ = v/(1 − β₂ᵗ) on the second step', () => {
    const p = Float64Array.of(0.5);
    const opt = createOptimizer({ kind: 'adam', lr: 0.01 }, 1, Uint8Array.of(1), 'float64');
    opt.step(p, Float64Array.of(0.2));
    const p1 = p[0]!;
    opt.step(p, Float64Array.of(-0.1));
    const m = 0.9 * 0.1 * 0.2 + 0.1 * -0.1;
    const v = 0.999 * 0.001 * 0.04 + 0.001 * 0.01;
    const expected = p1 - (0.01 * (m / (1 - 0.81))) / (Math.sqrt(v / (1 - 0.999 ** 2)) + 1e-8);
    expect(p[0]).toBeCloseTo(expected, 14);
  });
});

describe('layer semantics', () => {
  it('dropout scales kept units by 1/(1 − p) in train mode and is the identity in eval mode', () => {
    const units = 4000;
    const spec: NetworkSpec = { inputs: 1, precision: 'float64', layers: [{ units, activation: 'identity', dropout: 0.7, bias: false }, { units: 1, activation: 'identity', bias: false }] };
    const init = [{ weight: new Float64Array(units).fill(1) }, { weight: new Float64Array(units).fill(1 / units) }];
    const net = jsTrainer().createNetwork({ spec, init, optimizer: { kind: 'sgd', lr: 1e-12 }, random: randomSourceFromSeed('drop') });
    expect(net.logits(Float64Array.of(1))[0]).toBeCloseTo(1, 12);
    const train = net.step({ x: Float64Array.of(1), targets: Float64Array.of(1) }, { loss: { kind: 'mse' } }).logits[0]!;
    // mean 1, std √(p/(1−p)/units) ≈ 0.024
    expect(Math.abs(train - 1)).toBeLessThan(0.1);
    expect(train).not.toBe(1);
  });

  it('batch-norm keeps running statistics with momentum 0.1 and the unbiased variance, used in eval', () => {
    const spec: NetworkSpec = { inputs: 1, precision: 'float64', layers: [{ units: 1, activation: 'identity', batchNorm: true, frozen: true }, { units: 1, activation: 'identity', frozen: true }] };
    const init = [{ weight: Float64Array.of(1), bias: Float64Array.of(0) }, { weight: Float64Array.of(1), bias: Float64Array.of(0) }];
    const net = jsTrainer().createNetwork({ spec, init, optimizer: { kind: 'sgd', lr: 0.1 } });
    const r = net.step({ x: Float64Array.of(1, 2, 3, 4), targets: Float64Array.of(0, 0, 0, 0) }, { loss: { kind: 'mse' } });
    expect(r.logits[0]).toBeCloseTo(-1.5 / Math.sqrt(1.25 + 1e-5), 12); // batch statistics, biased variance
    const runMean = 0.1 * 2.5, runVar = 0.9 + 0.1 * (5 / 3);
    expect(net.logits(Float64Array.of(0))[0]).toBeCloseTo(-runMean / Math.sqrt(runVar + 1e-5), 12);
  });

  it('Xavier-uniform draws weights inside ±√(6/(fan_in + fan_out)) and zero biases', () => {
    const spec: NetworkSpec = { inputs: 392, precision: 'float32', layers: [{ units: 300, activation: 'relu' }, { units: 1, activation: 'identity' }] };
    const [first] = xavierUniformLayers(spec, randomSourceFromSeed('x'));
    const bound = Math.sqrt(6 / 692);
    expect(Math.max(...first!.weight.map(Math.abs))).toBeLessThanOrEqual(bound);
    expect(Math.max(...first!.weight.map(Math.abs))).toBeGreaterThan(0.99 * bound);
    expect([...first!.bias!].every((b) => b === 0)).toBe(true);
  });

  it('float32 training tracks float64 training (relative 1e-4 after 200 SGD steps)', () => {
    const layers = [{ units: 50, activation: 'relu' as const }, { units: 1, activation: 'identity' as const }];
    const init = torchDefaultLayers({ inputs: 2, precision: 'float64', layers }, randomSourceFromSeed('i'));
    const x = randomSourceFromSeed('x').fillNormal(new Float64Array(40));
    const targets = Float64Array.from({ length: 20 }, (_, i) => (x[2 * i]! > 0 ? 1 : 0));
    const run = (precision: 'float32' | 'float64') => {
      const net = jsTrainer().createNetwork({ spec: { inputs: 2, precision, layers }, init, optimizer: { kind: 'sgd', lr: 0.05, momentum: 0.9, weightDecay: 2e-4 } });
      const X = precision === 'float32' ? Float32Array.from(x) : x;
      const T = precision === 'float32' ? Float32Array.from(targets) : targets;
      for (let s = 0; s < 200; s++) net.step({ x: X, targets: T }, { loss: { kind: 'bce-with-logits', labels: 'zero-one' }, logitPenalty: 0.003 });
      return net.getParameters();
    };
    const a = run('float32'), b = run('float64');
    let num = 0, den = 0;
    for (let i = 0; i < a.length; i++) { num += (a[i]! - b[i]!) ** 2; den += b[i]! ** 2; }
    expect(Math.sqrt(num / den)).toBeLessThan(1e-4);
  });
});

describe('dropout mask stream', () => {
  it('repeats its sequence after the same seed and is uniform on [0, 1)', async () => {
    const { MaskStream } = await import('../../compute/mask-stream.ts');
    const a = new MaskStream(), b = new MaskStream();
    a.reseed(0.123); b.reseed(0.123);
    const first = Array.from({ length: 5 }, () => a.uniform());
    expect(Array.from({ length: 5 }, () => b.uniform())).toEqual(first);
    a.reseed(0.5);
    let sum = 0, below = 0;
    const n = 100_000;
    for (let i = 0; i < n; i++) { const u = a.uniform(); sum += u; if (u < 0.7) below++; expect(u >= 0 && u < 1).toBe(true); }
    expect(Math.abs(sum / n - 0.5)).toBeLessThan(0.005);
    expect(Math.abs(below / n - 0.7)).toBeLessThan(0.005);
  });
});
