import { describe, expect, it } from 'vitest';
import {
  alexanderGovern, welchAnova, welchTTest,
  GroupTooSmallError, NonFiniteValueError, TooFewGroupsError, ZeroVarianceError, StatsInputError,
} from '../../nodes/stats/index.ts';

const tests = {
  alexanderGovern: (s: number[][], nanPolicy?: 'raise' | 'propagate' | 'omit') => alexanderGovern(s, { nanPolicy }),
  welchAnova: (s: number[][], nanPolicy?: 'raise' | 'propagate' | 'omit') => welchAnova(s, { nanPolicy }),
  welchTTest: (s: number[][], nanPolicy?: 'raise' | 'propagate' | 'omit') => welchTTest(s[0] ?? [], s[1] ?? [], { nanPolicy }),
};

describe.each(Object.entries(tests))('%s input errors by default', (name, test) => {
  it('rejects a group with fewer than 2 values, naming the group', () => {
    expect(() => test([[1, 2, 3], [4]])).toThrow(GroupTooSmallError);
    expect(() => test([[1, 2, 3], [4]])).toThrow(/group 1 has 1 value/);
  });
  it('rejects NaN and ±Infinity, naming group and position', () => {
    expect(() => test([[1, NaN, 3], [4, 5, 6]])).toThrow(NonFiniteValueError);
    expect(() => test([[1, 2, 3], [4, 5, Infinity]])).toThrow(/group 1 value 2 is Infinity/);
    expect(() => test([[1, 2, 3], [-Infinity, 5, 6]])).toThrow(StatsInputError);
  });
  it('rejects a zero-variance group', () => {
    const constant = name === 'welchTTest' ? [[2, 2, 2], [3, 3, 3]] : [[2, 2, 2], [3, 4, 5]];
    expect(() => test(constant)).toThrow(ZeroVarianceError);
  });
  it("gives a NaN result with the reason under nanPolicy 'propagate' (scipy's default)", () => {
    const r = test([[1, NaN, 3], [4, 5, 6]], 'propagate');
    expect(r.statistic).toBeNaN();
    expect(r.pvalue).toBeNaN();
    expect(r.undefinedReason).toMatch(/NaN/);
  });
  it("drops NaNs under nanPolicy 'omit', giving the result without them", () => {
    const omitted = test([[1, NaN, 3, 3.5], [4, 5, NaN, 6.5]], 'omit');
    const clean = test([[1, 3, 3.5], [4, 5, 6.5]]);
    expect(omitted.statistic).toBe(clean.statistic);
    expect(omitted.pvalue).toBe(clean.pvalue);
  });
  it("still refuses a group left with one value after omitting NaNs", () => {
    expect(() => test([[1, NaN, NaN], [4, 5, 6]], 'omit')).toThrow(GroupTooSmallError);
  });
  it("returns NaN for a constant group under scipy's policies, like scipy's ConstantInputWarning", () => {
    const constant = name === 'welchTTest' ? [[2, 2, 2], [3, 3, 3]] : [[2, 2, 2], [3, 4, 5]];
    const r = test(constant, 'propagate');
    expect(r.statistic).toBeNaN();
    expect(r.undefinedReason).toMatch(/constant/);
  });
});

describe('group counts', () => {
  it('alexanderGovern and welchAnova need at least 2 groups', () => {
    expect(() => alexanderGovern([[1, 2, 3]])).toThrow(TooFewGroupsError);
    expect(() => welchAnova([])).toThrow(/at least 2 groups, got 0/);
  });
  it("welchTTest is defined when only one of its groups is constant", () => {
    const r = welchTTest([2, 2, 2], [3, 4, 5]);
    expect(Number.isFinite(r.statistic)).toBe(true);
    expect(r.pvalue).toBeGreaterThan(0);
  });
});
