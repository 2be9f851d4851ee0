import { randomSourceFromSeed } from './engine/random.ts';
import { drawSyntheticData, syntheticParams } from './nodes/balancing/synthetic.ts';
import { runStudy } from './nodes/balancing/study.ts';
const t0 = performance.now();
const s = runStudy({
  dataFor: (seed) => drawSyntheticData(randomSourceFromSeed('data' + seed), syntheticParams.parse({ seed })),
  seeds: [0, 1, 2, 3, 4], lrs: [1e-6, 1e-5], weightDecays: JSON.parse(process.argv[2] ?? '[0, 0.1, 1, 10]'), jtt: { T: [5], up: [4] }, epochs: 500,
  methods: [{ name: 'ERM', usesAttributes: false }, { name: 'SUBG', usesAttributes: true }, { name: 'RWG', usesAttributes: true }],
});
console.log('seconds', ((performance.now() - t0) / 1000).toFixed(1));
for (const r of s.results) console.log(r.method, JSON.stringify(r.config), (100 * r.mean).toFixed(1), '±', (100 * (r.std ?? NaN)).toFixed(1), r.testWorstGroup.map((x) => x.toFixed(3)).join(' '), 'epochs', r.selectedEpochs.join(','));
for (const m of ['ERM', 'SUBG']) for (const c of s.runs[m]!.filter((c) => c.cell.lr === 1e-5 && c.cell.weightDecay === 0)) { const w = c.value.bestWorstGroup.params; console.log(m, 'seed', c.cell.seed, 'w·γ spu', (w[0]! * 4).toFixed(5), 'core', (w[1]! * 1).toFixed(5)); }
