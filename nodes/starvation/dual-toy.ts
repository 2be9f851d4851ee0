/**
 * The dual-dynamics toy of the thesis' appendix (Fig. 1): two examples with labels (+1, +1) and
 * features Φ = U diag(s₁, s₂) V, trained three ways — the dual (entropy-regularised) dynamics,
 * the primal logistic regression with a weight penalty, and spectral decoupling's logit
 * penalty — and read out as responses z = Uᵀ(ŷ ⊙ y) along the two feature directions.
 */
import type { RandomSource } from '../../engine/random.ts';

export type Dynamics = 'dual' | 'primal' | 'sd';

export interface DualToyOptions {
  /** rotation s of U = [[√(1−s²), −s], [s, √(1−s²)]] (code 0.5, thesis text 0.6) */
  readonly rotation: number;
  readonly s1: number;
  readonly s2: number;
  /** C: the inverse strength of the regularisers */
  readonly C: number;
  readonly steps: number;
  readonly dualLr: number;
  readonly primalLr: number;
  /** SD's logit penalty is (sdCoefficient/C) Σ ŷ² */
  readonly sdCoefficient: number;
  /** the primal's weight penalty is (weightCoefficient/C) ‖θ‖² */
  readonly weightCoefficient: number;
}

type M2 = [number, number, number, number]; // row-major 2×2

const y = [1, 1] as const;

/** right singular vectors of a 2×2 matrix as the rows of Vᵀ (eigenvectors of XᵀX) */
export function rightSingularVectors(x: M2): M2 {
  const [a, b, c, d] = x;
  const p = a * a + c * c, q = a * b + c * d, r = b * b + d * d;
  const angle = 0.5 * Math.atan2(2 * q, p - r);
  const cs = Math.cos(angle), sn = Math.sin(angle);
  return [cs, sn, -sn, cs];
}

export function drawX(random: RandomSource): M2 {
  return [random.normal(), random.normal(), random.normal(), random.normal()];
}

function features(o: DualToyOptions, vt: M2): { phi: M2; u: M2 } {
  const c = Math.sqrt(1 - o.rotation * o.rotation), s = o.rotation;
  const u: M2 = [c, -s, s, c];
  // Φ = U diag(s₁, s₂) Vᵀ
  const us: M2 = [u[0] * o.s1, u[1] * o.s2, u[2] * o.s1, u[3] * o.s2];
  const phi: M2 = [us[0] * vt[0] + us[1] * vt[2], us[0] * vt[1] + us[1] * vt[3], us[2] * vt[0] + us[3] * vt[2], us[2] * vt[1] + us[3] * vt[3]];
  return { phi, u };
}

const times = (m: M2, v: readonly number[]): [number, number] => [m[0] * v[0]! + m[1] * v[1]!, m[2] * v[0]! + m[3] * v[1]!];
const timesT = (m: M2, v: readonly number[]): [number, number] => [m[0] * v[0]! + m[2] * v[1]!, m[1] * v[0]! + m[3] * v[1]!];
const sigmoid = (t: number) => 1 / (1 + Math.exp(-t));

/** θ after the primal or SD dynamics: gradient descent from 0 on Σ log(1+e^{−yŷ}) + penalty */
function primal(o: DualToyOptions, phi: M2, kind: 'primal' | 'sd'): [number, number] {
  let theta: [number, number] = [0, 0];
  for (let t = 0; t < o.steps; t++) {
    const yhat = times(phi, theta);
    const r = yhat.map((v, i) => -y[i] * sigmoid(-y[i] * v));
    const g = timesT(phi, r);
    if (kind === 'primal') {
      g[0] += (o.weightCoefficient / o.C) * 2 * theta[0];
      g[1] += (o.weightCoefficient / o.C) * 2 * theta[1];
    } else {
      const pen = timesT(phi, yhat);
      g[0] += (o.sdCoefficient / o.C) * 2 * pen[0];
      g[1] += (o.sdCoefficient / o.C) * 2 * pen[1];
    }
    theta = [theta[0] - o.primalLr * g[0], theta[1] - o.primalLr * g[1]];
  }
  return theta;
}

/** θ = C (y⊙Φ)ᵀα after gradient descent on (C/2) αᵀKα − H(α), α clipped into [1e−50, 1] */
function dual(o: DualToyOptions, phi: M2): [number, number] {
  const yphi: M2 = [y[0] * phi[0], y[0] * phi[1], y[1] * phi[2], y[1] * phi[3]];
  const k: M2 = [yphi[0] * yphi[0] + yphi[1] * yphi[1], yphi[0] * yphi[2] + yphi[1] * yphi[3], 0, 0];
  k[2] = k[1];
  k[3] = yphi[2] * yphi[2] + yphi[3] * yphi[3];
  let alpha = [1e-8, 1e-8];
  for (let t = 0; t < o.steps; t++) {
    const ka = times(k, alpha);
    // ∂/∂α [(C/2)αᵀKα − H(α)] = C Kα + log(α/(1−α))
    alpha = alpha.map((a, i) => Math.min(1, Math.max(1e-50, a - o.dualLr * (o.C * ka[i]! + Math.log(a / (1 - a))))));
  }
  const t = timesT(yphi, alpha);
  return [o.C * t[0], o.C * t[1]];
}

export interface DualToyResult {
  readonly z1: number;
  readonly z2: number;
}

export function dualToy(o: DualToyOptions, x: M2, dynamics: Dynamics): DualToyResult {
  const { phi, u } = features(o, rightSingularVectors(x));
  const theta = dynamics === 'dual' ? dual(o, phi) : primal(o, phi, dynamics);
  const yhat = times(phi, theta);
  const z = timesT(u, [yhat[0] * y[0], yhat[1] * y[1]]);
  return { z1: z[0], z2: z[1] };
}
