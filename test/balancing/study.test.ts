/**
 * The whole chapter-8 study at the pipeline's default (CI) size: 7 methods × lr {1e-6, 1e-5} ×
 * weight decay {0} × 5 seeds, 50 epochs, JTT T = 2, up = 4; then the table and both figures.
 */
import { describe, expect, it } from 'vitest';
import { randomSourceFromSeed } from '../../engine/random.ts';
import { tableMetadata } from '../../engine/table.ts';
import { drawSyntheticData, runStudy, syntheticParams } from '../../nodes/balancing/index.ts';
import { worstGroupCurves } from '../../nodes/balancing/curves.ts';
import { decisionMapTable } from '../../nodes/balancing/decision-map.ts';
import { renderFigure } from '../../nodes/plots/index.ts';

const dataFor = (seed: number) => drawSyntheticData(randomSourceFromSeed(`data-balancing/${seed}`), syntheticParams.parse({ seed }));
const seeds = [0, 1, 2, 3, 4];
const dataBySeed = new Map(seeds.map((s) => [String(s), dataFor(s)]));

describe('data-balancing study at CI size', () => {
  const study = runStudy({ dataFor: (s) => dataBySeed.get(String(s))!, seeds, lrs: [1e-6, 1e-5], weightDecays: [0], jtt: { T: [2], up: [4] }, epochs: 50 });

  it('reports every method: mean ± std over 5 seeds as percentages, never NaN', () => {
    const t = study.table;
    expect(t.getChild('method')!.toArray()).toEqual(['ERM', 'JTT', 'RWY', 'SUBY', 'RWG', 'SUBG', 'gDRO']);
    for (let i = 0; i < t.numRows; i++) {
      expect(t.getChild('seeds')!.get(i)).toBe(5);
      const mean = t.getChild('test_worst_group_mean')!.get(i) as number, std = t.getChild('test_worst_group_std')!.get(i) as number;
      expect(mean).toBeGreaterThanOrEqual(0);
      expect(mean).toBeLessThanOrEqual(100);
      expect(std).toBeGreaterThanOrEqual(0);
    }
    expect((tableMetadata(t) as { epochs: number }).epochs).toBe(50);
  });

  it('tests each block with Alexander–Govern or says why it cannot', () => {
    for (const block of [study.blocks.withoutAttributes, study.blocks.withAttributes]) {
      if (block.testable) {
        expect(block.pvalue).toBeGreaterThanOrEqual(0);
        expect(block.pvalue).toBeLessThanOrEqual(1);
      } else {
        expect(block.reason.length).toBeGreaterThan(10);
      }
    }
    expect(study.blocks.withAttributes.methods).toEqual(['RWG', 'SUBG', 'gDRO']);
    expect(study.blocks.withoutAttributes.methods).toEqual(['ERM', 'JTT', 'RWY', 'SUBY']);
    const t = study.table;
    for (let i = 0; i < t.numRows; i++) {
      const testable = t.getChild('block_test')!.get(i) === 'alexander-govern';
      expect(t.getChild('block_pvalue')!.get(i) === null).toBe(!testable);
      expect(t.getChild('block_untestable_reason')!.get(i) === null).toBe(testable);
    }
  });

  it('group balancing by subsampling beats ERM on test worst-group accuracy', () => {
    const mean = (m: string) => study.results.find((r) => r.method === m)!.mean;
    expect(mean('SUBG')).toBeGreaterThan(mean('ERM'));
  });

  it('draws Fig. 2 (worst-group accuracy against epoch per split) and Fig. 1 (decision map)', async () => {
    const curves = worstGroupCurves([{ name: 'ERM', usesAttributes: false }, { name: 'SUBG', usesAttributes: true }], study.runs, 'worst-group-val');
    expect(curves.numRows).toBe(2 * 3 * 50);
    const fig = await renderFigure({ table: curves, spec: { mark: 'line', encoding: { x: { field: 'epoch', type: 'quantitative' }, y: { field: 'worst_group_accuracy', type: 'quantitative' }, color: { field: 'method' }, column: { field: 'split' } } } });
    expect(fig.svg).toContain('<svg');
    const map = decisionMapTable([{ name: 'SUBG', usesAttributes: true }], study.runs, dataBySeed, 9);
    expect(map.numRows).toBe(81);
    const p = map.getChild('p_positive')!.toArray() as Float64Array;
    expect(Math.min(...p)).toBeGreaterThanOrEqual(0);
    expect(Math.max(...p)).toBeLessThanOrEqual(1);
  });
});
