/**
 * A dense float64 matrix in row-major order. Every compute backend speaks this one shape so
 * that nodes never see which library (ml-matrix, OpenBLAS) did the arithmetic.
 */
export interface Mat {
  readonly rows: number;
  readonly cols: number;
  /** row-major, length rows * cols */
  readonly data: Float64Array;
}

export function mat(rows: number, cols: number, data?: Float64Array): Mat {
  const d = data ?? new Float64Array(rows * cols);
  if (d.length !== rows * cols) {
    throw new RangeError(`mat: data has length ${d.length}, expected ${rows}×${cols} = ${rows * cols}`);
  }
  return { rows, cols, data: d };
}
