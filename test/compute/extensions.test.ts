/**
 * Study-specific kernels live outside the generic compute interfaces, as named extensions: a
 * node asks for one and gets the backend's own implementation, the reference, or a clear error.
 */
import { describe, expect, it } from 'vitest';
import { withL1Forms } from '../../compute/extensions/l1-forms.ts';
import { quadraticGdKernel, quadraticGdStepsJs } from '../../compute/extensions/quadratic-gd.ts';
import { jsMlp } from '../../compute/mlp-js.ts';
import { mlMatrixLinalg } from '../../compute/linalg-mlmatrix.ts';
import { jsTrainer } from '../../compute/trainer-js.ts';
import type { Linalg } from '../../engine/compute/linalg.ts';
import { mat } from '../../engine/compute/matrix.ts';
import type { MlpCompute } from '../../engine/compute/mlp.ts';

describe('the L1 penalty extension', () => {
  it('refuses a backend that does not declare it, naming the backend, instead of training without the penalty', () => {
    const plain: MlpCompute = { name: 'my-gpu', createTrainer: () => { throw new Error('not reached'); } };
    expect(() => withL1Forms(plain)).toThrow(/my-gpu compute backend does not implement the L1 penalty/);
  });
  it('passes the built-in backends that honour it', () => {
    expect(withL1Forms(jsMlp)).toBe(jsMlp);
    expect(withL1Forms(jsTrainer()).name).toBe('js');
  });
});

describe('the quadratic-GD kernel extension', () => {
  const A = mat(2, 2, Float64Array.of(2, 0.5, 0.5, 1));
  const b = Float64Array.of(1, -1);
  const options = { eta: 0.1, lambda: 0.01, steps: 25 };

  it("uses a backend's own kernel when it has one", () => {
    let calls = 0;
    const own = { ...mlMatrixLinalg, quadraticGdSteps: () => { calls++; } };
    quadraticGdKernel(own)(A, b, new Float64Array(2), options);
    expect(calls).toBe(1);
  });

  it('falls back to the JS reference for a generic Linalg, with the same result', () => {
    const { quadraticGdSteps: _own, ...generic } = mlMatrixLinalg;
    const w = new Float64Array(2), reference = new Float64Array(2);
    quadraticGdKernel(generic as Linalg)(A, b, w, options);
    quadraticGdStepsJs(A, b, reference, options);
    expect([...w]).toEqual([...reference]);
    expect(Math.abs(w[0]!)).toBeGreaterThan(0);
  });
});
