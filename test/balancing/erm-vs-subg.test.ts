/**
 * The thesis' claim on its synthetic example (Fig. 1), at the digest's settings for one point of
 * its grid (500 epochs, lr 1e-5, weight decay 0, γ_noise = 20, batch 250, 5 seeds): ERM latches onto
 * the spurious feature and memorises the minority through the noise, so its test worst-group
 * accuracy is far below SUBG's, which relies on the core feature.
 */
import { describe, expect, it } from 'vitest';
import { randomSourceFromSeed } from '../../engine/random.ts';
import { drawSyntheticData, runStudy, syntheticParams } from '../../nodes/balancing/index.ts';

const study = runStudy({
  dataFor: (seed) => drawSyntheticData(randomSourceFromSeed(`data-balancing/${seed}`), syntheticParams.parse({ seed })),
  seeds: [0, 1, 2, 3, 4],
  lrs: [1e-5],
  weightDecays: [0],
  jtt: { T: [], up: [] },
  epochs: 500,
  methods: [{ name: 'ERM', usesAttributes: false }, { name: 'SUBG', usesAttributes: true }],
});
const result = (m: string) => study.results.find((r) => r.method === m)!;
// effective weights on the raw features: w_j·γ_j (γ_spu = 4, γ_core = 1)
const effective = (params: readonly number[]) => ({ spu: Math.abs(4 * params[0]!), core: Math.abs(params[1]!) });

describe('synthetic example: ERM vs SUBG (500 epochs, 5 seeds)', () => {
  it("ERM's test worst-group accuracy is far below SUBG's", () => {
    const erm = result('ERM'), subg = result('SUBG');
    console.info(`test worst-group accuracy over 5 seeds: ERM ${(100 * erm.mean).toFixed(1)} ± ${(100 * erm.std!).toFixed(1)} [${erm.testWorstGroup.map((x) => (100 * x).toFixed(1)).join(', ')}], SUBG ${(100 * subg.mean).toFixed(1)} ± ${(100 * subg.std!).toFixed(1)} [${subg.testWorstGroup.map((x) => (100 * x).toFixed(1)).join(', ')}]`);
    expect(subg.mean).toBeGreaterThanOrEqual(0.95);
    expect(erm.mean).toBeLessThan(subg.mean - 0.5);
  });
  it('SUBG weighs the core feature most; ERM the spurious one', () => {
    for (const cell of study.runs.SUBG!) {
      const w = effective(cell.value.bestWorstGroup.params);
      expect(w.core, `SUBG seed ${cell.cell.seed}`).toBeGreaterThan(2 * w.spu);
    }
    for (const cell of study.runs.ERM!) {
      const w = effective(cell.value.finalParams);
      expect(w.spu, `ERM seed ${cell.cell.seed}`).toBeGreaterThan(5 * w.core);
    }
  });
  it('ERM fits its training set (memorising the minority through the noise) while failing the test minority', () => {
    for (const cell of study.runs.ERM!) {
      const last = cell.value.groupAccuracy.train.length - 1;
      expect(Math.min(...cell.value.groupAccuracy.train[last]!)).toBeGreaterThan(0.99);
      expect(Math.min(...cell.value.groupAccuracy.test[last]!)).toBeLessThan(0.1);
    }
  });
});
