/**
 * Every trainer backend against the JS float64 reference: one plain SGD step's update gives the
 * backend's gradient ((θ₀ − θ₁)/lr), checked against the float64 gradient for every loss, the
 * logit penalty with a scale, and each layer kind the backend fuses; then 30 steps of SGD with
 * momentum and decay, and of Adam, agree with the JS float32 trainer to float32 tolerance
 * (relative 1e-4 on the parameter vector). The native backend is skipped when not built.
 */
import type { L1Objective } from '../../compute/extensions/l1-forms.ts';
import { describe, expect, it } from 'vitest';
import { jsTrainer } from '../../compute/trainer-js.ts';
import { torchDefaultLayers } from '../../compute/trainer-init.ts';
import { randomSourceFromSeed } from '../../engine/random.ts';
import type { LayerSpec, LossSpec, OptimizerSpec, TrainerCompute } from '../../engine/compute/trainer.ts';
import { addon, skipNative } from '../native/native-available.ts';
import { nativeTrainer } from '../../compute/trainer-native.ts';

const backends: [string, () => TrainerCompute, boolean][] = [
  ['js', jsTrainer, false],
  ['native', () => nativeTrainer(addon()), skipNative],
];

const rows = 12;
const x = randomSourceFromSeed('bx').fillNormal(new Float64Array(rows * 3));

function setup(layers: LayerSpec[], loss: LossSpec) {
  const spec = { inputs: 3, layers, precision: 'float64' as const };
  const init = torchDefaultLayers(spec, randomSourceFromSeed('binit'));
  const outputs = layers[layers.length - 1]!.units;
  const t = loss.kind === 'mse' ? randomSourceFromSeed('t').fillNormal(new Float64Array(rows * outputs))
    : Float64Array.from({ length: rows }, (_, i) => (loss.kind === 'softmax-cross-entropy' ? i % outputs : loss.labels === 'zero-one' ? i % 2 : 2 * (i % 2) - 1));
  return { spec, init, targets: t };
}

const relErr = (a: ArrayLike<number>, b: ArrayLike<number>) => {
  let num = 0, den = 0;
  for (let i = 0; i < a.length; i++) { num += (a[i]! - b[i]!) ** 2; den += b[i]! ** 2; }
  return Math.sqrt(num / den);
};

const cases: [string, LayerSpec[], L1Objective][] = [
  ['bce {0,1}, relu', [{ units: 8, activation: 'relu' }, { units: 1, activation: 'identity' }], { loss: { kind: 'bce-with-logits', labels: 'zero-one' } }],
  ['bce ±1 + logit penalty, scaled', [{ units: 8, activation: 'relu' }, { units: 1, activation: 'identity' }], { loss: { kind: 'bce-with-logits', labels: 'plus-minus' }, logitPenalty: 0.3, scale: 0.5 }],
  ['softmax cross-entropy, tanh', [{ units: 8, activation: 'tanh' }, { units: 3, activation: 'identity' }], { loss: { kind: 'softmax-cross-entropy' } }],
  ['mse, sigmoid, no bias', [{ units: 8, activation: 'sigmoid', bias: false }, { units: 2, activation: 'identity' }], { loss: { kind: 'mse' } }],
  ['frozen first layer, two hidden', [{ units: 8, activation: 'relu', frozen: true }, { units: 5, activation: 'tanh' }, { units: 1, activation: 'identity' }], { loss: { kind: 'bce-with-logits', labels: 'zero-one' } }],
];

for (const [name, make, skip] of backends) {
  describe.skipIf(skip)(`trainer backend ${name}`, () => {
    for (const [label, layers, objective] of cases) {
      it(`one SGD step moves by lr × the float64 gradient: ${label}`, () => {
        const { spec, init, targets } = setup(layers, objective.loss);
        const reference = jsTrainer().createNetwork({ spec, init, optimizer: { kind: 'sgd', lr: 1 } }).gradient({ x, targets }, objective).gradient;
        const lr = 1e-2;
        const net = make().createNetwork({ spec: { ...spec, precision: 'float32' }, init, optimizer: { kind: 'sgd', lr } });
        const before = net.getParameters();
        net.step({ x: Float32Array.from(x), targets: Float32Array.from(targets) }, objective);
        const after = net.getParameters();
        const moved = before.map((v, i) => (v - after[i]!) / lr);
        // frozen parameters stay put; the rest moved by lr·g to float32 precision
        const trainable = reference.map((g, i) => (layers[0]!.frozen && i < 3 * 8 + 8 ? 0 : g));
        expect(relErr(moved, trainable)).toBeLessThan(2e-3);
      });
    }

    const optimizers: OptimizerSpec[] = [{ kind: 'sgd', lr: 0.05, momentum: 0.9, weightDecay: 2e-4 }, { kind: 'adam', lr: 3e-3, weightDecay: 1e-3 }];
    for (const optimizer of optimizers) {
      it(`agrees with the JS float32 trainer over 30 ${optimizer.kind} steps (relative 1e-4)`, () => {
        const layers: LayerSpec[] = [{ units: 16, activation: 'relu' }, { units: 1, activation: 'identity' }];
        const objective: L1Objective = { loss: { kind: 'bce-with-logits', labels: 'plus-minus' }, logitPenalty: 0.003 };
        const { spec, init, targets } = setup(layers, objective.loss);
        const s32 = { ...spec, precision: 'float32' as const };
        const batch = { x: Float32Array.from(x), targets: Float32Array.from(targets) };
        const a = jsTrainer().createNetwork({ spec: s32, init, optimizer });
        const b = make().createNetwork({ spec: s32, init, optimizer });
        a.steps(batch, objective, 30);
        const last = b.steps(batch, objective, 30);
        expect(relErr(b.getParameters(), a.getParameters())).toBeLessThan(1e-4);
        // the returned logits are the last step's, before its update
        const probe = make().createNetwork({ spec: s32, init, optimizer });
        probe.steps(batch, objective, 29);
        expect(relErr(last.logits, probe.logits(batch.x))).toBeLessThan(1e-5);
      });
    }
  });
}

describe.skipIf(skipNative)('native trainer input checks', () => {
  it('refuses targets that do not fit the loss, naming them', () => {
    const { spec, init } = setup([{ units: 4, activation: 'relu' }, { units: 1, activation: 'identity' }], { kind: 'mse' });
    const net = backends[1]![1]().createNetwork({ spec: { ...spec, precision: 'float32' }, init, optimizer: { kind: 'sgd', lr: 0.1 } });
    expect(() => net.step({ x: Float32Array.from(x), targets: new Float32Array(rows).fill(2) }, { loss: { kind: 'bce-with-logits', labels: 'zero-one' } })).toThrow(/target 2 at 0/);
    expect(() => net.step({ x: Float32Array.from(x), targets: new Float32Array(rows) }, { loss: { kind: 'bce-with-logits', labels: 'zero-one' }, l1: 0.1 } as L1Objective)).toThrow(/no L1/);
  });
});
