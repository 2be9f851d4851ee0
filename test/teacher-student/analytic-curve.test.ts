import { describe, it, expect } from 'vitest';
import fc from 'fast-check';
import { bipartiteAnalyticCurve, logSpace } from '../../nodes/teacher-student/compute.ts';
import { localExtrema } from './helpers.ts';

const reference = { n: 130, d: 100, p: 70, kappa: 100, sigma: 0, lambda: 0 };

describe('bipartite analytic curve (eqs. 4.2.11–4.2.16)', () => {
  it('reproduces the digest reference values to 1e-5 relative', () => {
    const c = bipartiteAnalyticCurve({ ...reference, ts: [1, 10, 100, 1e3, 1e4, 1e5] });
    const close = (a: number, b: number) => expect(Math.abs(a - b) / Math.abs(b)).toBeLessThan(1e-5);
    close(c.R[0]!, 0.155717);
    close(c.Q[0]!, 0.0544308);
    [0.371498, 0.247668, 0.287303, 0.300585, 0.195239, 0.0323088].forEach((v, i) => close(c.EG[i]!, v));
    expect(c.warnings).toEqual([]);
  });

  it('κ = 1 descends monotonically; κ = 50 descends, ascends and descends again', () => {
    const ts = logSpace(-3, 6, 200);
    const flat = bipartiteAnalyticCurve({ n: 150, d: 100, p: 60, kappa: 1, sigma: 0, lambda: 0, ts });
    for (let i = 1; i < ts.length; i++) expect(flat.EG[i]!).toBeLessThanOrEqual(flat.EG[i - 1]! + 1e-12);
    const dd = bipartiteAnalyticCurve({ n: 150, d: 100, p: 60, kappa: 50, sigma: 0, lambda: 0, ts });
    const { minima, maxima } = localExtrema(dd.EG);
    expect(minima.length).toBeGreaterThanOrEqual(1);
    expect(maxima.length).toBeGreaterThanOrEqual(1);
    const iMin = minima[0]!, iMax = maxima.find((i) => i > iMin)!;
    expect(iMax).toBeGreaterThan(iMin);
    expect(dd.EG[iMax]! - dd.EG[iMin]!).toBeGreaterThan(0.01);
    expect(dd.EG[ts.length - 1]!).toBeLessThan(dd.EG[iMin]!);
  });

  it('κ = 1e5 (p = 60) ends on a plateau within 0.02 of 1/3', () => {
    const c = bipartiteAnalyticCurve({ n: 150, d: 100, p: 60, kappa: 1e5, sigma: 0, lambda: 0, ts: logSpace(3, 6, 10) });
    for (const eg of c.EG) expect(Math.abs(eg - 1 / 3)).toBeLessThan(0.02);
  });

  it('a large λ removes the second descent (acts as early stopping)', () => {
    const ts = logSpace(0, 8, 200);
    const small = bipartiteAnalyticCurve({ n: 120, d: 100, p: 80, kappa: 40, sigma: 0.2, lambda: 1e-8, ts });
    const large = bipartiteAnalyticCurve({ n: 120, d: 100, p: 80, kappa: 40, sigma: 0.2, lambda: 10 ** -1.1, ts });
    expect(localExtrema(small.EG).maxima.length).toBeGreaterThanOrEqual(1);
    expect(small.EG[ts.length - 1]!).toBeLessThan(Math.min(...Array.from(small.EG).slice(0, 100)));
    // with large λ the curve never comes back down once it has risen: no local minimum after a maximum
    const { minima, maxima } = localExtrema(large.EG);
    const second = minima.filter((i) => maxima.some((j) => j < i));
    expect(second).toEqual([]);
  });

  it('fast-only and slow-only variants freeze the other block', () => {
    const ts = logSpace(-3, 8, 300);
    const fast = bipartiteAnalyticCurve({ ...reference, ts, variant: 'fast-only' });
    const slow = bipartiteAnalyticCurve({ ...reference, ts, variant: 'slow-only' });
    const both = bipartiteAnalyticCurve({ ...reference, ts });
    expect(fast.EG[0]).toBeCloseTo(both.EG[0]!, 12);
    expect(slow.EG[299]).toBeCloseTo(both.EG[299]!, 12);
    // fast-only learns nothing of the slow block: it plateaus above the full curve at late times
    expect(fast.EG[299]!).toBeGreaterThan(both.EG[299]! + 0.05);
  });

  it('property: every point is finite with E_G ≥ 0, or NaN with a warning naming the regime', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 2, max: 400 }).chain((d) =>
          fc.record({
            d: fc.constant(d),
            p: fc.integer({ min: 1, max: d - 1 }),
            n: fc.integer({ min: 1, max: 1000 }),
            kappa: fc.double({ min: 1, max: 1e6, noNaN: true }),
            sigma: fc.double({ min: 0, max: 3, noNaN: true }),
            lambda: fc.oneof(fc.constant(0), fc.double({ min: 1e-10, max: 10, noNaN: true })),
          }),
        ),
        (o) => {
          const c = bipartiteAnalyticCurve({ ...o, ts: logSpace(-3, 8, 40) });
          let invalid = 0;
          for (let i = 0; i < c.t.length; i++) {
            if (Number.isNaN(c.EG[i]!)) {
              invalid++;
              expect(c.invalid[i]).toBe(1);
            } else {
              expect(Number.isFinite(c.EG[i]!)).toBe(true);
              expect(c.EG[i]!).toBeGreaterThanOrEqual(0);
              expect(c.invalid[i]).toBe(0);
            }
          }
          if (invalid > 0) {
            expect(c.warnings.length).toBeGreaterThan(0);
            expect(c.warnings.join('\n')).toContain(`n=${o.n}, d=${o.d}, p=${o.p}`);
          } else expect(c.warnings).toEqual([]);
        },
      ),
      { numRuns: 300 },
    );
  });

  it('marks the pole for n < d with label noise instead of returning an exploding error', () => {
    const c = bipartiteAnalyticCurve({ n: 90, d: 100, p: 50, kappa: 10, sigma: 0.5, lambda: 0, ts: logSpace(-3, 8, 100) });
    expect(c.warnings.some((w) => w.includes('pole'))).toBe(true);
    expect(Array.from(c.EG).some(Number.isNaN)).toBe(true);
  });

  it('rejects bad sizes before computing', () => {
    const ts = [1];
    expect(() => bipartiteAnalyticCurve({ ...reference, p: 0, ts })).toThrow(/p must be/);
    expect(() => bipartiteAnalyticCurve({ ...reference, p: 100, ts })).toThrow(/p must be/);
    expect(() => bipartiteAnalyticCurve({ ...reference, kappa: 0.5, ts })).toThrow(/κ must be/);
    expect(() => bipartiteAnalyticCurve({ ...reference, n: 0, ts })).toThrow(/n must be/);
  });
});
