/**
 * Upper-tail probabilities computed directly as complementary functions (not 1 − cdf), so that
 * small p-values keep their relative precision, as scipy's chdtrc / fdtrc / stdtr do.
 */
import { createRequire } from 'node:module';
import type Gammainc from '@stdlib/math-base-special-gammainc';
import type Betainc from '@stdlib/math-base-special-betainc';

// @stdlib's two functions are ~250 small CommonJS modules: required on the first p-value, not
// whenever the package root (which exports these tests) is imported
const requireHere = createRequire(import.meta.url);
let special: { gammainc: typeof Gammainc; betainc: typeof Betainc } | undefined;
const stdlib = () => (special ??= { gammainc: requireHere('@stdlib/math-base-special-gammainc') as typeof Gammainc, betainc: requireHere('@stdlib/math-base-special-betainc') as typeof Betainc });
const gammainc: typeof Gammainc = (...args) => stdlib().gammainc(...args);
const betainc: typeof Betainc = (...args) => stdlib().betainc(...args);

/** P(χ²_k > x) = Q(k/2, x/2), the upper regularised incomplete gamma function. */
export function chiSquareSurvival(x: number, k: number): number {
  if (Number.isNaN(x) || Number.isNaN(k)) return NaN;
  if (x <= 0) return 1;
  if (x === Infinity) return 0;
  return gammainc(x / 2, k / 2, true, true);
}

/** P(F_{d1,d2} > f) = I_{d2/(d2 + d1 f)}(d2/2, d1/2). */
export function fSurvival(f: number, d1: number, d2: number): number {
  if (Number.isNaN(f) || Number.isNaN(d1) || Number.isNaN(d2)) return NaN;
  if (f <= 0) return 1;
  if (f === Infinity) return 0;
  return betainc(d2 / (d2 + d1 * f), d2 / 2, d1 / 2, true, false);
}

/** P(T_ν > t) for Student's t with ν degrees of freedom. */
export function tSurvival(t: number, nu: number): number {
  if (Number.isNaN(t) || Number.isNaN(nu)) return NaN;
  if (t === Infinity) return 0;
  if (t === -Infinity) return 1;
  // half the two-sided tail, I_{ν/(ν+t²)}(ν/2, 1/2) / 2, taken on the side where it is small
  const half = 0.5 * betainc(nu / (nu + t * t), nu / 2, 0.5, true, false);
  return t >= 0 ? half : 1 - half;
}

/** P(|T_ν| > |t|). */
export function tTwoSided(t: number, nu: number): number {
  if (Number.isNaN(t) || Number.isNaN(nu)) return NaN;
  if (!Number.isFinite(t)) return 0;
  return Math.min(1, betainc(nu / (nu + t * t), nu / 2, 0.5, true, false));
}
