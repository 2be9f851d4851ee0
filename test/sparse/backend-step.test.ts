import { describe, expect, it } from 'vitest';
import { dataLoss, gradient, penalty, sgdStep } from './reference-mlp.ts';
import { maxAbsDiff, mlpBackends, nativeMlpIfBuilt, smoothProblem, toFloat32 } from './fixtures.ts';

// float32 parameters and activations: one step on this tiny problem stays within 2e-6 of float64
const STEP_TOLERANCE = 2e-6;

describe('one training step on every MLP backend matches the float64 reference', async () => {
  const native = await nativeMlpIfBuilt();
  const backends = [...(await mlpBackends()), ...(native ? [native] : [])];
  const cases = [
    { form: 'notebook', loss: 'softmax-cross-entropy', layers: [9, 7, 4] },
    { form: 'elementwise', loss: 'softmax-cross-entropy', layers: [9, 7, 4] },
    { form: 'notebook', loss: 'softmax-cross-entropy', layers: [9, 6, 5, 4] },
    { form: 'notebook', loss: 'bce-with-logits', layers: [9, 7, 1] },
  ] as const;
  for (const mlp of backends) {
    for (const c of cases) {
      it(`${mlp.name}: ${c.form}, ${c.loss}, layers ${c.layers.join('→')}`, async () => {
        const alpha = 0.05, lr = 0.1;
        const { problem, params } = smoothProblem(`step/${c.form}/${c.loss}/${c.layers.length}`, [...c.layers], 8, alpha, c.form, c.loss);
        // a row of constant background, as in normalised images, exercises the sparse-row path
        problem.x.fill(Math.fround(-0.4242), 0, 9);
        const trainer = await mlp.createTrainer(c.layers, toFloat32(params), c.loss);
        const r = await trainer.trainStep(Float32Array.from(problem.x), problem.labels, { lr, l1: alpha, l1Form: c.form });
        expect(r.loss).toBeCloseTo(dataLoss(problem, params), 5);
        expect(r.penalty).toBeCloseTo(alpha * penalty(problem, params), 5);
        const expected = sgdStep(params, gradient(problem, params), lr);
        const got = await trainer.getParams();
        got.weights.forEach((w, l) => expect(maxAbsDiff(w, expected.weights[l]!), `weights[${l}]`).toBeLessThan(STEP_TOLERANCE));
        got.biases.forEach((b, l) => expect(maxAbsDiff(b, expected.biases[l]!), `biases[${l}]`).toBeLessThan(STEP_TOLERANCE));
        const ev = await trainer.evaluate(Float32Array.from(problem.x), problem.labels);
        expect(ev.count).toBe(8);
        expect(ev.loss).toBeCloseTo(dataLoss(problem, expected), 5);
        trainer.dispose();
      });
    }
  }

  it('the subgradient uses sign(0) = 0: a zero weight with no data gradient stays zero', async () => {
    for (const mlp of backends) {
      // input 0 is always 0, so its column gets no data gradient; it is also the largest column
      const weights = [Float32Array.of(0, 0.1, 0, 0.1), Float32Array.of(0.5, -0.5)];
      const trainer = await mlp.createTrainer([2, 2, 1], { weights, biases: [Float32Array.of(0, 0), Float32Array.of(0)] }, 'bce-with-logits');
      await trainer.trainStep(Float32Array.of(0, 1, 0, 2), Int32Array.of(1, 0), { lr: 0.1, l1: 1, l1Form: 'elementwise' });
      const p = await trainer.getParams();
      expect(p.weights[0]![0], mlp.name).toBe(0);
      expect(p.weights[0]![2], mlp.name).toBe(0);
      trainer.dispose();
    }
  });
});
