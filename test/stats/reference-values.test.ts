import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { alexanderGovern, welchAnova, welchTTest, type Alternative } from '../../nodes/stats/index.ts';

interface Fixtures {
  alexanderGovern: { samples: number[][]; statistic: number; pvalue: number }[];
  welchAnova: { samples: number[][]; statistic: number; pvalue: number; df: [number, number] }[];
  welchTTest: { a: number[]; b: number[]; alternative: Alternative; statistic: number; pvalue: number; df: number }[];
}
const fixtures = JSON.parse(readFileSync(new URL('../fixtures/stats/reference.json', import.meta.url), 'utf8')) as Fixtures;

const REL = 1e-12;
function expectRel(actual: number, expected: number, rel = REL) {
  const err = Math.abs(actual - expected) / Math.max(Math.abs(expected), Number.MIN_VALUE);
  expect(err, `${actual} vs ${expected}`).toBeLessThanOrEqual(rel);
}

describe('alexanderGovern matches scipy', () => {
  it('reproduces the digest reference value (car-loan APRs of four cities) to 1e-12', () => {
    const r = alexanderGovern([
      [13.75, 13.75, 13.5, 13.5, 13.0, 13.0, 13.0, 12.75, 12.5],
      [14.25, 13.0, 12.75, 12.5, 12.5, 12.4, 12.3, 11.9, 11.9],
      [14.0, 14.0, 13.51, 13.5, 13.5, 13.25, 13.0, 12.5, 12.5],
      [15.0, 14.0, 13.75, 13.59, 13.25, 12.97, 12.5, 12.25, 11.89],
    ]);
    expectRel(r.statistic, 4.65087071883494);
    expectRel(r.pvalue, 0.19922132490385214);
    expect(r.df).toBe(3);
  });

  it('reproduces [1,2,3] vs [4,5,6] to 1e-12', () => {
    const r = alexanderGovern([[1, 2, 3], [4, 5, 6]]);
    expectRel(r.statistic, 4.801213913409313);
    expectRel(r.pvalue, 0.028439691681205588);
  });

  it('returns the per-group intermediates: weights sum to 1 and weight the common mean', () => {
    const r = alexanderGovern([[1, 2, 3], [4, 5, 7, 9]]);
    expect(r.weights.reduce((s, w) => s + w, 0)).toBeCloseTo(1, 14);
    expect(r.weightedMean).toBeCloseTo(r.weights[0]! * r.means[0]! + r.weights[1]! * r.means[1]!, 13);
    expect(r.standardErrors[0]).toBeCloseTo(1 / Math.sqrt(3), 14);
  });

  it.each(fixtures.alexanderGovern.map((c, i) => [i, c] as const))('scipy fixture %i', (_, c) => {
    const r = alexanderGovern(c.samples);
    expectRel(r.statistic, c.statistic);
    expectRel(r.pvalue, c.pvalue);
  });
});

describe('welchAnova matches its textbook formula (numpy/scipy fixtures)', () => {
  it.each(fixtures.welchAnova.map((c, i) => [i, c] as const))('fixture %i', (_, c) => {
    const r = welchAnova(c.samples);
    expectRel(r.statistic, c.statistic);
    expectRel(r.pvalue, c.pvalue);
    expect(r.df[0]).toBe(c.df[0]);
    expectRel(r.df[1], c.df[1]);
  });

  it('equals Welch t squared for two groups, with the same p-value', () => {
    const a = [1.1, 2.3, 2.9, 4.4, 5.0], b = [3.2, 5.5, 8.1, 9.9];
    const f = welchAnova([a, b]);
    const t = welchTTest(a, b);
    expectRel(f.statistic, t.statistic ** 2, 1e-13);
    expectRel(f.pvalue, t.pvalue, 1e-12);
    expectRel(f.df[1], t.df, 1e-13);
  });
});

describe('welchTTest matches scipy.stats.ttest_ind(equal_var=False)', () => {
  it.each(fixtures.welchTTest.map((c, i) => [i, c] as const))('fixture %i', (_, c) => {
    const r = welchTTest(c.a, c.b, { alternative: c.alternative });
    expectRel(r.statistic, c.statistic);
    expectRel(r.pvalue, c.pvalue);
    expectRel(r.df, c.df);
  });
});
