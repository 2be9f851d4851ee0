/**
 * The approximate bipartite-F curve of thesis eqs. 4.2.11–4.2.16 (replica method, with training
 * time t entering as a ridge 1/t). It has a pole where 1 − b₁b₂ reaches 0 (e.g. n < d with
 * label noise and little regularisation): there the approximation, not the student, explodes.
 * Points outside the valid regime are returned as NaN and named in `warnings`, never as a
 * silent negative or exploding error.
 */
export type AnalyticVariant = 'both' | 'fast-only' | 'slow-only';

export interface AnalyticCurveOptions {
  readonly n: number;
  readonly d: number;
  readonly p: number;
  readonly kappa: number;
  readonly sigma: number;
  readonly lambda: number;
  readonly ts: ArrayLike<number>;
  /** singular value of the fast block (authors' code: 0.5) */
  readonly s1?: number;
  /** singular value of the slow block (authors' code: 0.5/κ) */
  readonly s2?: number;
  /** fast-only freezes block 2 at its smallest-t value, slow-only block 1 at its largest-t value */
  readonly variant?: AnalyticVariant;
}

export interface AnalyticCurve {
  readonly t: Float64Array;
  readonly R: Float64Array;
  readonly Q: Float64Array;
  readonly EG: Float64Array;
  /** true where the point is outside the approximation's valid regime (R, Q, EG are NaN there) */
  readonly invalid: Uint8Array;
  readonly warnings: string[];
}

/** 1 − b₁b₂ below this counts as the pole: the curve there is dominated by the divergence. */
export const POLE_TOLERANCE = 1e-6;

export function checkAnalyticOptions(o: AnalyticCurveOptions): void {
  const bad = (m: string) => {
    throw new RangeError(`bipartite analytic curve: ${m}`);
  };
  if (!Number.isInteger(o.d) || o.d < 2) bad(`d must be an integer ≥ 2, got ${o.d}`);
  if (!Number.isInteger(o.p) || o.p <= 0 || o.p >= o.d) bad(`p must be an integer with 0 < p < d = ${o.d}, got ${o.p}`);
  if (!(o.n >= 1) || !Number.isInteger(o.n)) bad(`n must be an integer ≥ 1, got ${o.n}`);
  if (!(o.kappa >= 1) || !Number.isFinite(o.kappa)) bad(`κ must be finite and ≥ 1, got ${o.kappa}`);
  if (!(o.sigma >= 0) || !Number.isFinite(o.sigma)) bad(`σ must be finite and ≥ 0, got ${o.sigma}`);
  if (!(o.lambda >= 0) || !Number.isFinite(o.lambda)) bad(`λ must be finite and ≥ 0, got ${o.lambda}`);
  for (let i = 0; i < o.ts.length; i++) if (!(o.ts[i]! > 0) || !Number.isFinite(o.ts[i]!)) bad(`every t must be finite and > 0, got ${o.ts[i]}`);
  if (o.s1 !== undefined && !(o.s1 > 0)) bad(`s₁ must be > 0, got ${o.s1}`);
  if (o.s2 !== undefined && !(o.s2 > 0)) bad(`s₂ must be > 0, got ${o.s2}`);
}

/**
 * a = 1 + 2λ̃/(u + √(u² + 4λ̃)) with u = 1 − α − λ̃. For u < 0 the denominator cancels
 * catastrophically (κ = 1e5 makes λ̃₂ ≈ 1e11); the conjugate form 1 + (√(u² + 4λ̃) − u)/2 is the
 * same number without the cancellation.
 */
export function replicaA(alpha: number, lambdaTilde: number): number {
  const u = 1 - alpha - lambdaTilde;
  const s = Math.sqrt(u * u + 4 * lambdaTilde);
  return u >= 0 ? 1 + (2 * lambdaTilde) / (u + s) : 1 + (s - u) / 2;
}

export function bipartiteAnalyticCurve(o: AnalyticCurveOptions): AnalyticCurve {
  checkAnalyticOptions(o);
  const { n, d, p, kappa, sigma, lambda } = o;
  const s1 = o.s1 ?? 0.5;
  const s2 = o.s2 ?? 0.5 / kappa;
  const variant = o.variant ?? 'both';
  const m = o.ts.length;
  const alpha1 = n / p;
  const alpha2 = n / (d - p);
  const scale1 = (p / d) * s1 * s1;
  const scale2 = ((d - p) / d) * s2 * s2;
  const a1 = new Float64Array(m);
  const a2 = new Float64Array(m);
  for (let i = 0; i < m; i++) {
    const lambdaTot = 1 / o.ts[i]! + lambda;
    a1[i] = replicaA(alpha1, lambdaTot / scale1);
    a2[i] = replicaA(alpha2, lambdaTot / scale2);
  }
  if (m > 0 && variant !== 'both') {
    // "smallest t" and "largest t" of the grid, as the authors' code does
    let iMin = 0, iMax = 0;
    for (let i = 1; i < m; i++) {
      if (o.ts[i]! < o.ts[iMin]!) iMin = i;
      if (o.ts[i]! > o.ts[iMax]!) iMax = i;
    }
    if (variant === 'fast-only') a2.fill(a2[iMin]!);
    else a1.fill(a1[iMax]!);
  }
  const out: AnalyticCurve = {
    t: Float64Array.from(o.ts),
    R: new Float64Array(m),
    Q: new Float64Array(m),
    EG: new Float64Array(m),
    invalid: new Uint8Array(m),
    warnings: [],
  };
  const reasons = { pole: [] as number[], overlap: [] as number[], negative: [] as number[], nonFinite: [] as number[] };
  const nd = n / d;
  const g = 1 + sigma * sigma;
  for (let i = 0; i < m; i++) {
    const A1 = a1[i]!, A2 = a2[i]!;
    const R1 = nd / A1, R2 = nd / A2;
    const den1 = A1 * A1 - alpha1, den2 = A2 * A2 - alpha2;
    const b1 = alpha1 / den1, b2 = alpha2 / den2;
    const c1 = g - 2 * R2 - ((2 - A1) / A1) * nd;
    const c2 = g - 2 * R1 - ((2 - A2) / A2) * nd;
    const gap = 1 - b1 * b2;
    const Q1 = (b1 * c1 + b1 * b2 * c2) / gap;
    const Q2 = (b2 * c2 + b1 * b2 * c1) / gap;
    const R = R1 + R2, Q = Q1 + Q2;
    const EG = 0.5 * (g - 2 * R + Q);
    let why: keyof typeof reasons | null = null;
    if (!(den1 > 0) || !(den2 > 0)) why = 'overlap';
    else if (!(gap > POLE_TOLERANCE)) why = 'pole';
    else if (!Number.isFinite(R) || !Number.isFinite(Q) || !Number.isFinite(EG)) why = 'nonFinite';
    else if (Q < 0 || EG < 0) why = 'negative';
    if (why) {
      reasons[why].push(i);
      out.invalid[i] = 1;
      out.R[i] = out.Q[i] = out.EG[i] = Number.NaN;
    } else {
      out.R[i] = R;
      out.Q[i] = Q;
      out.EG[i] = EG;
    }
  }
  const regime = `n=${n}, d=${d}, p=${p}, κ=${kappa}, σ=${sigma}, λ=${lambda}${variant === 'both' ? '' : `, ${variant}`}`;
  const describe = (idx: number[], what: string) => {
    if (idx.length === 0) return;
    const tv = idx.map((i) => o.ts[i]!);
    out.warnings.push(
      `bipartite analytic curve (${regime}): ${idx.length} of ${m} points marked invalid (NaN), ${what}, at t ∈ [${Math.min(...tv).toPrecision(3)}, ${Math.max(...tv).toPrecision(3)}]`,
    );
  };
  describe(reasons.pole, `1 − b₁b₂ ≤ ${POLE_TOLERANCE}: the pole of the replica approximation (it breaks down near the interpolation threshold, typically n ≲ d with label noise and little regularisation)`);
  describe(reasons.overlap, 'a_i² ≤ α_i: the replica solution has no positive b_i there');
  describe(reasons.nonFinite, 'non-finite values (overflow in the approximation)');
  describe(reasons.negative, 'negative Q or E_G (the approximation is outside its valid regime)');
  return out;
}
