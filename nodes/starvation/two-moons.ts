/**
 * The two-moon data of thesis ch. 6 (Fig. 1 a–c), built exactly as the authors' code does: the
 * standard two-moons points with Gaussian noise, then shifted and folded so that the first
 * coordinate (after the final column swap) separates the classes with a gap of 2·margin.
 */
import type { RandomSource } from '../../engine/random.ts';

export interface TwoMoons {
  /** n × 2, row-major */
  readonly x: Float64Array;
  /** ±1: +1 for the inner moon (sklearn's label 1), −1 for the outer */
  readonly y: Float64Array;
}

export interface TwoMoonsOptions {
  /** points per moon (150 in the thesis) */
  readonly perMoon: number;
  readonly noise: number;
  /** +0.1: separable with a gap of 0.2 along x₀; −0.1: overlapping */
  readonly margin: number;
  /** counter-clockwise rotation of the finished data, radians (the appendix's 45° panel) */
  readonly rotation?: number;
}

/** sklearn's make_moons(shuffle=False): outer (cos θ, sin θ), inner (1 − cos θ, 1 − sin θ − 0.5) */
function moons(perMoon: number, noise: number, random: RandomSource): TwoMoons {
  const n = 2 * perMoon;
  const x = new Float64Array(2 * n), y = new Float64Array(n);
  for (let i = 0; i < perMoon; i++) {
    const theta = perMoon === 1 ? 0 : (Math.PI * i) / (perMoon - 1);
    x[2 * i] = Math.cos(theta);
    x[2 * i + 1] = Math.sin(theta);
    y[i] = -1;
    const j = perMoon + i;
    x[2 * j] = 1 - Math.cos(theta);
    x[2 * j + 1] = 1 - Math.sin(theta) - 0.5;
    y[j] = 1;
  }
  for (let k = 0; k < x.length; k++) x[k] = x[k]! + noise * random.normal();
  return { x, y };
}

export function twoMoons(options: TwoMoonsOptions, random: RandomSource): TwoMoons {
  const { x, y } = moons(options.perMoon, options.noise, random);
  const n = y.length;
  let mean = 0;
  for (let i = 0; i < n; i++) {
    x[2 * i] = x[2 * i]! - 0.5;
    x[2 * i + 1] = x[2 * i + 1]! - 0.3 * y[i]!;
    mean += x[2 * i + 1]!;
  }
  mean /= n;
  for (let i = 0; i < n; i++) {
    const centred = x[2 * i + 1]! - mean;
    // fold each class to its own side, push it `margin` further, then swap the columns
    const separating = -Math.abs(centred) * y[i]! - y[i]! * options.margin;
    x[2 * i + 1] = x[2 * i]!;
    x[2 * i] = separating;
  }
  return options.rotation ? { x: rotate(x, options.rotation), y } : { x, y };
}

/** rotates every row of an n × 2 array counter-clockwise by `angle` */
export function rotate(x: Float64Array, angle: number): Float64Array {
  const c = Math.cos(angle), s = Math.sin(angle);
  const out = new Float64Array(x.length);
  for (let i = 0; i < x.length; i += 2) {
    out[i] = c * x[i]! - s * x[i + 1]!;
    out[i + 1] = s * x[i]! + c * x[i + 1]!;
  }
  return out;
}
