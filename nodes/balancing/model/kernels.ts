/**
 * The linear head's two hot loops, blocked over rows so that one load of w (or of the gradient)
 * serves 4 (or 8) examples: measured here 1.5× (dot) and 2.6× (gradient) faster than the
 * row-at-a-time loops on 1000 × 1202 float32 features.
 */

/** out[o + t] = Σ_j w[wo + j] · x[rows[t]·d + j] for t < count (+ bias added by the caller). */
export function dotRows(w: Float64Array, wo: number, x: Float32Array, d: number, rows: ArrayLike<number>, count: number, out: Float64Array, o: number, stride: number): void {
  let t = 0;
  for (; t + 3 < count; t += 4) {
    const b0 = rows[t]! * d, b1 = rows[t + 1]! * d, b2 = rows[t + 2]! * d, b3 = rows[t + 3]! * d;
    let s0 = 0, s1 = 0, s2 = 0, s3 = 0;
    for (let j = 0; j < d; j++) {
      const wj = w[wo + j]!;
      s0 += wj * x[b0 + j]!;
      s1 += wj * x[b1 + j]!;
      s2 += wj * x[b2 + j]!;
      s3 += wj * x[b3 + j]!;
    }
    out[o + t * stride] = s0;
    out[o + (t + 1) * stride] = s1;
    out[o + (t + 2) * stride] = s2;
    out[o + (t + 3) * stride] = s3;
  }
  for (; t < count; t++) {
    const b = rows[t]! * d;
    let s = 0;
    for (let j = 0; j < d; j++) s += w[wo + j]! * x[b + j]!;
    out[o + t * stride] = s;
  }
}

/** g[go + j] += Σ_t r[t·stride + ro] · x[rows[t]·d + j] */
export function accumulateRows(g: Float64Array, go: number, x: Float32Array, d: number, rows: ArrayLike<number>, count: number, r: Float64Array, ro: number, stride: number): void {
  let t = 0;
  for (; t + 7 < count; t += 8) {
    const b0 = rows[t]! * d, b1 = rows[t + 1]! * d, b2 = rows[t + 2]! * d, b3 = rows[t + 3]! * d;
    const b4 = rows[t + 4]! * d, b5 = rows[t + 5]! * d, b6 = rows[t + 6]! * d, b7 = rows[t + 7]! * d;
    const r0 = r[ro + t * stride]!, r1 = r[ro + (t + 1) * stride]!, r2 = r[ro + (t + 2) * stride]!, r3 = r[ro + (t + 3) * stride]!;
    const r4 = r[ro + (t + 4) * stride]!, r5 = r[ro + (t + 5) * stride]!, r6 = r[ro + (t + 6) * stride]!, r7 = r[ro + (t + 7) * stride]!;
    for (let j = 0; j < d; j++) {
      g[go + j]! += r0 * x[b0 + j]! + r1 * x[b1 + j]! + r2 * x[b2 + j]! + r3 * x[b3 + j]! + r4 * x[b4 + j]! + r5 * x[b5 + j]! + r6 * x[b6 + j]! + r7 * x[b7 + j]!;
    }
  }
  for (; t < count; t++) {
    const b = rows[t]! * d;
    const rt = r[ro + t * stride]!;
    if (rt === 0) continue;
    for (let j = 0; j < d; j++) g[go + j]! += rt * x[b + j]!;
  }
}
