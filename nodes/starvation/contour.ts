/**
 * The zero set of a function sampled on a regular grid, as line segments (marching squares with
 * linear interpolation along cell edges), and the distance from points to it: the input-space
 * margin of a 2-D classifier.
 */

export interface Grid {
  /** coordinates along each axis (the same for x₀ and x₁) */
  readonly axis: Float64Array;
  /** values[i·n + j] = f(x₀ = axis[j], x₁ = axis[i]) */
  readonly values: Float64Array;
}

/** segments as [x0a, x1a, x0b, x1b] quadruples, flat */
export function zeroContour(g: Grid): Float64Array {
  const n = g.axis.length, v = g.values, a = g.axis;
  const out: number[] = [];
  const cross = (x0: number, y0: number, f0: number, x1: number, y1: number, f1: number): [number, number] => {
    const t = f0 / (f0 - f1);
    return [x0 + t * (x1 - x0), y0 + t * (y1 - y0)];
  };
  for (let i = 0; i + 1 < n; i++) {
    for (let j = 0; j + 1 < n; j++) {
      // corners counter-clockwise: (j,i), (j+1,i), (j+1,i+1), (j,i+1)
      const xs = [a[j]!, a[j + 1]!, a[j + 1]!, a[j]!], ys = [a[i]!, a[i]!, a[i + 1]!, a[i + 1]!];
      const fs = [v[i * n + j]!, v[i * n + j + 1]!, v[(i + 1) * n + j + 1]!, v[(i + 1) * n + j]!];
      const points: [number, number][] = [];
      for (let e = 0; e < 4; e++) {
        const f = (e + 1) % 4;
        if (fs[e]! > 0 !== fs[f]! > 0) points.push(cross(xs[e]!, ys[e]!, fs[e]!, xs[f]!, ys[f]!, fs[f]!));
      }
      // two crossings: one segment; four (a saddle): pair them in edge order, as both pairings are valid
      for (let k = 0; k + 1 < points.length; k += 2) out.push(points[k]![0], points[k]![1], points[k + 1]![0], points[k + 1]![1]);
    }
  }
  return Float64Array.from(out);
}

/** distance from (px, py) to the nearest segment; Infinity when there are none */
export function distanceToSegments(px: number, py: number, segments: Float64Array): number {
  let best = Infinity;
  for (let s = 0; s < segments.length; s += 4) {
    const ax = segments[s]!, ay = segments[s + 1]!, bx = segments[s + 2]!, by = segments[s + 3]!;
    const dx = bx - ax, dy = by - ay;
    const len2 = dx * dx + dy * dy;
    const t = len2 > 0 ? Math.min(1, Math.max(0, ((px - ax) * dx + (py - ay) * dy) / len2)) : 0;
    const ex = ax + t * dx - px, ey = ay + t * dy - py;
    best = Math.min(best, ex * ex + ey * ey);
  }
  return Math.sqrt(best);
}

export function linspace(from: number, to: number, n: number): Float64Array {
  return Float64Array.from({ length: n }, (_, k) => (n === 1 ? from : from + ((to - from) * k) / (n - 1)));
}

/** the n × n grid points, row-major by x₁ then x₀ (the layout of Grid.values) */
export function gridPoints(axis: Float64Array): Float64Array {
  const n = axis.length;
  const out = new Float64Array(2 * n * n);
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < n; j++) {
      out[2 * (i * n + j)] = axis[j]!;
      out[2 * (i * n + j) + 1] = axis[i]!;
    }
  }
  return out;
}
