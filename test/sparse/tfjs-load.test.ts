import { describe, expect, it } from 'vitest';
import { BackendUnavailable } from '../../engine/compute/backends.ts';
import { load, wasmFeatures } from '../../compute/mlp-tfjs.ts';

describe('tfjs MLP backend loading', () => {
  for (const flavor of ['tfjs-node', 'tfjs-node-gpu'] as const) {
    it(`${flavor}: absent package is BackendUnavailable with a one-line reason`, async () => {
      const err = await load(flavor).then(() => undefined, (e: unknown) => e);
      // where the optional package is installed this test has nothing to check
      if (err === undefined) return;
      expect(err).toBeInstanceOf(BackendUnavailable);
      const reason = (err as BackendUnavailable).reason;
      expect(reason).toContain(`@tensorflow/${flavor}`);
      expect(reason).not.toContain('\n');
    });
  }

  it('wasm loads its binaries from node_modules, with SIMD, and names itself', async () => {
    const mlp = await load('wasm');
    expect(mlp.name).toBe('wasm');
    expect((await wasmFeatures()).simd).toBe(true);
  });

  it('cpu loads and trains', async () => {
    const mlp = await load('cpu');
    const t = await mlp.createTrainer([2, 1], { weights: [Float32Array.of(1, -1)], biases: [Float32Array.of(0)] }, 'bce-with-logits');
    const r = await t.trainStep(Float32Array.of(1, 0), Int32Array.of(1), { lr: 0.1 });
    expect(r.loss).toBeCloseTo(Math.log1p(Math.exp(-1)), 6);
    t.dispose();
  });
});
