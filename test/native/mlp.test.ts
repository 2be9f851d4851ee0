/**
 * The fused native train step against (a) a float64 finite-difference gradient of the full
 * objective (data loss + α·penalty, both L1 forms, both output losses) on a tiny network, (b) the
 * pure-JS trainer step by step, (c) tfjs at α = 0, and (d) itself: whole-epoch calls equal
 * per-batch calls, and the addon works the same inside worker threads.
 */
import { Worker } from 'node:worker_threads';
import { describe, expect, it } from 'vitest';
import { jsMlp } from '../../compute/mlp-js.ts';
import { nativeMlp } from '../../compute/mlp-native.ts';
import type { MlpParams, OutputLoss } from '../../engine/compute/mlp.ts';
import type { L1Form } from '../../compute/extensions/l1-forms.ts';
import { native } from '../../native/load.ts';
import { addon, skipNative, skipTitle } from './native-available.ts';

function rng(seed: number): () => number {
  let s = seed >>> 0 || 1;
  return () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s / 4294967296 - 0.5;
  };
}

function initParams(layers: number[], seed: number, scale = 1): MlpParams {
  const r = rng(seed);
  return {
    weights: layers.slice(1).map((out, l) => Float32Array.from({ length: out * layers[l]! }, () => (2 * scale * r()) / Math.sqrt(layers[l]!))),
    biases: layers.slice(1).map((out, l) => Float32Array.from({ length: out }, () => (2 * scale * r()) / Math.sqrt(layers[l]!))),
  };
}

function data(n: number, inputs: number, classes: number, seed: number) {
  const r = rng(seed);
  const y = Int32Array.from({ length: n }, () => Math.floor((r() + 0.5) * classes) % classes);
  // class-dependent means so that training has something to learn
  const x = Float32Array.from({ length: n * inputs }, (_, k) => r() + 0.8 * Math.cos(y[Math.floor(k / inputs)]! * 1.3 + (k % inputs)));
  return { x, y };
}

/** float64 objective: batch-mean data loss + α·Σ penalty, exactly as the studies define it */
function objective(layers: number[], p: { weights: Float64Array[]; biases: Float64Array[] }, x: Float32Array, y: Int32Array, loss: OutputLoss, alpha: number, form: L1Form): number {
  const batch = y.length, nl = layers.length - 1;
  let total = 0;
  for (let b = 0; b < batch; b++) {
    let a = Array.from(x.subarray(b * layers[0]!, (b + 1) * layers[0]!));
    for (let l = 0; l < nl; l++) {
      const inp = layers[l]!, out = layers[l + 1]!, w = p.weights[l]!, bias = p.biases[l]!;
      const z = Array.from({ length: out }, (_, j) => bias[j]! + a.reduce((s, v, i) => s + v * w[j * inp + i]!, 0));
      a = l < nl - 1 ? z.map((v) => Math.max(v, 0)) : z;
    }
    if (loss === 'bce-with-logits') total += Math.max(a[0]!, 0) - y[b]! * a[0]! + Math.log1p(Math.exp(-Math.abs(a[0]!)));
    else {
      const m = Math.max(...a);
      total += m + Math.log(a.reduce((s, v) => s + Math.exp(v - m), 0)) - a[y[b]!]!;
    }
  }
  let penalty = 0;
  for (let l = 0; l < nl; l++) {
    const inp = layers[l]!, out = layers[l + 1]!, w = p.weights[l]!;
    if (form === 'elementwise') penalty += w.reduce((s, v) => s + Math.abs(v), 0);
    else {
      let best = 0;
      for (let i = 0; i < inp; i++) {
        let s = 0;
        for (let j = 0; j < out; j++) s += Math.abs(w[j * inp + i]!);
        best = Math.max(best, s);
      }
      penalty += best;
    }
    penalty += p.biases[l]!.reduce((s, v) => s + Math.abs(v), 0);
  }
  return total / batch + alpha * penalty;
}

function maxDiff(a: ArrayLike<number>, b: ArrayLike<number>): number {
  expect(a.length).toBe(b.length);
  let m = 0;
  for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i]! - b[i]!));
  return m;
}

describe.skipIf(skipNative)(`native MLP${skipTitle}`, () => {
  const compute = () => nativeMlp(addon());

  const cases: [OutputLoss, number, L1Form][] = [
    ['softmax-cross-entropy', 0, 'notebook'],
    ['softmax-cross-entropy', 0.05, 'notebook'],
    ['softmax-cross-entropy', 0.05, 'elementwise'],
    ['bce-with-logits', 0.03, 'notebook'],
  ];
  for (const [loss, alpha, form] of cases) {
    it(`one step with lr = 1 moves the parameters by minus the float64 finite-difference gradient (${loss}, α = ${alpha}, ${form})`, () => {
      const layers = [5, 6, 4, loss === 'bce-with-logits' ? 1 : 3];
      const init = initParams(layers, 42);
      const { x, y } = data(7, 5, loss === 'bce-with-logits' ? 2 : 3, 3);
      const t = compute().createTrainer(layers, init, loss);
      const r = t.trainStep(x, y, { lr: 1, l1: alpha, l1Form: form });
      const after = t.getParams();
      t.dispose();
      const p64 = { weights: init.weights.map((w) => Float64Array.from(w)), biases: init.biases.map((b) => Float64Array.from(b)) };
      expect(r.loss + r.penalty).toBeCloseTo(objective(layers, p64, x, y, loss, alpha, form), 5);
      const h = 1e-6;
      for (const kind of ['weights', 'biases'] as const) {
        p64[kind].forEach((arr, l) => {
          for (let i = 0; i < arr.length; i++) {
            const v = arr[i]!;
            arr[i] = v + h;
            const up = objective(layers, p64, x, y, loss, alpha, form);
            arr[i] = v - h;
            const down = objective(layers, p64, x, y, loss, alpha, form);
            arr[i] = v;
            const fd = (up - down) / (2 * h);
            const moved = init[kind][l]![i]! - after[kind][l]![i]!;
            expect(Math.abs(moved - fd), `${kind}[${l}][${i}]: step ${moved} vs gradient ${fd}`).toBeLessThan(2e-5);
          }
        });
      }
    });
  }

  for (const form of ['notebook', 'elementwise'] as const) {
    it(`agrees with the pure-JS trainer over 25 steps (α = 0.02, ${form}) and in evaluation`, async () => {
      const layers = [12, 16, 8, 4];
      const init = initParams(layers, 7);
      const { x, y } = data(200, 12, 4, 9);
      const a = compute().createTrainer(layers, init, 'softmax-cross-entropy');
      const b = await jsMlp.createTrainer(layers, init, 'softmax-cross-entropy');
      const options = { lr: 0.05, l1: 0.02, l1Form: form };
      for (let s = 0; s < 25; s++) {
        const xs = x.subarray(s * 8 * 12, (s + 1) * 8 * 12), ys = y.subarray(s * 8, (s + 1) * 8);
        const ra = a.trainStep(xs, ys, options), rb = await b.trainStep(xs, ys, options);
        expect(Math.abs(ra.loss - rb.loss)).toBeLessThan(1e-5 * (1 + rb.loss));
        expect(Math.abs(ra.penalty - rb.penalty)).toBeLessThan(1e-5 * (1 + rb.penalty));
      }
      const pa = a.getParams(), pb = await b.getParams();
      pa.weights.forEach((w, l) => expect(maxDiff(w, pb.weights[l]!)).toBeLessThan(1e-5));
      pa.biases.forEach((w, l) => expect(maxDiff(w, pb.biases[l]!)).toBeLessThan(1e-5));
      const ea = a.evaluate(x, y), eb = await b.evaluate(x, y);
      expect(ea.count).toBe(200);
      expect(Math.abs(ea.loss - eb.loss)).toBeLessThan(1e-5);
      expect(Math.abs(ea.correct - eb.correct)).toBeLessThanOrEqual(1);
      a.dispose();
      b.dispose();
    });
  }

  it('agrees with tfjs (cpu) at α = 0 over 20 steps', async () => {
    const { load } = await import('../../compute/mlp-tfjs.ts');
    const tfjs = await load('cpu');
    const layers = [10, 12, 3];
    const init = initParams(layers, 5);
    const { x, y } = data(160, 10, 3, 6);
    const a = compute().createTrainer(layers, init, 'softmax-cross-entropy');
    const b = await tfjs.createTrainer(layers, init, 'softmax-cross-entropy');
    for (let s = 0; s < 20; s++) {
      const xs = x.subarray(s * 8 * 10, (s + 1) * 8 * 10), ys = y.subarray(s * 8, (s + 1) * 8);
      const ra = a.trainStep(xs, ys, { lr: 0.1 }), rb = await b.trainStep(xs, ys, { lr: 0.1 });
      expect(Math.abs(ra.loss - rb.loss)).toBeLessThan(1e-5);
    }
    const pa = a.getParams(), pb = await b.getParams();
    pa.weights.forEach((w, l) => expect(maxDiff(w, pb.weights[l]!)).toBeLessThan(1e-5));
    a.dispose();
    b.dispose();
  });

  it('trainEpoch (async and sync) equals per-batch trainStep over the same order, ragged last batch included', async () => {
    const layers = [9, 10, 5];
    const init = initParams(layers, 11);
    const { x, y } = data(53, 9, 5, 12);
    const order = Int32Array.from({ length: 53 }, (_, i) => (i * 17) % 53);
    const options = { lr: 0.05, l1: 0.01, l1Form: 'notebook' as const };
    const manual = compute().createTrainer(layers, init, 'softmax-cross-entropy');
    const losses: number[] = [];
    for (let s = 0; s < 53; s += 8) {
      const idx = order.subarray(s, Math.min(53, s + 8));
      const xb = new Float32Array(idx.length * 9), yb = new Int32Array(idx.length);
      idx.forEach((src, k) => {
        xb.set(x.subarray(src * 9, (src + 1) * 9), k * 9);
        yb[k] = y[src]!;
      });
      losses.push(manual.trainStep(xb, yb, options).loss);
    }
    for (const mode of ['async', 'sync'] as const) {
      const t = compute().createTrainer(layers, init, 'softmax-cross-entropy');
      const r = mode === 'async' ? await t.trainEpoch(x, y, order, 8, options) : t.trainEpochSync(x, y, order, 8, options);
      expect(Array.from(r.losses)).toEqual(losses);
      const p = t.getParams(), q = manual.getParams();
      p.weights.forEach((w, l) => expect(maxDiff(w, q.weights[l]!)).toBe(0));
      t.dispose();
    }
    manual.dispose();
  });

  it('getParams returns copies: changing them does not change the trainer', () => {
    const t = compute().createTrainer([3, 2], initParams([3, 2], 1), 'softmax-cross-entropy');
    const p = t.getParams();
    p.weights[0]!.fill(9);
    expect(t.getParams().weights[0]![0]).not.toBe(9);
    t.dispose();
  });

  it('loads and computes the same results inside two concurrent worker threads', async () => {
    const code = `
      const { parentPort, workerData } = require('node:worker_threads');
      const { loadNative } = require(workerData.loader);
      const r = loadNative();
      if (!r.ok) throw new Error(r.reason);
      const a = r.addon;
      const n = 30, d = new Float64Array(n * n);
      for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) d[i * n + j] = Math.cos(i + j) + (i === j ? n : 0);
      const e = a.eighSym({ rows: n, cols: n, data: d });
      const h = a.mlpCreate(Int32Array.from([3, 2]), [Float32Array.from([0.1, 0.2, 0.3, -0.1, -0.2, -0.3])], [new Float32Array(2)], 'softmax-cross-entropy');
      const s = a.mlpStep(h, Float32Array.from([1, 2, 3]), Int32Array.from([1]), 0.5, 0.1, 'notebook');
      let err = '';
      try { a.eighSym({ rows: 2, cols: 2, data: new Float64Array(3) }); } catch (x) { err = x.name; }
      parentPort.postMessage({ values: e.values, loss: s.loss, weights: a.mlpGetParams(h).weights[0], err });`;
    const run = () =>
      new Promise<{ values: Float64Array; loss: number; weights: Float32Array; err: string }>((resolve, reject) => {
        const w = new Worker(code, { eval: true, workerData: { loader: native.addonPath.replace(/build\/Release\/featureflow_native\.node$/, 'index.cjs') } });
        w.once('message', (m) => {
          resolve(m);
          void w.terminate();
        });
        w.once('error', reject);
      });
    const [a, b] = await Promise.all([run(), run()]);
    expect(Array.from(a.values)).toEqual(Array.from(b.values));
    expect(a.loss).toBe(b.loss);
    expect(Array.from(a.weights)).toEqual(Array.from(b.weights));
    expect(a.err).toBe('NativeInputError');
    const n = 30, d = new Float64Array(n * n);
    for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) d[i * n + j] = Math.cos(i + j) + (i === j ? n : 0);
    expect(Array.from(addon().eighSym({ rows: n, cols: n, data: d }).values)).toEqual(Array.from(a.values));
  });
});
