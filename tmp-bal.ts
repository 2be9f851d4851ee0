import { randomSourceFromSeed } from './engine/random.ts';
import { drawSyntheticData, syntheticParams } from './nodes/balancing/synthetic.ts';
import { runStudy } from './nodes/balancing/study.ts';
const epochs = Number(process.argv[2] ?? 100);
const t0 = performance.now();
let count = 0;
const s = runStudy({
  dataFor: (seed) => drawSyntheticData(randomSourceFromSeed('data' + seed), syntheticParams.parse({ seed })),
  seeds: [0, 1, 2, 3, 4], lrs: [1e-6, 1e-5], weightDecays: JSON.parse(process.argv[3] ?? '[0,1]'), jtt: { T: JSON.parse(process.argv[4] ?? '[5]'), up: JSON.parse(process.argv[5] ?? '[4]') }, epochs,
  onRun: () => count++,
});
console.log('runs', count, 'seconds', ((performance.now() - t0) / 1000).toFixed(1));
for (const r of s.results) console.log(r.method, JSON.stringify(r.config), (100 * r.mean).toFixed(1), '±', (100 * (r.std ?? NaN)).toFixed(1), r.testWorstGroup.map((x) => x.toFixed(3)).join(' '), 'epochs', r.selectedEpochs.join(','));
console.log(JSON.stringify(s.blocks));
