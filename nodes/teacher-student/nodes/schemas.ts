/** Param schemas shared by the teacher–student nodes: every user mistake is caught here, before a run. */
import { z } from 'zod';

export const sizeD = z.number().int('d must be an integer').min(2, 'd must be ≥ 2').max(4096, 'd above 4096 is not supported');
export const sizeN = z.number().int('n must be an integer').min(1, 'n must be ≥ 1 (at least one training example)');
export const noiseSigma = z.number().min(0, 'σ (label-noise std) must be ≥ 0').max(1e6).default(0);
export const ridgeLambda = z.number().min(0, 'λ must be ≥ 0').max(1e12).default(0);
export const conditionKappa = z.number().min(1, 'κ (condition number of F) must be ≥ 1').max(1e15);
export const seedParam = z.number().int('seed must be an integer').min(0, 'seed must be ≥ 0').default(0);

/** A log-spaced time grid 10^linspace(from, to, points). */
export const timeGrid = {
  log10TMin: z.number().min(-12).max(15).default(-3),
  log10TMax: z.number().min(-12).max(15).default(6),
  tPoints: z.number().int().min(1, 'tPoints must be ≥ 1').max(100_000).default(100),
};

export function checkTimeGrid(v: { log10TMin: number; log10TMax: number }, ctx: z.RefinementCtx): void {
  if (v.log10TMax < v.log10TMin) ctx.addIssue({ code: 'custom', path: ['log10TMax'], message: `log10TMax (${v.log10TMax}) must be ≥ log10TMin (${v.log10TMin})` });
}

/**
 * Rank check for a general F by Gaussian elimination with partial pivoting: a schema cannot call
 * the linear-algebra backend, and a singular F must be an error before anything runs.
 */
export function isNumericallySingular(rowMajor: readonly number[], d: number): boolean {
  const a = Float64Array.from(rowMajor);
  let scale = 0;
  for (const v of a) scale = Math.max(scale, Math.abs(v));
  if (scale === 0) return true;
  const tol = scale * d * 1e-13;
  for (let c = 0; c < d; c++) {
    let piv = c;
    for (let r = c + 1; r < d; r++) if (Math.abs(a[r * d + c]!) > Math.abs(a[piv * d + c]!)) piv = r;
    if (Math.abs(a[piv * d + c]!) <= tol) return true;
    if (piv !== c) for (let k = 0; k < d; k++) [a[c * d + k], a[piv * d + k]] = [a[piv * d + k]!, a[c * d + k]!];
    const p = a[c * d + c]!;
    for (let r = c + 1; r < d; r++) {
      const f = a[r * d + c]! / p;
      if (f === 0) continue;
      for (let k = c; k < d; k++) a[r * d + k]! -= f * a[c * d + k]!;
    }
  }
  return false;
}
