/**
 * A counter-based random source (Philox4x32-10, Salmon et al. 2011): the n-th draw is a pure
 * function of (key, n), so a task's numbers never depend on scheduling, executor or worker.
 */
import { createHash } from 'node:crypto';

const M0 = 0xd2511f53;
const M1 = 0xcd9e8d57;
const W0 = 0x9e3779b9;
const W1 = 0xbb67ae85;

function mulhilo(a: number, b: number): [number, number] {
  const lo = Math.imul(a, b) >>> 0;
  // high 32 bits of the 64-bit product, exact via 16-bit halves
  const aH = a >>> 16, aL = a & 0xffff, bH = b >>> 16, bL = b & 0xffff;
  const ll = aL * bL, lh = aL * bH, hl = aH * bL, hh = aH * bH;
  const mid = (ll >>> 16) + (lh & 0xffff) + (hl & 0xffff);
  const hi = (hh + (lh >>> 16) + (hl >>> 16) + (mid >>> 16)) >>> 0;
  return [hi, lo];
}

/** One Philox4x32-10 block: 4 counter words and 2 key words in, 4 random words out. */
export function philox4x32(ctr: readonly number[], key: readonly number[]): Uint32Array {
  let c0 = ctr[0]! >>> 0, c1 = ctr[1]! >>> 0, c2 = ctr[2]! >>> 0, c3 = ctr[3]! >>> 0;
  let k0 = key[0]! >>> 0, k1 = key[1]! >>> 0;
  for (let round = 0; round < 10; round++) {
    const [hi0, lo0] = mulhilo(M0, c0);
    const [hi1, lo1] = mulhilo(M1, c2);
    const n0 = (hi1 ^ c1 ^ k0) >>> 0;
    const n2 = (hi0 ^ c3 ^ k1) >>> 0;
    c0 = n0; c1 = lo1; c2 = n2; c3 = lo0;
    k0 = (k0 + W0) >>> 0;
    k1 = (k1 + W1) >>> 0;
  }
  return Uint32Array.of(c0, c1, c2, c3);
}

export interface RandomSource {
  /** uniform in [0, 1) with 53 random bits */
  uniform(): number;
  /** standard normal (Box–Muller) */
  normal(): number;
  /** integer in [0, n) */
  int(n: number): number;
  fillUniform<T extends Float64Array | Float32Array>(out: T, low?: number, high?: number): T;
  fillNormal<T extends Float64Array | Float32Array>(out: T, mean?: number, std?: number): T;
  /** a uniformly random permutation of 0..n-1 (Fisher–Yates) */
  permutation(n: number): Int32Array;
  /** an independent stream, named so that adding a draw elsewhere never shifts this one */
  fork(label: string): RandomSource;
}

const TWO_POW_32 = 4294967296;

class PhiloxSource implements RandomSource {
  private counter = 0;
  private block: Uint32Array = new Uint32Array(4);
  private used = 4;
  private spareNormal: number | undefined;

  constructor(private readonly key: readonly [number, number], private readonly stream: number) {}

  private nextWord(): number {
    if (this.used === 4) {
      const c = this.counter++;
      this.block = philox4x32([c >>> 0, Math.floor(c / TWO_POW_32) >>> 0, this.stream >>> 0, 0], this.key);
      this.used = 0;
    }
    return this.block[this.used++]!;
  }

  uniform(): number {
    const a = this.nextWord() >>> 5; // 27 bits
    const b = this.nextWord() >>> 6; // 26 bits
    return (a * 67108864 + b) / 9007199254740992;
  }

  normal(): number {
    if (this.spareNormal !== undefined) {
      const s = this.spareNormal;
      this.spareNormal = undefined;
      return s;
    }
    let u1 = this.uniform();
    while (u1 === 0) u1 = this.uniform();
    const u2 = this.uniform();
    const r = Math.sqrt(-2 * Math.log(u1));
    this.spareNormal = r * Math.sin(2 * Math.PI * u2);
    return r * Math.cos(2 * Math.PI * u2);
  }

  int(n: number): number {
    if (!Number.isInteger(n) || n <= 0) throw new RangeError(`random.int: n must be a positive integer, got ${n}`);
    return Math.floor(this.uniform() * n);
  }

  fillUniform<T extends Float64Array | Float32Array>(out: T, low = 0, high = 1): T {
    for (let i = 0; i < out.length; i++) out[i] = low + (high - low) * this.uniform();
    return out;
  }

  fillNormal<T extends Float64Array | Float32Array>(out: T, mean = 0, std = 1): T {
    for (let i = 0; i < out.length; i++) out[i] = mean + std * this.normal();
    return out;
  }

  permutation(n: number): Int32Array {
    const p = new Int32Array(n);
    for (let i = 0; i < n; i++) p[i] = i;
    for (let i = n - 1; i > 0; i--) {
      const j = this.int(i + 1);
      const t = p[i]!;
      p[i] = p[j]!;
      p[j] = t;
    }
    return p;
  }

  fork(label: string): RandomSource {
    return randomSourceFromSeed(`${this.key[0]}:${this.key[1]}:${this.stream}/${label}`);
  }
}

/** A source whose key is the SHA-256 of `seed` (any string, e.g. step id + canonical params). */
export function randomSourceFromSeed(seed: string): RandomSource {
  const h = createHash('sha256').update(seed).digest();
  return new PhiloxSource([h.readUInt32LE(0), h.readUInt32LE(4)], h.readUInt32LE(8));
}
