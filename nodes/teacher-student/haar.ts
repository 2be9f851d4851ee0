import type { Linalg } from '../../engine/compute/linalg.ts';
import { mat, type Mat } from '../../engine/compute/matrix.ts';
import type { RandomSource } from '../../engine/random.ts';

/**
 * A Haar-random d×d orthogonal matrix: QR of a standard-normal matrix with each column of Q
 * multiplied by sign(R_jj). Without the sign fix the distribution depends on the QR routine's
 * sign convention and is not uniform on O(d) (Mezzadri 2007).
 */
export function haarOrthogonal(d: number, random: RandomSource, linalg: Linalg): Mat {
  const g = mat(d, d, random.fillNormal(new Float64Array(d * d)));
  const { Q, R } = linalg.qr(g);
  const out = new Float64Array(d * d);
  for (let j = 0; j < d; j++) {
    const sign = R.data[j * R.cols + j]! < 0 ? -1 : 1;
    for (let i = 0; i < d; i++) out[i * d + j] = sign * Q.data[i * Q.cols + j]!;
  }
  return mat(d, d, out);
}
