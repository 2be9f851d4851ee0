import { describe, expect, it } from 'vitest';
import { benchRow, formatSeconds, formatTable, toBenchRows } from '../../bench/table.ts';

describe('bench table', () => {
  it('computes the ratio as ours / peer, and none without a peer figure', () => {
    expect(benchRow('g', 'n', 2, 'joblib', 4).ratio).toBe(0.5);
    expect(benchRow('g', 'n', 2, '-', null).ratio).toBeNull();
    expect(benchRow('g', 'n', 2, 'joblib', 0).ratio).toBeNull();
  });

  it('passes BenchRows through unchanged', () => {
    const row = benchRow('engine', 'cold', 1.5, 'joblib', 3, 'note');
    expect(toBenchRows('engine', [row])).toEqual([row]);
  });

  it('reads rows of other shapes: millisecond fields become seconds, the module name is the group', () => {
    const [row] = toBenchRows('stats', [{ case: 'ols 1e5', ours_ms: 250, peer_ms: 500, peer: 'statsmodels', n: 100000 }]);
    expect(row).toMatchObject({ group: 'stats', name: 'ols 1e5', ours_s: 0.25, peer: 'statsmodels', peer_s: 0.5, ratio: 0.5 });
    expect(row!.note).toContain('n=100000');
  });

  it('accepts { rows: [...] } and reports a non-object row instead of throwing', () => {
    expect(toBenchRows('x', { rows: [{ name: 'a', ours: 1 }] })[0]).toMatchObject({ name: 'a', ours_s: 1, peer: '-', ratio: null });
    expect(toBenchRows('x', [42])[0]!.name).toContain('unreadable');
  });

  it('formats seconds in µs, ms or s', () => {
    expect(formatSeconds(0.0000123)).toBe('12.3 µs');
    expect(formatSeconds(0.0123)).toBe('12.3 ms');
    expect(formatSeconds(12.3)).toBe('12.3 s');
    expect(formatSeconds(0.99999)).toBe('1.00 s');
    expect(formatSeconds(0.00099999)).toBe('1.00 ms');
    expect(formatSeconds(null)).toBe('-');
    expect(formatSeconds(Number.NaN)).toBe('-');
  });

  it('prints one aligned line per row under a header', () => {
    const text = formatTable([benchRow('engine', 'cold run', 1, 'joblib', 2), benchRow('engine', 'plan', 0.5, '-', null)]);
    const lines = text.split('\n');
    expect(lines).toHaveLength(4);
    expect(lines[0]).toMatch(/^group\s+benchmark\s+ours/);
    expect(lines[2]).toContain('0.50×');
    expect(lines[3]).toContain('500 ms');
  });
});
