/**
 * The two linear-algebra paths agree on the teacher–student curves: native (OpenBLAS) against
 * ml-matrix, 1e-10 relative for t ≥ 1 (E_G relative to its scale ½(1 + σ²), since it tends to 0).
 * Eigenvalues below d·ε·l_max are set to 0 by both paths, so n < d does not expose solver round-off. Below t = 1 the top eigen-direction's factor
 * 1 − (1 − η l)^t is clamped to exactly 1 for the top direction by both paths (see
 * nodes/teacher-student/gram-spectrum.ts), so tiny t agree too, but the digest only promises t ≥ 1.
 */
import { describe, expect, it } from 'vitest';
import { load as loadMlMatrix } from '../../compute/linalg-mlmatrix.ts';
import { load as loadNative } from '../../compute/linalg-native.ts';
import { exactCurve } from '../../nodes/teacher-student/index.ts';
import { skipNative, skipTitle } from './native-available.ts';

const ts = Array.from({ length: 60 }, (_, i) => 10 ** (i / 8)); // 1 … ~3e7

/** relative error, with `floor` as the scale for values near 0 */
function maxRelative(a: Float64Array, b: Float64Array, floor = 1e-300): number {
  let worst = 0;
  for (let i = 0; i < a.length; i++) worst = Math.max(worst, Math.abs(a[i]! - b[i]!) / Math.max(Math.abs(b[i]!), floor));
  return worst;
}

describe.skipIf(skipNative)(`native vs ml-matrix on the teacher–student exact curve${skipTitle}`, () => {
  it.each([
    { n: 150, d: 100, p: 60, kappa: 50, sigma: 0, lambda: 0 },
    { n: 120, d: 100, p: 80, kappa: 40, sigma: 0.2, lambda: 1e-3 },
    { n: 80, d: 100, p: 70, kappa: 100, sigma: 0, lambda: 0 },
  ])('agree to 1e-10 relative for t ≥ 1 (n=$n, κ=$kappa, σ=$sigma, λ=$lambda)', async (setup) => {
    const [js, native] = [await loadMlMatrix(), await loadNative()];
    const a = await exactCurve({ ...setup, ts, seeds: 2, seed: 'agreement', linalg: js });
    const b = await exactCurve({ ...setup, ts, seeds: 2, seed: 'agreement', linalg: native });
    expect(maxRelative(b.R, a.R)).toBeLessThan(1e-10);
    expect(maxRelative(b.Q, a.Q)).toBeLessThan(1e-10);
    // E_G = ½(1 + σ² − 2R + Q) goes to ~0 by cancellation: relative to its scale ½(1 + σ²)
    expect(maxRelative(b.EG, a.EG, 0.5 * (1 + setup.sigma ** 2))).toBeLessThan(1e-10);
  });
});
