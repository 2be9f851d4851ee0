/**
 * MLP training in plain typed-array JavaScript: float32 parameters and activations, float64
 * accumulators inside each dot product. For the studies' small batches (32) a tfjs backend spends
 * most of its time dispatching kernels; tight loops that fuse the backward pass with the SGD
 * update do less work and need no WebAssembly. Deterministic: a fixed loop order, no threads.
 *
 * Weights are kept transposed (in×out) so every inner loop runs over output units, contiguous.
 * Each layer's input row is read as background + sparse deviations: normalised images are mostly
 * one constant (the blank-pixel value) and hidden rows are half zeros after the ReLU, so
 * x·W = c·Σ_i W_i + Σ_{x_i≠c} (x_i−c)·W_i touches a fraction of the weights. Exact in real
 * arithmetic; only the float64 rounding inside sums differs from the dense product.
 */
import type { BatchLoss, Evaluation, LayerSizes, MlpParams, OutputLoss } from '../engine/compute/mlp.ts';
import { L1_FORMS_EXTENSION, type L1Form, type L1MlpCompute, type L1MlpTrainer, type L1StepOptions } from './extensions/l1-forms.ts';

export function checkLayers(layers: LayerSizes, init: MlpParams, loss: OutputLoss): void {
  if (layers.length < 2 || layers.some((n) => !Number.isInteger(n) || n < 1)) {
    throw new RangeError(`MLP layer sizes must be ≥ 2 positive integers, got [${layers.join(', ')}]`);
  }
  const nLayers = layers.length - 1;
  if (init.weights.length !== nLayers || init.biases.length !== nLayers) {
    throw new RangeError(`MLP init has ${init.weights.length} weight and ${init.biases.length} bias tensors for ${nLayers} layers`);
  }
  for (let l = 0; l < nLayers; l++) {
    const out = layers[l + 1]!, inp = layers[l]!;
    if (init.weights[l]!.length !== out * inp) throw new RangeError(`MLP init weights[${l}] has ${init.weights[l]!.length} entries, expected ${out}×${inp}`);
    if (init.biases[l]!.length !== out) throw new RangeError(`MLP init biases[${l}] has ${init.biases[l]!.length} entries, expected ${out}`);
  }
  if (loss === 'bce-with-logits' && layers[nLayers] !== 1) {
    throw new RangeError(`bce-with-logits needs one output unit, got ${layers[nLayers]}`);
  }
}

export function checkBatch(layers: LayerSizes, x: Float32Array, labels: Int32Array, loss: OutputLoss): number {
  const inp = layers[0]!;
  const batch = labels.length;
  if (batch === 0 || x.length !== batch * inp) {
    throw new RangeError(`MLP batch: x has ${x.length} values for ${batch} labels of ${inp} inputs`);
  }
  const classes = loss === 'bce-with-logits' ? 2 : layers[layers.length - 1]!;
  for (let b = 0; b < batch; b++) {
    const y = labels[b]!;
    if (y < 0 || y >= classes) throw new RangeError(`MLP batch: label ${y} at row ${b} outside [0, ${classes})`);
  }
  return batch;
}

/** One batch's rows as background value + (index, deviation) pairs. */
class SparseRows {
  background: Float64Array;
  start: Int32Array;
  index: Int32Array;
  value: Float64Array;
  anyBackground = false;

  constructor(batch: number, width: number) {
    this.background = new Float64Array(batch);
    this.start = new Int32Array(batch + 1);
    this.index = new Int32Array(batch * width);
    this.value = new Float64Array(batch * width);
  }

  /** background: the row's first entry when at least half the row shares it, else 0 */
  fill(x: Float32Array, batch: number, width: number): void {
    let nnz = 0;
    this.anyBackground = false;
    for (let b = 0; b < batch; b++) {
      const xo = b * width;
      let c = x[xo]!;
      if (c !== 0) {
        let same = 0;
        for (let i = 0; i < width; i++) if (x[xo + i] === c) same++;
        if (same * 2 < width) c = 0;
        else this.anyBackground = true;
      }
      this.background[b] = c;
      this.start[b] = nnz;
      for (let i = 0; i < width; i++) {
        const v = x[xo + i]!;
        if (v !== c) {
          this.index[nnz] = i;
          this.value[nnz] = v - c;
          nnz++;
        }
      }
    }
    this.start[batch] = nnz;
  }
}

class JsTrainer implements L1MlpTrainer {
  /** transposed weights: wT[l][i*out + j] = W_l[j][i] */
  private readonly wT: Float32Array[];
  private readonly biases: Float32Array[];
  private readonly nLayers: number;
  private capacity = 0;
  /** acts[l] for l ≥ 1: post-ReLU activations (the last: logits), batch×layers[l] */
  private acts: Float32Array[] = [];
  /** deltas[l] for l ≥ 1: gradient of the data loss w.r.t. layer l's pre-activation */
  private deltas: Float64Array[] = [];
  /** rows[l]: layer l's input in sparse form */
  private rows: SparseRows[] = [];
  private readonly grads: Float64Array[];
  private readonly acc: Float64Array;
  private readonly common: Float64Array;
  private readonly gradBias: Float64Array;
  private readonly maxColumn: Int32Array;
  /** per layer: Σ_j |W[j][i]| for each input unit i, and Σ_i W[j][i] for each output unit j */
  private readonly columnAbs: Float64Array[];
  private readonly rowSums: Float64Array[];
  /** whether columnAbs and rowSums describe the current weights (the update pass keeps them) */
  private sumsFresh = false;

  constructor(private readonly layers: LayerSizes, init: MlpParams, private readonly loss: OutputLoss) {
    checkLayers(layers, init, loss);
    this.nLayers = layers.length - 1;
    this.wT = init.weights.map((w, l) => transpose(w, layers[l + 1]!, layers[l]!));
    this.biases = init.biases.map((b) => Float32Array.from(b));
    this.grads = this.wT.map((w) => new Float64Array(w.length));
    const widest = Math.max(...layers);
    this.acc = new Float64Array(widest);
    this.common = new Float64Array(widest);
    this.gradBias = new Float64Array(widest);
    this.maxColumn = new Int32Array(this.nLayers);
    this.columnAbs = layers.slice(0, -1).map((n) => new Float64Array(n));
    this.rowSums = layers.slice(1).map((n) => new Float64Array(n));
  }

  private refreshSums(): void {
    for (let l = 0; l < this.nLayers; l++) {
      const inp = this.layers[l]!, out = this.layers[l + 1]!;
      const w = this.wT[l]!, abs = this.columnAbs[l]!, rs = this.rowSums[l]!;
      rs.fill(0);
      for (let i = 0; i < inp; i++) {
        const ro = i * out;
        let s = 0;
        for (let j = 0; j < out; j++) {
          const v = w[ro + j]!;
          s += Math.abs(v);
          rs[j]! += v;
        }
        abs[i] = s;
      }
    }
    this.sumsFresh = true;
  }

  private ensure(batch: number): void {
    if (batch <= this.capacity) return;
    this.capacity = batch;
    this.acts = this.layers.map((n) => new Float32Array(batch * n));
    this.deltas = this.layers.map((n) => new Float64Array(batch * n));
    this.rows = this.layers.slice(0, -1).map((n) => new SparseRows(batch, n));
  }

  /** forward pass; returns the logits buffer (batch×out) */
  private forward(x: Float32Array, batch: number): Float32Array {
    let input = x;
    const acc = this.acc;
    if (!this.sumsFresh) this.refreshSums();
    for (let l = 0; l < this.nLayers; l++) {
      const rowSum = this.rowSums[l]!;
      const inp = this.layers[l]!, out = this.layers[l + 1]!;
      const w = this.wT[l]!, bias = this.biases[l]!;
      const y = this.acts[l + 1]!;
      const relu = l < this.nLayers - 1;
      const rows = this.rows[l]!;
      rows.fill(input, batch, inp);
      const { background, start, index, value } = rows;
      for (let b = 0; b < batch; b++) {
        const c = background[b]!;
        if (c !== 0) for (let j = 0; j < out; j++) acc[j] = bias[j]! + c * rowSum[j]!;
        else for (let j = 0; j < out; j++) acc[j] = bias[j]!;
        const k1 = start[b + 1]!;
        for (let k = start[b]!; k < k1; k++) {
          const v = value[k]!;
          const ro = index[k]! * out;
          for (let j = 0; j < out; j++) acc[j]! += v * w[ro + j]!;
        }
        const yo = b * out;
        if (relu) for (let j = 0; j < out; j++) y[yo + j] = acc[j]! > 0 ? acc[j]! : 0;
        else for (let j = 0; j < out; j++) y[yo + j] = acc[j]!;
      }
      input = y;
    }
    return this.acts[this.nLayers]!;
  }

  /** data loss (batch mean) and, when `delta` is given, its gradient w.r.t. the logits */
  private outputLoss(logits: Float32Array, labels: Int32Array, batch: number, delta: Float64Array | null): { loss: number; correct: number } {
    const out = this.layers[this.nLayers]!;
    let total = 0, correct = 0;
    for (let b = 0; b < batch; b++) {
      const o = b * out;
      const y = labels[b]!;
      if (this.loss === 'bce-with-logits') {
        const z = logits[o]!;
        // softplus(z) − y·z, stable for large |z|
        total += Math.max(z, 0) - y * z + Math.log1p(Math.exp(-Math.abs(z)));
        if ((z > 0 ? 1 : 0) === y) correct++;
        if (delta) delta[o] = (1 / (1 + Math.exp(-z)) - y) / batch;
        continue;
      }
      let m = -Infinity, arg = 0;
      for (let j = 0; j < out; j++) if (logits[o + j]! > m) { m = logits[o + j]!; arg = j; }
      let se = 0;
      for (let j = 0; j < out; j++) se += Math.exp(logits[o + j]! - m);
      const lse = m + Math.log(se);
      total += lse - logits[o + y]!;
      if (arg === y) correct++;
      if (delta) {
        for (let j = 0; j < out; j++) delta[o + j] = Math.exp(logits[o + j]! - lse) / batch;
        delta[o + y]! -= 1 / batch;
      }
    }
    return { loss: total / batch, correct };
  }

  trainStep(x: Float32Array, labels: Int32Array, options: L1StepOptions): BatchLoss {
    const batch = checkBatch(this.layers, x, labels, this.loss);
    this.ensure(batch);
    const alpha = options.l1 ?? 0;
    const form = options.l1Form ?? 'notebook';
    const lr = options.lr;
    const penalty = alpha > 0 ? alpha * this.l1Penalty(form) : 0;
    const logits = this.forward(x, batch);
    const { loss } = this.outputLoss(logits, labels, batch, this.deltas[this.nLayers]!);

    for (let l = this.nLayers - 1; l >= 0; l--) {
      const inp = this.layers[l]!, out = this.layers[l + 1]!;
      const w = this.wT[l]!, bias = this.biases[l]!, g = this.grads[l]!;
      const delta = this.deltas[l + 1]!;
      // back-propagate through the pre-update weights first
      if (l > 0) {
        const prev = this.deltas[l]!, act = this.acts[l]!;
        for (let b = 0; b < batch; b++) {
          const po = b * inp, dob = b * out;
          for (let i = 0; i < inp; i++) {
            if (act[po + i]! <= 0) { prev[po + i] = 0; continue; } // ReLU mask
            const ro = i * out;
            let s = 0;
            for (let j = 0; j < out; j++) s += delta[dob + j]! * w[ro + j]!;
            prev[po + i] = s;
          }
        }
      }
      // gradient: Σ_b x_b ⊗ δ_b, from the sparse rows plus the background term
      const { background, start, index, value, anyBackground } = this.rows[l]!;
      const common = this.common, gb = this.gradBias;
      g.fill(0);
      common.fill(0, 0, out);
      gb.fill(0, 0, out);
      for (let b = 0; b < batch; b++) {
        const dob = b * out;
        const c = background[b]!;
        for (let j = 0; j < out; j++) gb[j]! += delta[dob + j]!;
        if (c !== 0) for (let j = 0; j < out; j++) common[j]! += c * delta[dob + j]!;
        const k1 = start[b + 1]!;
        for (let k = start[b]!; k < k1; k++) {
          const v = value[k]!;
          const ro = index[k]! * out;
          for (let j = 0; j < out; j++) g[ro + j]! += v * delta[dob + j]!;
        }
      }
      // plain subgradient SGD; the L1 term uses sign(0) = 0
      const notebookRow = alpha > 0 && form === 'notebook' ? this.maxColumn[l]! : -1;
      const elementwise = alpha > 0 && form === 'elementwise';
      // the same pass refreshes the sums the next forward pass and penalty need
      const abs = this.columnAbs[l]!, rs = this.rowSums[l]!;
      rs.fill(0);
      for (let i = 0; i < inp; i++) {
        const ro = i * out;
        const touched = elementwise || i === notebookRow;
        if (anyBackground) for (let j = 0; j < out; j++) g[ro + j]! += common[j]!;
        let s = 0;
        if (touched) {
          for (let j = 0; j < out; j++) {
            const v = w[ro + j]!;
            const nv = Math.fround(v - lr * (g[ro + j]! + alpha * Math.sign(v)));
            w[ro + j] = nv;
            s += Math.abs(nv);
            rs[j]! += nv;
          }
        } else {
          for (let j = 0; j < out; j++) {
            const nv = Math.fround(w[ro + j]! - lr * g[ro + j]!);
            w[ro + j] = nv;
            s += Math.abs(nv);
            rs[j]! += nv;
          }
        }
        abs[i] = s;
      }
      for (let j = 0; j < out; j++) {
        const v = bias[j]!;
        bias[j] = v - lr * (gb[j]! + (alpha > 0 ? alpha * Math.sign(v) : 0));
      }
    }
    return { loss, penalty };
  }

  /** Σ_p ‖p‖₁; for the notebook form also records the input unit that carries each matrix norm */
  private l1Penalty(form: L1Form): number {
    if (!this.sumsFresh) this.refreshSums();
    let total = 0;
    for (let l = 0; l < this.nLayers; l++) {
      const abs = this.columnAbs[l]!;
      const inp = this.layers[l]!;
      if (form === 'elementwise') {
        let s = 0;
        for (let i = 0; i < inp; i++) s += abs[i]!;
        total += s;
      } else {
        // induced 1-norm of the out×in matrix: max over input units of Σ_j |W[j][i]|
        let best = -1, bestSum = -1;
        for (let i = 0; i < inp; i++) {
          const s = abs[i]!;
          if (s > bestSum) { bestSum = s; best = i; } // the first column wins ties
        }
        this.maxColumn[l] = best;
        total += bestSum;
      }
      const b = this.biases[l]!;
      for (let k = 0; k < b.length; k++) total += Math.abs(b[k]!);
    }
    return total;
  }

  evaluate(x: Float32Array, labels: Int32Array): Evaluation {
    const count = checkBatch(this.layers, x, labels, this.loss);
    const chunk = 256;
    this.ensure(Math.min(chunk, count));
    const inp = this.layers[0]!;
    let lossSum = 0, correct = 0;
    for (let start = 0; start < count; start += chunk) {
      const n = Math.min(chunk, count - start);
      const logits = this.forward(x.subarray(start * inp, (start + n) * inp), n);
      const r = this.outputLoss(logits, labels.subarray(start, start + n), n, null);
      lossSum += r.loss * n;
      correct += r.correct;
    }
    return { loss: lossSum / count, correct, count };
  }

  getParams(): MlpParams {
    return {
      weights: this.wT.map((w, l) => transpose(w, this.layers[l]!, this.layers[l + 1]!)),
      biases: this.biases.map((b) => Float32Array.from(b)),
    };
  }

  dispose(): void {
    this.acts = [];
    this.deltas = [];
    this.rows = [];
    this.capacity = 0;
  }
}

/** rows×cols row-major → cols×rows row-major */
function transpose(m: Float32Array, rows: number, cols: number): Float32Array {
  const t = new Float32Array(rows * cols);
  for (let r = 0; r < rows; r++) for (let c = 0; c < cols; c++) t[c * rows + r] = m[r * cols + c]!;
  return t;
}

export const jsMlp: L1MlpCompute = {
  name: 'js',
  extensions: [L1_FORMS_EXTENSION],
  createTrainer: (layers, init, loss) => new JsTrainer(layers, init, loss),
};

export async function load(): Promise<L1MlpCompute> {
  return jsMlp;
}
