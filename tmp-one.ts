import { randomSourceFromSeed } from './engine/random.ts';
import { drawSyntheticData, syntheticParams } from './nodes/balancing/synthetic.ts';
import { shuffleSampler } from './nodes/balancing/samplers/shuffle.ts';
import { meanLossSpec } from './nodes/balancing/losses/mean.ts';
import { trainRun, preparedSplits } from './nodes/balancing/train/run.ts';
const data = drawSyntheticData(randomSourceFromSeed('d'), syntheticParams.parse({}));
preparedSplits(data);
for (let rep = 0; rep < 3; rep++) {
  const t0 = performance.now(); const c0 = process.cpuUsage();
  trainRun(data, shuffleSampler(data), meanLossSpec, { lr: 1e-5, weightDecay: 0.1, epochs: 500 }, randomSourceFromSeed('r'));
  console.log('500 epochs', ((performance.now() - t0) / 1000).toFixed(2), 's wall', (process.cpuUsage(c0).user / 1e6).toFixed(2), 's cpu');
}
