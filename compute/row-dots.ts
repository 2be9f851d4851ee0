/**
 * y = A x for a row-major m×k A: one dot product per contiguous row, with four accumulators to
 * break V8's add-latency chain (about 2× one accumulator). Shared by the JS gemm's
 * matrix–vector case and the JS gradient-descent kernel, so both sum in the same order.
 */
export function rowDots(A: Float64Array, m: number, k: number, x: Float64Array, y: Float64Array): void {
  for (let i = 0; i < m; i++) {
    let s0 = 0, s1 = 0, s2 = 0, s3 = 0;
    const off = i * k;
    let p = 0;
    for (; p + 3 < k; p += 4) {
      s0 += A[off + p]! * x[p]!;
      s1 += A[off + p + 1]! * x[p + 1]!;
      s2 += A[off + p + 2]! * x[p + 2]!;
      s3 += A[off + p + 3]! * x[p + 3]!;
    }
    for (; p < k; p++) s0 += A[off + p]! * x[p]!;
    y[i] = s0 + s1 + (s2 + s3);
  }
}
