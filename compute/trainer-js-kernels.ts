/**
 * The per-layer loops of the JS trainer. Arrays of the network's precision hold parameters and
 * activations (a Float32Array store rounds like a float32 framework); deltas and gradients are
 * float64. Every loop runs in a fixed order, so a run is deterministic.
 */
import type { Activation, ParamArray } from '../engine/compute/trainer.ts';

/** z = a Wᵀ + b for rows × inputs a, W at p[w..] (units × inputs), b at p[b..] or none (b < 0) */
export function linearForward(a: ParamArray, rows: number, inputs: number, p: ParamArray, w: number, b: number, units: number, z: ParamArray): void {
  if (inputs <= 4) return narrowForward(a, rows, inputs, p, w, b, units, z);
  for (let r = 0; r < rows; r++) {
    const ao = r * inputs, zo = r * units;
    for (let u = 0; u < units; u++) {
      const wo = w + u * inputs;
      let s0 = 0, s1 = 0;
      let k = 0;
      // two accumulators break the add-latency chain; the order is fixed, so runs repeat exactly
      for (; k + 1 < inputs; k += 2) {
        s0 += a[ao + k]! * p[wo + k]!;
        s1 += a[ao + k + 1]! * p[wo + k + 1]!;
      }
      if (k < inputs) s0 += a[ao + k]! * p[wo + k]!;
      z[zo + u] = (b >= 0 ? p[b + u]! : 0) + (s0 + s1);
    }
  }
}

/** few inputs (the 2-D toy data): loop over units innermost, the inputs outside */
function narrowForward(a: ParamArray, rows: number, inputs: number, p: ParamArray, w: number, b: number, units: number, z: ParamArray): void {
  for (let r = 0; r < rows; r++) {
    const ao = r * inputs, zo = r * units;
    for (let u = 0; u < units; u++) z[zo + u] = b >= 0 ? p[b + u]! : 0;
    for (let k = 0; k < inputs; k++) {
      const v = a[ao + k]!;
      if (v === 0) continue;
      for (let u = 0; u < units; u++) z[zo + u] = z[zo + u]! + v * p[w + u * inputs + k]!;
    }
  }
}

/** adds ∂/∂W = dzᵀ a and ∂/∂b = Σ_r dz into g; writes da = dz W when da is given */
export function linearBackward(a: ParamArray, rows: number, inputs: number, p: ParamArray, w: number, b: number, units: number, dz: Float64Array, g: Float64Array, da: Float64Array | undefined): void {
  for (let r = 0; r < rows; r++) {
    const ao = r * inputs, zo = r * units;
    for (let u = 0; u < units; u++) {
      const d = dz[zo + u]!;
      if (d === 0) continue; // ReLU zeros most of dz
      const wo = w + u * inputs;
      for (let k = 0; k < inputs; k++) g[wo + k] = g[wo + k]! + d * a[ao + k]!;
    }
  }
  if (b >= 0) {
    for (let r = 0; r < rows; r++) {
      const zo = r * units;
      for (let u = 0; u < units; u++) g[b + u] = g[b + u]! + dz[zo + u]!;
    }
  }
  if (!da) return;
  da.fill(0, 0, rows * inputs);
  for (let r = 0; r < rows; r++) {
    const ao = r * inputs, zo = r * units;
    for (let u = 0; u < units; u++) {
      const d = dz[zo + u]!;
      if (d === 0) continue;
      const wo = w + u * inputs;
      for (let k = 0; k < inputs; k++) da[ao + k] = da[ao + k]! + d * p[wo + k]!;
    }
  }
}

export function activate(kind: Activation, pre: ParamArray, n: number, out: ParamArray): void {
  // one loop per kind: a kind test inside the loop costs as much as the work
  switch (kind) {
    case 'relu':
      for (let j = 0; j < n; j++) { const v = pre[j]!; out[j] = v > 0 ? v : 0; }
      return;
    case 'tanh':
      for (let j = 0; j < n; j++) out[j] = Math.tanh(pre[j]!);
      return;
    case 'sigmoid':
      for (let j = 0; j < n; j++) out[j] = 1 / (1 + Math.exp(-pre[j]!));
      return;
    case 'identity':
      if (out !== pre) out.set(pre.subarray(0, n));
  }
}

/** d ← d ⊙ φ′(pre), with φ′ read from the output where that is exact (tanh, sigmoid); ReLU′(0) = 0 */
export function activationBackward(kind: Activation, pre: ParamArray, out: ParamArray, n: number, d: Float64Array): void {
  switch (kind) {
    case 'relu':
      for (let j = 0; j < n; j++) if (!(pre[j]! > 0)) d[j] = 0;
      return;
    case 'tanh':
      for (let j = 0; j < n; j++) { const a = out[j]!; d[j] = d[j]! * (1 - a * a); }
      return;
    case 'sigmoid':
      for (let j = 0; j < n; j++) { const a = out[j]!; d[j] = d[j]! * a * (1 - a); }
      return;
    case 'identity':
  }
}

export const BN_EPS = 1e-5;
export const BN_MOMENTUM = 0.1;

export interface BatchNormCache {
  /** normalised z, rows × units */
  readonly xhat: Float64Array;
  /** 1/√(var + eps) per unit (batch or running) */
  readonly invStd: Float64Array;
}

/**
 * y = γ (z − μ)/√(σ² + eps) + β. Train: batch statistics (biased variance), running statistics
 * updated with the unbiased variance when `running` is given (PyTorch); eval: running statistics.
 */
export function batchNormForward(z: ParamArray, rows: number, units: number, p: ParamArray, gamma: number, beta: number, train: boolean, mean: Float64Array, variance: Float64Array, updateRunning: boolean, cache: BatchNormCache, y: ParamArray): void {
  for (let u = 0; u < units; u++) {
    let mu = mean[u]!, v = variance[u]!;
    if (train) {
      mu = 0;
      for (let r = 0; r < rows; r++) mu += z[r * units + u]!;
      mu /= rows;
      v = 0;
      for (let r = 0; r < rows; r++) v += (z[r * units + u]! - mu) ** 2;
      v /= rows;
      if (updateRunning) {
        mean[u] = (1 - BN_MOMENTUM) * mean[u]! + BN_MOMENTUM * mu;
        variance[u] = (1 - BN_MOMENTUM) * variance[u]! + BN_MOMENTUM * (rows > 1 ? (v * rows) / (rows - 1) : v);
      }
    }
    const inv = 1 / Math.sqrt(v + BN_EPS);
    cache.invStd[u] = inv;
    for (let r = 0; r < rows; r++) {
      const j = r * units + u;
      const xh = (z[j]! - mu) * inv;
      cache.xhat[j] = xh;
      y[j] = p[gamma + u]! * xh + p[beta + u]!;
    }
  }
}

/** dy → dz in place (d), adding ∂/∂γ and ∂/∂β into g */
export function batchNormBackward(rows: number, units: number, p: ParamArray, gamma: number, beta: number, train: boolean, cache: BatchNormCache, d: Float64Array, g: Float64Array): void {
  for (let u = 0; u < units; u++) {
    let sumD = 0, sumDX = 0;
    for (let r = 0; r < rows; r++) {
      const j = r * units + u;
      sumD += d[j]!;
      sumDX += d[j]! * cache.xhat[j]!;
    }
    g[gamma + u]! += sumDX;
    g[beta + u]! += sumD;
    const gInv = p[gamma + u]! * cache.invStd[u]!;
    for (let r = 0; r < rows; r++) {
      const j = r * units + u;
      // train: dz = γ/σ · (dy − mean dy − x̂ · mean(dy x̂)); eval: an affine map, dz = γ/σ · dy
      d[j] = train ? gInv * (d[j]! - sumD / rows - (cache.xhat[j]! * sumDX) / rows) : gInv * d[j]!;
    }
  }
}
