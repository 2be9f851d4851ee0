/**
 * Batch-norm and dropout on the native trainer's fused step (net_layers.c), against the JS
 * trainer: one plain SGD step moves by lr × the float64 gradient of the JS reference (2e-3
 * relative, as every other layer kind in test/starvation/trainer-backends.test.ts), 30 steps of
 * SGD with momentum and decay and of Adam agree with the JS float32 trainer to 1e-4 relative on
 * the parameters, the eval-mode logits use the natively kept running statistics, and both
 * backends draw the same dropout masks from the same number of uniforms of the node's source.
 */
import { describe, expect, it } from 'vitest';
import { torchDefaultLayers } from '../../compute/trainer-init.ts';
import { jsTrainer } from '../../compute/trainer-js.ts';
import { nativeTrainer } from '../../compute/trainer-native.ts';
import { randomSourceFromSeed } from '../../engine/random.ts';
import type { LayerSpec, Objective, OptimizerSpec } from '../../engine/compute/trainer.ts';
import { addon, skipNative, skipTitle } from './native-available.ts';

const rows = 16;
const x = randomSourceFromSeed('lx').fillNormal(new Float64Array(rows * 3));
const targets = Float64Array.from({ length: rows }, (_, i) => i % 2);
const objective: Objective = { loss: { kind: 'bce-with-logits', labels: 'zero-one' }, logitPenalty: 0.01 };

function setup(layers: LayerSpec[]) {
  const spec = { inputs: 3, layers, precision: 'float64' as const };
  const init = torchDefaultLayers(spec, randomSourceFromSeed('linit')).map((p, i) =>
    // γ, β away from 1, 0 so their gradients are exercised in general position
    layers[i]!.batchNorm ? { ...p, gamma: Float64Array.from({ length: layers[i]!.units }, (_, k) => 0.8 + 0.05 * k), beta: Float64Array.from({ length: layers[i]!.units }, (_, k) => 0.02 * k - 0.1) } : p);
  return { spec, s32: { ...spec, precision: 'float32' as const }, init };
}

const relErr = (a: ArrayLike<number>, b: ArrayLike<number>) => {
  let num = 0, den = 0;
  for (let i = 0; i < a.length; i++) { num += (a[i]! - b[i]!) ** 2; den += b[i]! ** 2; }
  return Math.sqrt(num / den);
};

const cases: [string, LayerSpec[]][] = [
  ['batch-norm, two hidden layers', [{ units: 8, activation: 'relu', batchNorm: true }, { units: 6, activation: 'tanh', batchNorm: true, bias: false }, { units: 1, activation: 'identity' }]],
  ['dropout 0.4', [{ units: 8, activation: 'relu', dropout: 0.4 }, { units: 1, activation: 'identity' }]],
  ['batch-norm then dropout, frozen first layer', [{ units: 8, activation: 'relu', frozen: true }, { units: 8, activation: 'sigmoid', batchNorm: true, dropout: 0.3 }, { units: 1, activation: 'identity' }]],
];

describe.skipIf(skipNative)(`native trainer: batch-norm and dropout${skipTitle}`, () => {
  for (const [label, layers] of cases) {
    it(`one SGD step moves by lr × the float64 gradient: ${label}`, () => {
      const { spec, s32, init } = setup(layers);
      const reference = jsTrainer().createNetwork({ spec, init, optimizer: { kind: 'sgd', lr: 1 }, random: randomSourceFromSeed('masks') }).gradient({ x, targets }, objective).gradient;
      const lr = 1e-2;
      const net = nativeTrainer(addon()).createNetwork({ spec: s32, init, optimizer: { kind: 'sgd', lr }, random: randomSourceFromSeed('masks') });
      const before = net.getParameters();
      net.step({ x: Float32Array.from(x), targets: Float32Array.from(targets) }, objective);
      const moved = before.map((v, i) => (v - net.getParameters()[i]!) / lr);
      const frozen = layers[0]!.frozen ? 3 * 8 + 8 : 0;
      expect(relErr(moved, reference.map((g, i) => (i < frozen ? 0 : g)))).toBeLessThan(2e-3);
    });
  }

  const optimizers: OptimizerSpec[] = [{ kind: 'sgd', lr: 0.05, momentum: 0.9, weightDecay: 2e-4 }, { kind: 'adam', lr: 3e-3, weightDecay: 1e-3 }];
  for (const optimizer of optimizers) {
    it(`agrees with the JS float32 trainer over 30 ${optimizer.kind} steps, eval logits and masks included (relative 1e-4)`, () => {
      const { s32, init } = setup(cases[2]![1]);
      const batch = { x: Float32Array.from(x), targets: Float32Array.from(targets) };
      const [srcJs, srcNative] = [randomSourceFromSeed('m30'), randomSourceFromSeed('m30')];
      const a = jsTrainer().createNetwork({ spec: s32, init, optimizer, random: srcJs });
      const b = nativeTrainer(addon()).createNetwork({ spec: s32, init, optimizer, random: srcNative });
      const lastJs = a.steps(batch, objective, 30);
      const lastNative = b.steps(batch, objective, 30);
      expect(relErr(b.getParameters(), a.getParameters())).toBeLessThan(1e-4);
      expect(relErr(lastNative.logits, lastJs.logits)).toBeLessThan(1e-4); // train mode, the same masks
      // eval mode: batch-norm on the running statistics the native steps kept
      const probe = randomSourceFromSeed('probe').fillNormal(new Float32Array(10 * 3));
      expect(relErr(b.logits(probe), a.logits(probe))).toBeLessThan(1e-4);
      // the same number of uniforms drawn from the node's source
      expect(srcNative.uniform()).toBe(srcJs.uniform());
    });
  }

  it('eval logits after setParameters use the running statistics of the steps taken', () => {
    const { s32, init } = setup(cases[0]![1]);
    const batch = { x: Float32Array.from(x), targets: Float32Array.from(targets) };
    const optimizer: OptimizerSpec = { kind: 'sgd', lr: 0.1 };
    const a = jsTrainer().createNetwork({ spec: s32, init, optimizer });
    const b = nativeTrainer(addon()).createNetwork({ spec: s32, init, optimizer });
    a.steps(batch, objective, 5);
    b.steps(batch, objective, 5);
    const theta = a.getParameters();
    a.setParameters(theta);
    b.setParameters(theta);
    expect(relErr(b.logits(batch.x), a.logits(batch.x))).toBeLessThan(1e-5);
  });

  it('a refused step draws nothing from the source, as on js', () => {
    const { s32, init } = setup(cases[1]![1]);
    const [srcJs, srcNative] = [randomSourceFromSeed('refused'), randomSourceFromSeed('refused')];
    const a = jsTrainer().createNetwork({ spec: s32, init, optimizer: { kind: 'sgd', lr: 0.1 }, random: srcJs });
    const b = nativeTrainer(addon()).createNetwork({ spec: s32, init, optimizer: { kind: 'sgd', lr: 0.1 }, random: srcNative });
    const bad = { x: Float32Array.from(x), targets: new Float32Array(rows).fill(3) };
    expect(() => a.step(bad, objective)).toThrow(/target/);
    expect(() => b.step(bad, objective)).toThrow(/target/);
    expect(srcNative.uniform()).toBe(srcJs.uniform());
  });

  it('steps in several calls draw the masks one call would', () => {
    const { s32, init } = setup(cases[1]![1]);
    const batch = { x: Float32Array.from(x), targets: Float32Array.from(targets) };
    const optimizer: OptimizerSpec = { kind: 'sgd', lr: 0.1 };
    const once = nativeTrainer(addon()).createNetwork({ spec: s32, init, optimizer, random: randomSourceFromSeed('split') });
    const split = nativeTrainer(addon()).createNetwork({ spec: s32, init, optimizer, random: randomSourceFromSeed('split') });
    once.steps(batch, objective, 7);
    split.steps(batch, objective, 3);
    split.step(batch, objective);
    split.steps(batch, objective, 3);
    expect([...split.getParameters()]).toEqual([...once.getParameters()]);
  });

  it('refuses what it cannot train, naming it', () => {
    const a = addon();
    const sizes = Int32Array.of(3, 4, 1), acts = Int32Array.of(1, 0), ones = Int32Array.of(1, 1), zeros = Int32Array.of(0, 0);
    const opt = Float64Array.of(0, 0.1, 0, 0, 0, 0, 0);
    const dense = new Float32Array(3 * 4 + 4 + 4 + 1);
    expect(() => a.netCreate(sizes, acts, ones, zeros, dense, opt, Int32Array.of(1, 0))).toThrow(/params has length 21, expected 29/);
    expect(() => a.netCreate(sizes, acts, ones, zeros, dense, opt, Int32Array.of(2, 0))).toThrow(/batchNorm\[0\] must be 0 or 1/);
    expect(() => a.netCreate(sizes, acts, ones, zeros, dense, opt, null, Float64Array.of(1, 0))).toThrow(/dropout\[0\] must be a drop probability in \[0, 1\), got 1/);
    expect(() => a.netCreate(sizes, acts, ones, zeros, dense, opt, null, Float64Array.of(0.5))).toThrow(/dropout has length 1, expected 2/);
    const h = a.netCreate(sizes, acts, ones, zeros, dense, opt, null, Float64Array.of(0.5, 0));
    const xs = new Float32Array(6), ts = Float32Array.of(0, 1);
    expect(() => a.netSteps(h, xs, ts, 0, 0, 1, 2, null)).toThrow(/has dropout: netSteps needs maskSeeds, one uniform per step/);
    expect(() => a.netSteps(h, xs, ts, 0, 0, 1, 2, null, Float64Array.of(0.5))).toThrow(/maskSeeds has length 1, expected 2/);
    expect(() => a.netSteps(h, xs, ts, 0, 0, 1, 2, null, Float64Array.of(0.5, 1))).toThrow(/maskSeeds\[1\] must be a uniform in \[0, 1\)/);
    expect(() => a.netSteps(h, xs, ts, 0, 0, 1, 2, null, Float64Array.of(0.5, 0.25))).not.toThrow();
    expect(a.netRunningStats(h)).toHaveLength(0);
    a.netDispose(h);
    const { s32, init } = setup(cases[1]![1]);
    expect(() => nativeTrainer(a).createNetwork({ spec: s32, init, optimizer: { kind: 'sgd', lr: 0.1 } })).toThrow(/dropout needs a random source/);
  });
});

describe.skipIf(skipNative)(`trainer backend selection${skipTitle}`, () => {
  it('chooses the native trainer when built, with its BLAS thread count in its identity', async () => {
    const { selectTrainer } = await import('../../engine/compute/backends.ts');
    const chosen = await selectTrainer();
    expect(chosen.notes.join('; ')).not.toMatch(/native not used/);
    expect(chosen.name).toBe('native');
    expect(chosen.identity).toMatch(/^native\[blas-threads=\d+\]$/);
  });
});
