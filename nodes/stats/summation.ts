/**
 * numpy's summation order (first element, then pairwise blocks of 8 accumulators), so means and
 * variances round like scipy's and the comparisons at 1e-12 test the method, not the rounding.
 */
function pairwiseSum(a: ArrayLike<number>, start: number, n: number): number {
  if (n < 8) {
    let res = 0;
    for (let i = 0; i < n; i++) res += a[start + i]!;
    return res;
  }
  if (n <= 128) {
    const r = [a[start]!, a[start + 1]!, a[start + 2]!, a[start + 3]!, a[start + 4]!, a[start + 5]!, a[start + 6]!, a[start + 7]!];
    let i = 8;
    for (; i < n - (n % 8); i += 8) {
      for (let j = 0; j < 8; j++) r[j]! += a[start + i + j]!;
    }
    let res = ((r[0]! + r[1]!) + (r[2]! + r[3]!)) + ((r[4]! + r[5]!) + (r[6]! + r[7]!));
    for (; i < n; i++) res += a[start + i]!;
    return res;
  }
  let n2 = Math.floor(n / 2);
  n2 -= n2 % 8;
  return pairwiseSum(a, start, n2) + pairwiseSum(a, start + n2, n - n2);
}

/** `np.sum(a)` for a 1-D float64 array. */
export function numpySum(a: ArrayLike<number>): number {
  if (a.length === 0) return 0;
  return a[0]! + pairwiseSum(a, 1, a.length - 1);
}

export function mean(a: ArrayLike<number>): number {
  return numpySum(a) / a.length;
}

/** Unbiased variance (ddof = 1), computed like `np.var(a, ddof=1)`. */
export function variance(a: ArrayLike<number>, m = mean(a)): number {
  const sq = new Float64Array(a.length);
  for (let i = 0; i < a.length; i++) {
    const d = a[i]! - m;
    sq[i] = d * d;
  }
  return numpySum(sq) / (a.length - 1);
}
