import { describe, expect, it } from 'vitest';
import { randomSourceFromSeed } from '../../engine/random.ts';
import { MomentumSgd } from '../../nodes/balancing/train/sgd.ts';
import { LinearHead } from '../../nodes/balancing/model/linear.ts';
import { MlpHead } from '../../nodes/balancing/model/mlp.ts';
import { outputLoss, type Head, type PreparedSplit } from '../../nodes/balancing/model/head.ts';
import { prepareSplit } from '../../nodes/balancing/model/prepare.ts';
import { selectEpoch } from '../../nodes/balancing/train/selection.ts';

describe('SGD with momentum (PyTorch semantics)', () => {
  it('first step uses the gradient as the buffer; later steps buf = μ·buf + g + wd·p', () => {
    const p = Float64Array.of(1, -2);
    const sgd = new MomentumSgd(2, 0.1, 0.9, 0.5);
    sgd.step(p, Float64Array.of(1, 1));
    // g = (1 + 0.5, 1 − 1) = (1.5, 0); p = (1 − 0.15, −2)
    expect(Array.from(p)).toEqual([1 - 0.1 * 1.5, -2]);
    sgd.step(p, Float64Array.of(0, 2));
    const buf0 = 0.9 * 1.5 + 0 + 0.5 * 0.85, buf1 = 0.9 * 0 + 2 + 0.5 * -2;
    expect(p[0]).toBeCloseTo(0.85 - 0.1 * buf0, 15);
    expect(p[1]).toBeCloseTo(-2 - 0.1 * buf1, 15);
  });
});

describe('BCE-with-logits', () => {
  it('matches −y log σ(z) − (1−y) log(1−σ(z)) and stays finite for large |z|', () => {
    const dz = new Float64Array(1);
    for (const z of [-3, -0.2, 0, 1.5, 4]) for (const y of [0, 1]) {
      const s = 1 / (1 + Math.exp(-z));
      expect(outputLoss(Float64Array.of(z), 0, 1, y, dz)).toBeCloseTo(-(y * Math.log(s) + (1 - y) * Math.log(1 - s)), 12);
      expect(dz[0]).toBeCloseTo(s - y, 14);
    }
    expect(outputLoss(Float64Array.of(800), 0, 1, 0, dz)).toBe(800);
  });
});

function gradientCheck(head: Head, split: PreparedSplit) {
  const idx = Int32Array.from({ length: split.n }, (_, i) => i);
  const coef = Float64Array.from({ length: split.n }, (_, i) => (i + 1) / 10);
  const losses = new Float64Array(split.n);
  const total = () => { head.forward(split, idx, split.n, losses); return losses.reduce((s, l, i) => s + coef[i]! * l, 0); };
  total();
  head.backward(coef);
  const analytic = Float64Array.from(head.grad);
  for (let p = 0; p < head.params.length; p += Math.max(1, Math.floor(head.params.length / 25))) {
    const h = 1e-7, keep = head.params[p]!; // small enough not to cross a ReLU kink
    head.params[p] = keep + h; const up = total();
    head.params[p] = keep - h; const down = total();
    head.params[p] = keep;
    expect(analytic[p], `parameter ${p}`).toBeCloseTo((up - down) / (2 * h), 5);
  }
}

function randomSplit(n: number, d: number, classes: number, seed: string): PreparedSplit {
  const r = randomSourceFromSeed(seed);
  const x = r.fillNormal(new Float32Array(n * d));
  const y = Int32Array.from({ length: n }, () => r.int(classes));
  return prepareSplit({ n, d, x, y, a: new Int32Array(n) }, 1);
}

describe('heads: weighted-loss gradients agree with finite differences', () => {
  it('linear binary head without bias (the toy model)', () => {
    const head = new LinearHead(13, 1, false, 16);
    head.initialise(randomSourceFromSeed('l'));
    gradientCheck(head, randomSplit(11, 13, 2, 'a'));
  });
  it('linear softmax head with bias (3 classes)', () => {
    const head = new LinearHead(7, 3, true, 16);
    head.initialise(randomSourceFromSeed('l3'));
    gradientCheck(head, randomSplit(9, 7, 3, 'b'));
  });
  it('one-hidden-layer MLP head, binary and 3 classes', () => {
    for (const k of [1, 3]) {
      const head = new MlpHead(6, 5, k, 16);
      head.initialise(randomSourceFromSeed('m' + k));
      gradientCheck(head, randomSplit(10, 6, k === 1 ? 2 : 3, 'c' + k));
    }
  });
  it('scaled initialisation: |w_j| ≤ 0.01/(γ_j √d)', () => {
    const gamma = Float64Array.of(4, 1, 20, 20);
    const head = new LinearHead(4, 1, false, 1);
    head.initialise(randomSourceFromSeed('g'), gamma);
    head.params.forEach((w, j) => expect(Math.abs(w)).toBeLessThanOrEqual(0.01 / gamma[j]! / 2));
  });
  it('the sparse prediction path (all-zero columns skipped) equals the dense one', () => {
    const n = 50, d = 40;
    const r = randomSourceFromSeed('s');
    const x = new Float32Array(n * d);
    for (let i = 0; i < n; i++) { x[i * d] = r.normal(); x[i * d + 7] = r.normal(); }
    const sparse = prepareSplit({ n, d, x, y: new Int32Array(n), a: new Int32Array(n) }, 1);
    expect(sparse.sparse?.active).toEqual(Int32Array.of(0, 7));
    const dense: PreparedSplit = { ...sparse, sparse: undefined };
    const head = new LinearHead(d, 1, false, 1);
    head.initialise(r);
    const p1 = new Int32Array(n), p2 = new Int32Array(n);
    head.predict(sparse, p1);
    head.predict(dense, p2);
    expect(p1).toEqual(p2);
  });
});

describe('model selection', () => {
  const run = {
    groupAccuracy: { val: [[0.5, 0.9], [0.7, 0.8], [0.6, 0.9], [0.7, 0.75]] },
    averageAccuracy: { val: [0.8, 0.75, 0.85, 0.72] },
  };
  it('best validation worst-group accuracy, the later epoch winning ties', () => {
    expect(selectEpoch(run, 'worst-group-val')).toBe(3);
  });
  it('best validation average accuracy, or the last epoch', () => {
    expect(selectEpoch(run, 'average-val')).toBe(2);
    expect(selectEpoch(run, 'last')).toBe(3);
  });
});
