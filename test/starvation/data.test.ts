/**
 * The study's constructions: the two-moon data (margin, class orientation, the column swap),
 * the zero contour and margin measures, and the dual toy's feature matrix.
 */
import { describe, expect, it } from 'vitest';
import { randomSourceFromSeed } from '../../engine/random.ts';
import { twoMoons } from '../../nodes/starvation/two-moons.ts';
import { curvatureProxy } from '../../nodes/starvation/moon-metrics.ts';
import { distanceToSegments, gridPoints, linspace, zeroContour } from '../../nodes/starvation/contour.ts';
import { drawX, dualToy, rightSingularVectors } from '../../nodes/starvation/dual-toy.ts';

const classRange = (x: Float64Array, y: Float64Array, label: number, col: number) => {
  const v = [...y.keys()].filter((i) => y[i] === label).map((i) => x[2 * i + col]!);
  return [Math.min(...v), Math.max(...v)];
};

describe('two-moon data', () => {
  for (const margin of [0.1, -0.1]) {
    it(`puts y = +1 at x₀ ≤ −margin and y = −1 at x₀ ≥ margin (margin ${margin})`, () => {
      const { x, y } = twoMoons({ perMoon: 150, noise: 0.1, margin }, randomSourceFromSeed('d'));
      expect(y.filter((v) => v === 1)).toHaveLength(150);
      const [, plusMax] = classRange(x, y, 1, 0);
      const [minusMin] = classRange(x, y, -1, 0);
      expect(plusMax).toBeLessThanOrEqual(-margin + 1e-12);
      expect(minusMin).toBeGreaterThanOrEqual(margin - 1e-12);
      // the folding puts a point of each class at the fold: the gap is exactly 2·margin when it is positive
      if (margin > 0) expect(minusMin - plusMax).toBeLessThan(2 * margin + 0.05);
    });
  }

  it('swaps the columns: without noise x₁ is the moon\'s first coordinate minus 0.5', () => {
    const { x, y } = twoMoons({ perMoon: 5, noise: 0, margin: 0.1 }, randomSourceFromSeed('d'));
    const theta = [0, Math.PI / 4, Math.PI / 2, (3 * Math.PI) / 4, Math.PI];
    theta.forEach((t, i) => {
      expect(y[i]).toBe(-1);
      expect(x[2 * i + 1]).toBeCloseTo(Math.cos(t) - 0.5, 12); // outer moon
      expect(x[2 * (5 + i) + 1]).toBeCloseTo(1 - Math.cos(t) - 0.5, 12); // inner moon
    });
  });

  it('rotates the finished data about the origin', () => {
    const plain = twoMoons({ perMoon: 20, noise: 0.1, margin: 0.1 }, randomSourceFromSeed('d'));
    const turned = twoMoons({ perMoon: 20, noise: 0.1, margin: 0.1, rotation: Math.PI / 2 }, randomSourceFromSeed('d'));
    expect(turned.x[0]).toBeCloseTo(-plain.x[1]!, 12);
    expect(turned.x[1]).toBeCloseTo(plain.x[0]!, 12);
  });
});

describe('margins and the curvature proxy', () => {
  const axis = linspace(-2, 2, 101);
  const gridOf = (f: (a: number, b: number) => number) => {
    const pts = gridPoints(axis);
    return { axis, values: Float64Array.from({ length: pts.length / 2 }, (_, k) => f(pts[2 * k]!, pts[2 * k + 1]!)) };
  };

  it('finds the zero set of a straight boundary and the distance to it', () => {
    const seg = zeroContour(gridOf((a) => -(a - 0.05)));
    expect(distanceToSegments(0.35, 0.2, seg)).toBeCloseTo(0.3, 10);
    expect(distanceToSegments(-0.45, -1, seg)).toBeCloseTo(0.5, 10);
  });

  it('finds a circle\'s zero set within the grid spacing', () => {
    const seg = zeroContour(gridOf((a, b) => a * a + b * b - 1));
    expect(Math.abs(distanceToSegments(0, 0, seg) - 1)).toBeLessThan(2e-3);
  });

  it('is 0 for the straight boundary sign(−x₀) and measures the share that differs', () => {
    // the study's 100-point axis has no point on x₀ = 0 (nor on the 45° diagonal)
    const even = linspace(-2, 2, 100), pts = gridPoints(even);
    const on = (f: (a: number, b: number) => number) => ({ axis: even, values: Float64Array.from({ length: pts.length / 2 }, (_, k) => f(pts[2 * k]!, pts[2 * k + 1]!)) });
    expect(curvatureProxy(on((a) => -a), 0)).toBe(0);
    // data turned 45° counter-clockwise: the straight boundary is x₀ + x₁ = 0 (ties on the diagonal aside)
    expect(curvatureProxy(on((a, b) => -(a + b)), 45)).toBeLessThanOrEqual(0.01);
    expect(curvatureProxy(on((a, b) => -(a - b)), 45)).toBeGreaterThan(0.2);
    // a boundary at x₀ = 1: the 25 grid columns with 0 < x₀ < 1 are labelled differently
    expect(curvatureProxy(on((a) => 1 - a), 0)).toBeCloseTo(25 / 100, 12);
  });
});

describe('dual toy', () => {
  it('takes V from the right singular vectors of X (orthonormal rows diagonalising XᵀX)', () => {
    const X = drawX(randomSourceFromSeed('x'));
    const v = rightSingularVectors(X);
    const [a, b, c, d] = X;
    const xtx = [a * a + c * c, a * b + c * d, a * b + c * d, b * b + d * d];
    const off = v[0] * (xtx[0]! * v[2] + xtx[1]! * v[3]) + v[1] * (xtx[2]! * v[2] + xtx[3]! * v[3]);
    expect(Math.abs(off)).toBeLessThan(1e-12);
    expect(v[0] * v[2] + v[1] * v[3]).toBeCloseTo(0, 14);
  });

  it('gives the same responses for the dual and the primal when s₁ = s₂ (no starvation)', () => {
    const o = { rotation: 0.5, s1: 2, s2: 2, C: 100, steps: 20000, dualLr: 3e-6, primalLr: 0.05, sdCoefficient: 0.1, weightCoefficient: 0.5 };
    const X = drawX(randomSourceFromSeed('x'));
    const d = dualToy(o, X, 'dual'), p = dualToy(o, X, 'primal');
    expect(Math.abs(d.z1 - p.z1) / Math.abs(p.z1)).toBeLessThan(1e-3);
    // ΦΦᵀ = 4I: both examples get the same logit c, and z = Uᵀ(c, c)
    expect(p.z2 / p.z1).toBeCloseTo((Math.sqrt(0.75) - 0.5) / (Math.sqrt(0.75) + 0.5), 10);
  });
});
