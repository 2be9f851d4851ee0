/**
 * What the two-moon figures report: the decision function on a grid, training accuracy, the
 * functional margin min yᵢ f(xᵢ), the input-space margin (distance from the training points to
 * the zero set of f), and the curvature proxy — the share of the grid where sign f differs from
 * the straight boundary sign(−x₀) that the separating coordinate alone would give.
 */
import type { Network } from '../../engine/compute/trainer.ts';
import { distanceToSegments, gridPoints, linspace, zeroContour, type Grid } from './contour.ts';
import type { TwoMoons } from './two-moons.ts';

export function decisionGrid(network: Network, size: number, extent: number, precision: 'float32' | 'float64'): Grid {
  const axis = linspace(-extent, extent, size);
  const pts = gridPoints(axis);
  return { axis, values: network.logits(precision === 'float32' ? Float32Array.from(pts) : pts) };
}

export interface RunMetrics {
  readonly trainAccuracy: number;
  readonly functionalMargin: number;
  /** Infinity when the grid holds no zero crossing */
  readonly minMargin: number;
}

export function runMetrics(network: Network, data: TwoMoons, marginGrid: Grid, precision: 'float32' | 'float64'): RunMetrics {
  const f = network.logits(precision === 'float32' ? Float32Array.from(data.x) : data.x);
  const n = data.y.length;
  let correct = 0, functionalMargin = Infinity;
  for (let i = 0; i < n; i++) {
    const m = data.y[i]! * f[i]!;
    if (m > 0) correct++;
    functionalMargin = Math.min(functionalMargin, m);
  }
  const segments = zeroContour(marginGrid);
  let minMargin = Infinity;
  for (let i = 0; i < n; i++) minMargin = Math.min(minMargin, distanceToSegments(data.x[2 * i]!, data.x[2 * i + 1]!, segments));
  return { trainAccuracy: correct / n, functionalMargin, minMargin };
}

/** share of grid points where sign f ≠ sign(−x₀) in the data's unrotated frame */
export function curvatureProxy(grid: Grid, rotationDegrees: number): number {
  const n = grid.axis.length, r = (rotationDegrees * Math.PI) / 180;
  const c = Math.cos(r), s = Math.sin(r);
  let differ = 0;
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < n; j++) {
      // rotate the grid point back by −r: its first coordinate is c·x₀ + s·x₁
      const straight = -(c * grid.axis[j]! + s * grid.axis[i]!);
      if (grid.values[i * n + j]! > 0 !== straight > 0) differ++;
    }
  }
  return differ / (n * n);
}
