import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { alexanderGovern, welchAnova, welchTTest } from '../../nodes/stats/index.ts';

/** 2–6 groups of 2–12 values, each group non-constant (the tests' domain). */
const value = fc.double({ min: -1000, max: 1000, noNaN: true, noDefaultInfinity: true });
const group = fc.array(value, { minLength: 2, maxLength: 12 }).filter((g) => g.some((v) => v !== g[0]) && spread(g) > 1e-6);
const groups = fc.array(group, { minLength: 2, maxLength: 6 });

function spread(g: number[]): number {
  return Math.max(...g) - Math.min(...g);
}

type Stat = (s: number[][]) => { statistic: number; pvalue: number };
const multiGroup: Record<string, Stat> = {
  alexanderGovern: (s) => alexanderGovern(s),
  welchAnova: (s) => welchAnova(s),
};
const twoGroup: Stat = (s) => welchTTest(s[0]!, s[1]!);

function close(a: number, b: number, rel: number, abs = 1e-12): boolean {
  return Math.abs(a - b) <= rel * Math.max(Math.abs(a), Math.abs(b)) + abs;
}

function shuffled<T>(xs: readonly T[], order: readonly number[]): T[] {
  return xs.map((x, i) => ({ x, k: order[i % order.length]! + i / 1e6 })).sort((p, q) => p.k - q.k).map((p) => p.x);
}

describe.each(Object.entries({ ...multiGroup, welchTTestAsGroups: twoGroup }))('%s properties', (name, stat) => {
  const input = name === 'welchTTestAsGroups' ? fc.tuple(group, group).map(([a, b]) => [a, b]) : groups;

  it('p-value lies in [0, 1] and the statistic is ≥ 0 (|t| for Welch t)', () => {
    fc.assert(fc.property(input, (s) => {
      const r = stat(s);
      const st = name === 'welchTTestAsGroups' ? Math.abs(r.statistic) : r.statistic;
      return r.pvalue >= 0 && r.pvalue <= 1 && st >= 0;
    }));
  });

  it('is invariant to the order of values inside each group', () => {
    fc.assert(fc.property(input, fc.array(fc.nat(1000), { minLength: 1, maxLength: 12 }), (s, order) => {
      const r1 = stat(s), r2 = stat(s.map((g) => shuffled(g, order)));
      return close(r1.statistic, r2.statistic, 1e-8) && close(r1.pvalue, r2.pvalue, 1e-8);
    }));
  });

  it('is invariant to adding a constant to every value', () => {
    fc.assert(fc.property(input, fc.double({ min: -100, max: 100, noNaN: true }), (s, c) => {
      const r1 = stat(s), r2 = stat(s.map((g) => g.map((v) => v + c)));
      return close(r1.pvalue, r2.pvalue, 1e-6, 1e-9);
    }));
  });

  it('is invariant to scaling every value by a positive constant', () => {
    fc.assert(fc.property(input, fc.double({ min: 0.01, max: 100, noNaN: true }), (s, c) => {
      const r1 = stat(s), r2 = stat(s.map((g) => g.map((v) => v * c)));
      return close(r1.statistic, r2.statistic, 1e-7) && close(r1.pvalue, r2.pvalue, 1e-7, 1e-12);
    }));
  });

  it('p-value decreases as one group moves away from the others', () => {
    fc.assert(fc.property(input, fc.double({ min: 0.5, max: 50, noNaN: true }), (s, step) => {
      // move group 0 beyond all others so that moving it further only increases the gap
      const others = s.slice(1).flat();
      const base = Math.max(...others) - Math.min(...s[0]!) + 1;
      const at = (d: number) => stat([s[0]!.map((v) => v + base + d), ...s.slice(1)]).pvalue;
      const p1 = at(0), p2 = at(step * spread(s[0]!)), p3 = at(2 * step * spread(s[0]!));
      return p2 <= p1 * (1 + 1e-9) && p3 <= p2 * (1 + 1e-9);
    }));
  });
});

describe.each(Object.entries(multiGroup))('%s is invariant to the order of the groups', (_, stat) => {
  it('gives the same statistic and p-value for any permutation of groups', () => {
    fc.assert(fc.property(groups, fc.array(fc.nat(1000), { minLength: 1, maxLength: 6 }), (s, order) => {
      const r1 = stat(s), r2 = stat(shuffled(s, order));
      return close(r1.statistic, r2.statistic, 1e-9) && close(r1.pvalue, r2.pvalue, 1e-9);
    }));
  });
});

describe('welchTTest swaps sign when its groups swap', () => {
  it('t(a, b) = −t(b, a) with the same two-sided p', () => {
    fc.assert(fc.property(group, group, (a, b) => {
      const r1 = welchTTest(a, b), r2 = welchTTest(b, a);
      return r1.statistic === -r2.statistic && r1.pvalue === r2.pvalue;
    }));
  });
});
