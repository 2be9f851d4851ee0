/**
 * Uniform numbers for dropout masks: xoshiro128** (Blackman & Vigna) seeded from one draw of the
 * network's seeded source per forward pass. Philox per unit cost 3/4 of a dropout step (150 000
 * draws a step for a 300 × 500 layer); this is a few integer ops per draw, and one seed per pass
 * keeps a run reproducible and lets a caller replay a pass's masks by replaying its source.
 */
export class MaskStream {
  private s0 = 0;
  private s1 = 0;
  private s2 = 0;
  private s3 = 0;

  /** seed from a uniform in [0, 1): splitmix32 spreads it over the four state words */
  reseed(u: number): void {
    let x = Math.floor(u * 4294967296) >>> 0;
    const next = () => {
      x = (x + 0x9e3779b9) >>> 0;
      let z = x;
      z = Math.imul(z ^ (z >>> 16), 0x85ebca6b) >>> 0;
      z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35) >>> 0;
      return (z ^ (z >>> 16)) >>> 0;
    };
    this.s0 = next(); this.s1 = next(); this.s2 = next(); this.s3 = next();
    if ((this.s0 | this.s1 | this.s2 | this.s3) === 0) this.s0 = 1; // the all-zero state is a fixed point
  }

  /** uniform in [0, 1) with 32 random bits */
  uniform(): number {
    const result = Math.imul(rotl(Math.imul(this.s1, 5), 7), 9) >>> 0;
    const t = this.s1 << 9;
    this.s2 ^= this.s0;
    this.s3 ^= this.s1;
    this.s1 ^= this.s2;
    this.s0 ^= this.s3;
    this.s2 ^= t;
    this.s3 = rotl(this.s3, 11);
    return result / 4294967296;
  }
}

function rotl(x: number, k: number): number {
  return (x << k) | (x >>> (32 - k));
}
