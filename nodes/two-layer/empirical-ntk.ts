/**
 * The empirical neural tangent kernel of the first layer at initialisation,
 * K_kl = Σ_i a_i² φ′(w_iᵀx_k) φ′(w_iᵀx_l) x_kᵀx_l = [(Φ′ diag(a²) Φ′ᵀ) ∘ XXᵀ]_kl,
 * and its comparison with the poster's equivalent b₀XXᵀ + b₁I (b₀ = (E φ′)², b₁ = d·Var φ′).
 */
import type { Linalg } from '../../engine/compute/linalg.ts';
import { mat, type Mat } from '../../engine/compute/matrix.ts';
import type { Activation } from './activations.ts';
import type { Network } from './network.ts';

export function empiricalNtk(net: Network, X: Mat, act: Activation, linalg: Linalg): Mat {
  const Z = linalg.gemm(X, net.W);
  const n = X.rows, h = Z.cols;
  const phi = new Float64Array(n * h), dphi = new Float64Array(n * h);
  act.evaluate(Z.data, phi, dphi);
  for (let k = 0; k < n; k++) for (let i = 0; i < h; i++) dphi[k * h + i]! *= Math.abs(net.a[i]!);
  const D = mat(n, h, dphi);
  const K = linalg.gemm(D, D, { transB: true });
  const XX = linalg.gemm(X, X, { transB: true });
  for (let j = 0; j < K.data.length; j++) K.data[j]! *= XX.data[j]!;
  return K;
}

export interface KernelComparison {
  /** ‖K − K̂‖_F/‖K‖_F over all entries */
  readonly relativeError: number;
  /** the same over the diagonal only, and over the off-diagonal only */
  readonly diagonalError: number;
  readonly offDiagonalError: number;
}

/** K against K̂ = b₀XXᵀ + b₁I */
export function compareKernel(K: Mat, X: Mat, b0: number, b1: number, linalg: Linalg): KernelComparison {
  const XX = linalg.gemm(X, X, { transB: true });
  const n = K.rows;
  const acc = { all: [0, 0], diag: [0, 0], off: [0, 0] };
  for (let k = 0; k < n; k++) {
    for (let l = 0; l < n; l++) {
      const j = k * n + l;
      const model = b0 * XX.data[j]! + (k === l ? b1 : 0);
      const e2 = (K.data[j]! - model) ** 2, k2 = K.data[j]! ** 2;
      const part = k === l ? acc.diag : acc.off;
      part[0]! += e2; part[1]! += k2;
      acc.all[0]! += e2; acc.all[1]! += k2;
    }
  }
  const rel = (p: number[]) => Math.sqrt(p[0]! / p[1]!);
  return { relativeError: rel(acc.all), diagonalError: rel(acc.diag), offDiagonalError: rel(acc.off) };
}
