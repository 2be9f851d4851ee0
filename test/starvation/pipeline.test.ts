/**
 * The study through the engine at its reduced CI size (profile `reduced`: 3 seeds × 2000 steps
 * for a, b, c; one seed per appendix panel; feature dynamics over 2000 steps): every output, the
 * dual toy's expectations, and (c) above (b) in curvature proxy and minimum margin; then a rerun
 * that is all cached.
 */
import { describe, expect, it } from 'vitest';
import type { Table } from 'apache-arrow';
import { Store } from '../../engine/store/store.ts';
import { tableFromBytes } from '../../engine/table.ts';
import { runAll, summaryOf, tempStore } from '../engine/helpers.ts';
import study, { APPENDIX, SEEDS } from '../../pipelines/gradient-starvation.ts';

async function outputTable(store: string, outputs: Readonly<Record<string, Readonly<Record<string, string>>>>, name: string): Promise<Table> {
  const hashes = Object.values(outputs[name] ?? {});
  expect(hashes).toHaveLength(1);
  return tableFromBytes(await (await Store.open(store)).getObject(hashes[0]!));
}

const rowsOf = (t: Table) => t.toArray().map((r) => r.toJSON() as Record<string, number | string>);

describe('pipeline gradient-starvation', () => {
  it('sweeps 10 seeds for a, b, c and ten appendix panels by default', () => {
    expect(study.axes.get('seed')!.values).toEqual([...SEEDS]);
    expect(study.axes.get('run')!.values).toHaveLength(3);
    expect(study.axes.get('panel')!.values).toHaveLength(APPENDIX.panel.length);
  });

  it('runs the reduced profile: the dual toy and (c) against (b) as the thesis says, then reruns from cache', async () => {
    const store = tempStore();
    const options = { store, profile: 'reduced', executor: 'threads' as const, concurrency: 2, fsync: false };
    const first = summaryOf(await runAll(study, options));
    expect(first.failed).toBe(0);
    expect(Object.keys(first.outputs).sort()).toEqual(['appendix', 'appendix-table', 'dual-toy', 'dual-toy-figure', 'feature-dynamics', 'two-moon', 'two-moon-table']);

    const toy = rowsOf(await outputTable(store, first.outputs, 'dual-toy'));
    const of = (d: string) => toy.filter((r) => r.dynamics === d).sort((a, b) => Number(a.s1) - Number(b.s1));
    const [dual, primal, sd] = [of('dual'), of('primal'), of('sd')];
    primal.forEach((p, i) => {
      expect(Math.abs(Number(p.z1) - Number(dual[i]!.z1)) / Math.abs(Number(p.z1))).toBeLessThan(1e-2);
      expect(Math.abs(Number(p.z2) - Number(dual[i]!.z2)) / Math.abs(Number(p.z2))).toBeLessThan(1e-2);
      if (i > 0) expect(Number(p.absZ2)).toBeLessThan(Number(primal[i - 1]!.absZ2)); // starvation
    });
    const range = (rows: typeof sd) => Math.max(...rows.map((r) => Number(r.absZ2))) - Math.min(...rows.map((r) => Number(r.absZ2)));
    expect(range(sd)).toBeLessThan(range(primal) / 10);

    const moons = Object.fromEntries(rowsOf(await outputTable(store, first.outputs, 'two-moon-table')).map((r) => [r.run, r]));
    for (const r of ['a', 'b', 'c']) expect(moons[r]!.trainAccuracy).toBe(1);
    expect(Number(moons.c!.curvatureProxy)).toBeGreaterThan(2 * Number(moons.b!.curvatureProxy));
    expect(Number(moons.c!.minMargin)).toBeGreaterThan(1.5 * Number(moons.b!.minMargin));

    const appendix = rowsOf(await outputTable(store, first.outputs, 'appendix-table'));
    const sdPanel = appendix.find((r) => r.title === 'SD 0.003')!;
    expect(Number(sdPanel.curvatureProxy)).toBeGreaterThan(Number(appendix.find((r) => r.title === 'no regularisation')!.curvatureProxy));

    const again = summaryOf(await runAll(study, options));
    expect(again).toMatchObject({ failed: 0, computed: 0, cached: first.computed + first.cached });
  }, 400_000);
});
