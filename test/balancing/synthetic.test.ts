import { describe, expect, it } from 'vitest';
import { randomSourceFromSeed } from '../../engine/random.ts';
import { runTyped as runNode } from '../stats/run-node.ts';
import { countBy, fromBundle, groupIds } from '../../nodes/balancing/dataset.ts';
import { drawSyntheticData, syntheticDataNode, syntheticParams } from '../../nodes/balancing/synthetic.ts';

const data = drawSyntheticData(randomSourceFromSeed('synthetic-test'), syntheticParams.parse({}));

describe('synthetic example (eq. 8.4.1)', () => {
  it('has n = 1000 per split and x = [spu, core, noise] ∈ R^1202', () => {
    for (const s of [data.train, data.val, data.test]) {
      expect(s.n).toBe(1000);
      expect(s.d).toBe(1202);
    }
  });
  it('labels: 500 × 0 then 500 × 1; ρ_spu = 0.8 flips exactly 199 rows, all marked minority (ρ_core = 1 flips none)', () => {
    for (const s of [data.train, data.val, data.test]) {
      expect(Array.from(s.y.slice(0, 500)).every((v) => v === 0)).toBe(true);
      expect(Array.from(s.y.slice(500)).every((v) => v === 1)).toBe(true);
      expect(Array.from(s.a).filter((v) => v === 0).length).toBe(199);
      const groups = countBy(groupIds(s, 2), 4);
      expect(groups[0]! + groups[2]!).toBe(199);
      expect(groups[1]! + groups[3]!).toBe(801);
    }
  });
  it('core = x₀·y with x₀ ≈ −1 (σ = 0.15): sign(core) = −sign(y) on every row; spu agrees with core exactly on the majority', () => {
    const s = data.train;
    for (let i = 0; i < s.n; i++) {
      const ySign = 2 * s.y[i]! - 1;
      const spu = s.x[i * s.d]!, core = s.x[i * s.d + 1]!;
      expect(Math.sign(core)).toBe(-ySign);
      if (Math.abs(spu) > 0.3) expect(Math.sign(spu) === Math.sign(core)).toBe(s.a[i] === 1);
    }
  });
  it('the blob is centred empirically then shifted: mean |core| is exactly 1 up to float32 rounding', () => {
    const s = data.val;
    let sum = 0;
    for (let i = 0; i < s.n; i++) sum += -s.x[i * s.d + 1]! * (2 * s.y[i]! - 1);
    expect(sum / s.n).toBeCloseTo(1, 6);
  });
  it('noise N(0,1) in the training split only, zero in validation and test', () => {
    const t = data.train;
    let sum = 0, sq = 0;
    for (let i = 0; i < t.n; i++) for (let j = 2; j < t.d; j++) { const v = t.x[i * t.d + j]!; sum += v; sq += v * v; }
    const m = sum / (t.n * 1200);
    expect(Math.abs(m)).toBeLessThan(0.01);
    expect(sq / (t.n * 1200)).toBeGreaterThan(0.98);
    expect(sq / (t.n * 1200)).toBeLessThan(1.02);
    let nonzero = 0;
    for (const s of [data.val, data.test]) for (let i = 0; i < s.n; i++) for (let j = 2; j < s.d; j++) if (s.x[i * s.d + j] !== 0) nonzero++;
    expect(nonzero).toBe(0);
  });
  it('splits are independent draws', () => {
    expect(data.val.x[1]).not.toBe(data.test.x[1]);
    expect(Array.from(data.val.a)).not.toEqual(Array.from(data.test.a));
  });
  it('γ = [4, 1, 20 × 1200] by default (thesis), γ_noise is a data parameter', () => {
    expect(Array.from(data.gamma!.slice(0, 3))).toEqual([4, 1, 20]);
    expect(data.gamma!.length).toBe(1202);
    const code = drawSyntheticData(randomSourceFromSeed('x'), syntheticParams.parse({ gammaNoise: 2, noiseDims: 10, n: 20 }));
    expect(code.gamma![5]).toBe(2);
  });
  it('the node emits a tensor bundle that round-trips, and different seeds give different data', async () => {
    const a = fromBundle(await runNode(syntheticDataNode, { params: { n: 40, noiseDims: 3, seed: 0 } }));
    const b = fromBundle(await runNode(syntheticDataNode, { params: { n: 40, noiseDims: 3, seed: 1 } }));
    expect(a.train.d).toBe(5);
    expect(a.gamma![4]).toBe(20);
    expect(a.train.x[0]).not.toBe(b.train.x[0]);
  });
  it('rejects an odd n and a correlation outside [0, 1] before running', async () => {
    await expect(runNode(syntheticDataNode, { params: { n: 41 } })).rejects.toThrow(/even/);
    await expect(runNode(syntheticDataNode, { params: { rhoSpu: 1.5 } })).rejects.toThrow();
  });
});
