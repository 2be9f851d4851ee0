import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { dataLoss, gradient, penalty, totalLoss, type Params64, type Problem } from './reference-mlp.ts';
import { smoothProblem } from './fixtures.ts';

const H = 1e-6;

function perturbed(params: Params64, tensor: 'weights' | 'biases', l: number, k: number, delta: number): Params64 {
  const copy = { weights: params.weights.map((w) => w.slice()), biases: params.biases.map((b) => b.slice()) };
  copy[tensor][l]![k]! += delta;
  return copy;
}

function finiteDifference(f: (p: Params64) => number, params: Params64, tensor: 'weights' | 'biases', l: number, k: number): number {
  return (f(perturbed(params, tensor, l, k, H)) - f(perturbed(params, tensor, l, k, -H))) / (2 * H);
}

function expectGradientMatches(problem: Problem, params: Params64): void {
  const analytic = gradient(problem, params);
  const f = (p: Params64) => totalLoss(problem, p);
  for (const tensor of ['weights', 'biases'] as const) {
    params[tensor].forEach((t, l) => {
      for (let k = 0; k < t.length; k++) {
        const fd = finiteDifference(f, params, tensor, l, k);
        const an = analytic[tensor][l]![k]!;
        expect(Math.abs(fd - an), `${tensor}[${l}][${k}]: finite difference ${fd}, analytic ${an}`).toBeLessThan(1e-6 * Math.max(1, Math.abs(an)));
      }
    });
  }
}

describe('analytic subgradient of data loss + α·L1 against float64 finite differences', () => {
  for (const form of ['notebook', 'elementwise'] as const) {
    for (const loss of ['softmax-cross-entropy', 'bce-with-logits'] as const) {
      it(`${form} penalty, ${loss}`, () => {
        const out = loss === 'bce-with-logits' ? 1 : 3;
        const { problem, params } = smoothProblem(`grad/${form}/${loss}`, [6, 5, out], 7, 0.3, form, loss);
        expectGradientMatches(problem, params);
      });
    }
  }

  it('holds for random small shapes, depths and α (property)', () => {
    fc.assert(
      fc.property(
        fc.array(fc.integer({ min: 1, max: 5 }), { minLength: 1, maxLength: 2 }),
        fc.integer({ min: 2, max: 6 }),
        fc.constantFrom(0, 0.01, 1, 10),
        fc.constantFrom('notebook' as const, 'elementwise' as const),
        fc.nat(1000),
        (hidden, inputs, alpha, form, seed) => {
          const { problem, params } = smoothProblem(`prop/${seed}`, [inputs, ...hidden, 3], 4, alpha, form, 'softmax-cross-entropy');
          expectGradientMatches(problem, params);
        },
      ),
      { numRuns: 25 },
    );
  });
});

describe('the notebook penalty is the induced matrix 1-norm', () => {
  const { problem, params } = smoothProblem('norm', [6, 4, 3], 5, 2, 'notebook', 'softmax-cross-entropy');
  const inp = 6, out = 4;
  const sums = Array.from({ length: inp }, (_, i) => Array.from({ length: out }, (_, j) => Math.abs(params.weights[0]![j * inp + i]!)).reduce((a, b) => a + b));
  const star = sums.indexOf(Math.max(...sums));

  it('its subgradient touches only the input column with the largest Σ|w|', () => {
    const withPenalty = gradient(problem, params).weights[0]!;
    const without = gradient({ ...problem, alpha: 0 }, params).weights[0]!;
    for (let j = 0; j < out; j++) {
      for (let i = 0; i < inp; i++) {
        const k = j * inp + i;
        const expected = i === star ? 2 * Math.sign(params.weights[0]![k]!) : 0;
        expect(withPenalty[k]! - without[k]!).toBeCloseTo(expected, 12);
      }
    }
  });

  it('numerically, the penalty moves only with the weights of that column', () => {
    const pen = (p: Params64) => penalty(problem, p);
    for (let j = 0; j < out; j++) {
      for (let i = 0; i < inp; i++) {
        const fd = finiteDifference(pen, params, 'weights', 0, j * inp + i);
        expect(fd).toBeCloseTo(i === star ? Math.sign(params.weights[0]![j * inp + i]!) : 0, 6);
      }
    }
  });

  it('differs from the elementwise sum (which is what makes the recovery possible)', () => {
    expect(penalty(problem, params)).toBeLessThan(penalty({ ...problem, form: 'elementwise' }, params));
    expect(dataLoss(problem, params)).toBeGreaterThan(0);
  });
});
