/**
 * Finite-difference checks of the JS trainer in float64: every loss, the logit penalty, the
 * scale, both L1 forms, and every layer kind (activations, no bias, batch-norm in train mode,
 * dropout with a replayed mask, frozen layers), plus the Jacobian of the logit.
 */
import type { L1Objective } from '../../compute/extensions/l1-forms.ts';
import { describe, expect, it } from 'vitest';
import { jsTrainer } from '../../compute/trainer-js.ts';
import { torchDefaultLayers } from '../../compute/trainer-init.ts';
import { randomSourceFromSeed } from '../../engine/random.ts';
import type { LayerSpec, LossSpec, Network, UniformSource } from '../../engine/compute/trainer.ts';

/** a uniform source that restarts its stream on `rewind()`, so dropout masks repeat */
function replayable(seed: string): UniformSource & { rewind(): void } {
  let src = randomSourceFromSeed(seed);
  return { uniform: () => src.uniform(), rewind: () => { src = randomSourceFromSeed(seed); } };
}

function build(layers: LayerSpec[], inputs: number, random?: UniformSource): Network {
  const spec = { inputs, layers, precision: 'float64' as const };
  const init = torchDefaultLayers(spec, randomSourceFromSeed('init'));
  // γ, β away from 1, 0 so their gradients are exercised in general position
  const bnInit = init.map((p, i) => (layers[i]!.batchNorm ? { ...p, gamma: Float64Array.from({ length: layers[i]!.units }, (_, k) => 0.7 + 0.1 * k), beta: Float64Array.from({ length: layers[i]!.units }, (_, k) => 0.05 * k - 0.1) } : p));
  return jsTrainer().createNetwork({ spec, init: bnInit, optimizer: { kind: 'sgd', lr: 0.1 }, ...(random ? { random } : {}) });
}

function inputs(rows: number, cols: number): Float64Array {
  return randomSourceFromSeed(`x${rows}x${cols}`).fillNormal(new Float64Array(rows * cols));
}

/** max relative error of the analytic gradient against central differences */
function gradientError(net: Network, x: Float64Array, targets: Float64Array, objective: L1Objective, rewind: () => void = () => {}): number {
  rewind();
  const { gradient } = net.gradient({ x, targets }, objective);
  const theta = net.getParameters();
  const h = 1e-6;
  let worst = 0;
  for (let i = 0; i < theta.length; i++) {
    const at = (v: number) => {
      const t = Float64Array.from(theta);
      t[i] = v;
      net.setParameters(t);
      rewind();
      return net.gradient({ x, targets }, objective).value;
    };
    const fd = (at(theta[i]! + h) - at(theta[i]! - h)) / (2 * h);
    worst = Math.max(worst, Math.abs(fd - gradient[i]!) / Math.max(1e-4, Math.abs(fd) + Math.abs(gradient[i]!)));
  }
  net.setParameters(theta);
  return worst;
}

const rows = 6;
const hidden = (activation: LayerSpec['activation'], extra: Partial<LayerSpec> = {}): LayerSpec => ({ units: 4, activation, ...extra });
const out = (units = 1): LayerSpec => ({ units, activation: 'identity' });
const zeroOne = Float64Array.from({ length: rows }, (_, i) => i % 2);
const bce: LossSpec = { kind: 'bce-with-logits', labels: 'zero-one' };

describe('JS trainer gradients (float64, central differences)', () => {
  const losses: [string, LossSpec, number, Float64Array][] = [
    ['bce-with-logits on {0,1}', bce, 1, zeroOne],
    ['bce-with-logits on ±1', { kind: 'bce-with-logits', labels: 'plus-minus' }, 1, zeroOne.map((t) => 2 * t - 1)],
    ['softmax cross-entropy', { kind: 'softmax-cross-entropy' }, 3, Float64Array.from({ length: rows }, (_, i) => i % 3)],
    ['mse', { kind: 'mse' }, 2, inputs(rows, 2)],
  ];
  for (const [name, loss, k, targets] of losses) {
    it(`matches for ${name}`, () => {
      const net = build([hidden('relu'), out(k)], 3);
      expect(gradientError(net, inputs(rows, 3), targets, { loss })).toBeLessThan(1e-6);
    });
  }

  it('matches with the logit penalty and a loss scale (spectral decoupling, both phases)', () => {
    const net = build([hidden('relu'), out()], 3);
    expect(gradientError(net, inputs(rows, 3), zeroOne, { loss: bce, logitPenalty: 0.3 })).toBeLessThan(1e-6);
    expect(gradientError(net, inputs(rows, 3), zeroOne, { loss: bce, logitPenalty: 1, scale: 2e-2 })).toBeLessThan(1e-6);
  });

  it('matches with both L1 forms (parameters away from 0 and from column ties)', () => {
    const net = build([hidden('tanh'), out()], 3);
    for (const l1Form of ['elementwise', 'notebook'] as const) {
      expect(gradientError(net, inputs(rows, 3), zeroOne, { loss: bce, l1: 0.05, l1Form })).toBeLessThan(1e-6);
    }
  });

  for (const activation of ['relu', 'tanh', 'sigmoid', 'identity'] as const) {
    it(`matches through ${activation} layers, two deep`, () => {
      const net = build([hidden(activation), hidden(activation), out()], 3);
      expect(gradientError(net, inputs(rows, 3), zeroOne, { loss: bce })).toBeLessThan(1e-6);
    });
  }

  it('matches for layers without bias', () => {
    const net = build([hidden('tanh', { bias: false }), { units: 1, activation: 'identity', bias: false }], 3);
    expect(net.parameterCount).toBe(4 * 3 + 4);
    expect(gradientError(net, inputs(rows, 3), zeroOne, { loss: bce })).toBeLessThan(1e-6);
  });

  it('matches through batch-norm in train mode (batch statistics)', () => {
    const net = build([hidden('relu', { batchNorm: true }), hidden('tanh', { batchNorm: true }), out()], 3);
    expect(gradientError(net, inputs(rows, 3), zeroOne, { loss: bce })).toBeLessThan(1e-6);
  });

  it('matches through dropout with the same mask', () => {
    const random = replayable('mask');
    const net = build([hidden('relu', { dropout: 0.4 }), out()], 3, random);
    expect(gradientError(net, inputs(rows, 3), zeroOne, { loss: bce }, () => random.rewind())).toBeLessThan(1e-6);
  });

  it('reports gradients of frozen layers but never updates them', () => {
    const net = build([hidden('relu', { frozen: true }), out()], 3);
    expect(gradientError(net, inputs(rows, 3), zeroOne, { loss: bce })).toBeLessThan(1e-6);
    const before = net.getParameters();
    net.step({ x: inputs(rows, 3), targets: zeroOne }, { loss: bce });
    const after = net.getParameters();
    expect(after.subarray(0, 16)).toEqual(before.subarray(0, 16));
    expect(after.subarray(16)).not.toEqual(before.subarray(16));
  });

  it('gives the Jacobian of the logit (eval mode, batch-norm on running statistics)', () => {
    const net = build([hidden('relu', { batchNorm: true }), hidden('sigmoid'), out()], 3);
    net.step({ x: inputs(rows, 3), targets: zeroOne }, { loss: bce }); // moves the running statistics off (0, 1)
    const x = inputs(rows, 3);
    const J = net.jacobian(x);
    const theta = net.getParameters(), P = net.parameterCount, h = 1e-6;
    let worst = 0;
    for (let i = 0; i < P; i++) {
      const shifted = (d: number) => { const t = Float64Array.from(theta); t[i]! += d; net.setParameters(t); return net.logits(x); };
      const up = shifted(h), down = shifted(-h);
      for (let r = 0; r < rows; r++) {
        const fd = (up[r]! - down[r]!) / (2 * h);
        worst = Math.max(worst, Math.abs(fd - J[r * P + i]!) / Math.max(1e-4, Math.abs(fd) + Math.abs(J[r * P + i]!)));
      }
    }
    expect(worst).toBeLessThan(1e-6);
  });
});
