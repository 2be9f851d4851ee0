/**
 * The exact general-case R(t), Q(t) of thesis eqs. 4.2.9–4.2.10 with σ and λ (appendix .2.2),
 * averaged over the teacher (w and ε) for one draw of X and F:
 *   R = (1/d) Σ_j D_j J_j,  Q = (1/d) Tr(AᵀA) + (σ²/d) Tr(BᵀB),
 *   A = F̃ D J F̃⁻¹, B = F̃ D J Λ^{-1/2}, F̃ = F V, J = Λ(Λ + λ)⁻¹.
 * Tr(AᵀA) = hᵀ (P ∘ P⁻¹) h with h = DJ and P = F̃ᵀF̃, so the O(d³) work happens once per draw and
 * each t costs O(d²). P and P⁻¹ come from the SVD factors of F (P = Mᵀ S² M, P⁻¹ = Mᵀ S⁻² M with
 * M = Wᵀ V), never from inverting an ill-conditioned matrix. A whole curve evaluates its quadratic
 * forms together: the h of every t stacked as rows of H, one product H (P ∘ P⁻¹) on the backend.
 */
import type { Linalg } from '../../engine/compute/linalg.ts';
import type { GramSpectrum } from './gram-spectrum.ts';
import { learnedFraction } from './gram-spectrum.ts';
import type { Modulation } from './modulation.ts';
import { mat } from '../../engine/compute/matrix.ts';
import { scaleRows } from './dense.ts';
import { generalisationError, type GeneralisationForm } from './metrics.ts';

export interface ExactCurvePrepared {
  readonly spec: GramSpectrum;
  /** P ∘ P⁻¹, d×d row-major */
  readonly hadamard: Float64Array;
  /** diag(P) */
  readonly pDiag: Float64Array;
  /** the backend that prepared it, which evaluates it too */
  readonly linalg: Linalg;
}

export function prepareExactCurve(spec: GramSpectrum, modulation: Modulation, linalg: Linalg): ExactCurvePrepared {
  const d = spec.d;
  const s = modulation.singularValues;
  if (s.length !== d) throw new RangeError(`exact curve: F has ${s.length} singular values, X has ${d} columns`);
  const M = linalg.gemm(modulation.rightVectors, spec.V, { transA: true });
  const SM = scaleRows(M, s);
  const SinvM = scaleRows(M, Float64Array.from(s, (v) => 1 / v));
  const P = linalg.gemm(SM, SM, { transA: true });
  const Pinv = linalg.gemm(SinvM, SinvM, { transA: true });
  const hadamard = new Float64Array(d * d);
  const pDiag = new Float64Array(d);
  for (let i = 0; i < d * d; i++) hadamard[i] = P.data[i]! * Pinv.data[i]!;
  for (let j = 0; j < d; j++) pDiag[j] = P.data[j * d + j]!;
  return { spec, hadamard, pDiag, linalg };
}

export interface ExactPoint {
  readonly R: number;
  readonly Q: number;
}

/** Fills h = DJ at time t; returns R·d and the noise term Σ_j (D_j √l_j/(l_j + λ))² P_jj. */
function fillWeights(prep: ExactCurvePrepared, t: number, sigma: number, h: Float64Array): { sumR: number; noise: number } {
  const { spec, pDiag } = prep;
  let sumR = 0;
  let noise = 0;
  for (let j = 0; j < spec.d; j++) {
    const l = spec.values[j]!;
    const c = l + spec.lambda;
    const D = learnedFraction(spec.x[j]!, t);
    h[j] = c > 0 ? (D * l) / c : 0;
    sumR += h[j]!;
    if (c > 0 && sigma > 0) {
      const e = (D * Math.sqrt(l)) / c;
      noise += e * e * pDiag[j]!;
    }
  }
  return { sumR, noise };
}

export function exactPoint(prep: ExactCurvePrepared, t: number, sigma: number, h = new Float64Array(prep.spec.d)): ExactPoint {
  const d = prep.spec.d;
  const { sumR, noise } = fillWeights(prep, t, sigma, h);
  let quad = 0;
  for (let i = 0; i < d; i++) {
    const hi = h[i]!;
    if (hi === 0) continue;
    const off = i * d;
    let row = 0;
    for (let k = 0; k < d; k++) row += prep.hadamard[off + k]! * h[k]!;
    quad += hi * row;
  }
  return { R: sumR / d, Q: (quad + sigma * sigma * noise) / d };
}

export interface CurveArrays {
  readonly t: Float64Array;
  readonly R: Float64Array;
  readonly Q: Float64Array;
  readonly EG: Float64Array;
}

/** rows of H per backend product: bounds the scratch to 256·d doubles at any curve length */
const BATCH = 256;

export function exactCurveFromPrepared(prep: ExactCurvePrepared, ts: ArrayLike<number>, sigma: number, form: GeneralisationForm = 'thesis'): CurveArrays {
  const n = ts.length;
  const d = prep.spec.d;
  const out = { t: Float64Array.from(ts), R: new Float64Array(n), Q: new Float64Array(n), EG: new Float64Array(n) };
  const hadamard = mat(d, d, prep.hadamard);
  for (let start = 0; start < n; start += BATCH) {
    const rows = Math.min(BATCH, n - start);
    const H = new Float64Array(rows * d);
    const noise = new Float64Array(rows);
    for (let r = 0; r < rows; r++) {
      const w = fillWeights(prep, ts[start + r]!, sigma, H.subarray(r * d, (r + 1) * d));
      out.R[start + r] = w.sumR / d;
      noise[r] = w.noise;
    }
    // P ∘ P⁻¹ is symmetric, so row r of H (P ∘ P⁻¹) is (P ∘ P⁻¹) h_r
    const HA = prep.linalg.gemm(mat(rows, d, H), hadamard).data;
    for (let r = 0; r < rows; r++) {
      let quad = 0;
      const off = r * d;
      for (let k = 0; k < d; k++) quad += H[off + k]! * HA[off + k]!;
      const i = start + r;
      out.Q[i] = (quad + sigma * sigma * noise[r]!) / d;
      out.EG[i] = generalisationError(out.R[i]!, out.Q[i]!, sigma, form);
    }
  }
  return out;
}
