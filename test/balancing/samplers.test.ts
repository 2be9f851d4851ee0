import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { randomSourceFromSeed } from '../../engine/random.ts';
import { countBy, groupIds } from '../../nodes/balancing/dataset.ts';
import { subsampleSampler } from '../../nodes/balancing/samplers/subsample.ts';
import { reweightSampler } from '../../nodes/balancing/samplers/reweight.ts';
import { shuffleSampler } from '../../nodes/balancing/samplers/shuffle.ts';
import { epochOrder } from '../../nodes/balancing/samplers/spec.ts';
import { jttSampler } from '../../nodes/balancing/samplers/jtt.ts';
import { GroupDro } from '../../nodes/balancing/losses/gdro.ts';
import { trainParams } from '../../nodes/balancing/train/run.ts';
import { THESIS_GROUP_COUNTS } from '../../nodes/balancing/reference-table.ts';
import { chiSquareSurvival } from '../../nodes/stats/tails.ts';
import { dataWithCounts } from './fixtures.ts';

const counts = fc.array(fc.array(fc.integer({ min: 1, max: 60 }), { minLength: 2, maxLength: 3 }), { minLength: 2, maxLength: 3 })
  .filter((rows) => rows.every((r) => r.length === rows[0]!.length));

describe('SUBG / SUBY subsampling', () => {
  it('SUBG keeps exactly min-group-size examples of every group (Waterbirds counts)', () => {
    const data = dataWithCounts(THESIS_GROUP_COUNTS.Waterbirds.counts);
    const spec = subsampleSampler(data, 'group', randomSourceFromSeed('w'));
    expect(countBy(groupIds(data.train, 2), 4, spec.pool)).toEqual([56, 56, 56, 56]);
    expect(new Set(spec.pool).size).toBe(spec.pool.length);
    expect(spec.usesAttributes).toBe(true);
  });
  it('SUBY keeps exactly min-class-size examples of every class (Waterbirds counts)', () => {
    const data = dataWithCounts(THESIS_GROUP_COUNTS.Waterbirds.counts);
    const spec = subsampleSampler(data, 'class', randomSourceFromSeed('w'));
    expect(countBy(data.train.y, 2, spec.pool)).toEqual([1113, 1113]);
    expect(spec.usesAttributes).toBe(false);
  });
  it('gives equal counts for any group sizes, without repeats', () => {
    fc.assert(fc.property(counts, fc.string(), (c, seed) => {
      const data = dataWithCounts(c);
      const k = c.length * c[0]!.length;
      const g = countBy(groupIds(data.train, c[0]!.length), k, subsampleSampler(data, 'group', randomSourceFromSeed(seed)).pool);
      const y = countBy(data.train.y, c.length, subsampleSampler(data, 'class', randomSourceFromSeed(seed)).pool);
      const minG = Math.min(...c.flat()), minY = Math.min(...c.map((r) => r.reduce((s, v) => s + v, 0)));
      return g.every((v) => v === minG) && y.every((v) => v === minY);
    }), { numRuns: 50 });
  });
  it('an epoch of a subsampled set visits each kept example exactly once', () => {
    const data = dataWithCounts([[30, 5], [7, 40]]);
    const spec = subsampleSampler(data, 'group', randomSourceFromSeed('s'));
    const order = epochOrder(spec, randomSourceFromSeed('o'));
    expect([...order].sort((p, q) => p - q)).toEqual([...spec.pool].sort((p, q) => p - q));
  });
});

describe('RWG / RWY reweighting', () => {
  function chiSquareUniform(observed: number[]): number {
    const total = observed.reduce((s, v) => s + v, 0);
    const e = total / observed.length;
    return chiSquareSurvival(observed.reduce((s, o) => s + (o - e) ** 2 / e, 0), observed.length - 1);
  }
  it('RWG draws group-balanced examples in expectation (chi-square goodness of fit, CelebA counts / 100)', () => {
    const data = dataWithCounts(THESIS_GROUP_COUNTS.CelebA.counts.map((r) => r.map((c) => Math.round(c / 100))));
    const spec = reweightSampler(data, 'group');
    const ids = groupIds(data.train, 2);
    const random = randomSourceFromSeed('rwg');
    const observed = [0, 0, 0, 0];
    for (let e = 0; e < 20; e++) for (const i of epochOrder(spec, random)) observed[ids[i]!]!++;
    expect(chiSquareUniform(observed)).toBeGreaterThan(0.001);
    // and the same test rejects uniform shuffling, so it can fail
    const plain = [0, 0, 0, 0];
    for (const i of epochOrder(shuffleSampler(data), random)) plain[ids[i]!]!++;
    expect(chiSquareUniform(plain)).toBeLessThan(1e-6);
  });
  it('RWY draws class-balanced examples in expectation; an epoch has N draws', () => {
    const data = dataWithCounts(THESIS_GROUP_COUNTS.Waterbirds.counts);
    const spec = reweightSampler(data, 'class');
    const random = randomSourceFromSeed('rwy');
    const observed = [0, 0];
    for (let e = 0; e < 10; e++) {
      const order = epochOrder(spec, random);
      expect(order.length).toBe(data.train.n);
      for (const i of order) observed[data.train.y[i]!]!++;
    }
    expect(chiSquareUniform(observed)).toBeGreaterThan(0.001);
  });
});

describe("gDRO's q", () => {
  it('stays a probability vector for any batch of losses and groups', () => {
    fc.assert(fc.property(
      fc.array(fc.tuple(fc.double({ min: 0, max: 20, noNaN: true }), fc.integer({ min: 0, max: 3 })), { minLength: 1, maxLength: 40 }),
      fc.integer({ min: 1, max: 30 }),
      (batch, steps) => {
        const dro = new GroupDro(0.1, 4);
        const losses = Float64Array.from(batch, ([l]) => l), groups = Int32Array.from(batch, ([, g]) => g);
        const coef = new Float64Array(batch.length);
        for (let s = 0; s < steps; s++) dro.coefficients(losses, groups, batch.length, coef);
        const sum = dro.q.reduce((t, v) => t + v, 0);
        return Math.abs(sum - 1) < 1e-12 && dro.q.every((v) => v >= 0 && v <= 1);
      }));
  });
  it('moves toward the group with the largest loss', () => {
    const dro = new GroupDro(0.1, 4);
    const losses = Float64Array.of(0.1, 0.2, 2.0, 0.3, 0.1, 2.2), groups = Int32Array.of(0, 1, 2, 3, 0, 2);
    const coef = new Float64Array(6);
    let last = 0.25;
    for (let s = 0; s < 20; s++) {
      dro.coefficients(losses, groups, 6, coef);
      expect(dro.q[2]).toBeGreaterThan(last);
      last = dro.q[2]!;
    }
    expect(dro.q.indexOf(Math.max(...dro.q))).toBe(2);
    // the batch loss's coefficients are q_g / n_g for the examples of group g
    expect(coef[2]).toBeCloseTo(dro.q[2]! / 2, 15);
  });
});

describe("JTT's second-phase set", () => {
  it("holds each phase-one error `up` times and every other example once", () => {
    // a 1-feature linear model w = +1 predicts y = 1 iff x > 0; rows 1 and 3 are its mistakes
    const x = Float32Array.of(1, 1, -1, -1, 2);
    const y = Int32Array.of(1, 0, 0, 1, 1);
    const split = { n: 5, d: 1, x, y, a: Int32Array.of(0, 0, 0, 0, 0) };
    const data = { train: split, val: split, test: split, nLabels: 2, nAttributes: 1 };
    const phaseOne = { finalParams: [1], params: trainParams.parse({ lr: 0.1 }) };
    for (const up of [1, 4, 20]) {
      const spec = jttSampler(data, phaseOne, up);
      const times = countBy(Int32Array.from(spec.pool), 5);
      expect(times).toEqual([1, up, 1, up, 1]);
    }
  });
});
