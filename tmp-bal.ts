import { randomSourceFromSeed } from './engine/random.ts';
import { drawSyntheticData, syntheticParams } from './nodes/balancing/synthetic.ts';
import { shuffleSampler } from './nodes/balancing/samplers/shuffle.ts';
import { subsampleSampler } from './nodes/balancing/samplers/subsample.ts';
import { reweightSampler } from './nodes/balancing/samplers/reweight.ts';
import { meanLossSpec } from './nodes/balancing/losses/mean.ts';
import { trainRun } from './nodes/balancing/train/run.ts';
import { selectEpoch } from './nodes/balancing/train/selection.ts';
const epochs = Number(process.argv[2] ?? 500);
for (const seed of [0, 1]) {
  const data = drawSyntheticData(randomSourceFromSeed('d' + seed), syntheticParams.parse({ seed, gammaNoise: Number(process.argv[3] ?? 20) }));
  for (const [name, s] of [['erm', shuffleSampler(data)], ['subg', subsampleSampler(data, 'group', randomSourceFromSeed('s'))], ['rwg', reweightSampler(data, 'group')]] as const) {
    for (const lr of [1e-6, 1e-5]) for (const wd of [0, 0.1, 1, 10]) {
    const t0 = performance.now();
    const run = trainRun(data, s, meanLossSpec, { lr, weightDecay: wd, epochs, seed }, randomSourceFromSeed('r' + seed));
    const e = selectEpoch(run, 'worst-group-val');
    console.log(seed, name, lr, wd, ((performance.now() - t0) / 1000).toFixed(2) + 's', 'sel', e, 'test wga', Math.min(...run.groupAccuracy.test[e]!).toFixed(3), 'val', Math.min(...run.groupAccuracy.val[e]!).toFixed(3), 'w', run.bestWorstGroup.params.slice(0, 2).map((v, j) => (v * [4, 1][j]!).toFixed(4)).join(','), 'train', Math.min(...run.groupAccuracy.train[e]!).toFixed(3));
    }
  }
}
