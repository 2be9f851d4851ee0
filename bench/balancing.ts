/**
 * One training run of the thesis' synthetic example (ERM, 500 epochs, 1000 examples × 1202
 * features, batch 250, SGD momentum 0.9, per-epoch per-group accuracy on all three splits)
 * against the same run in PyTorch on CPU, one thread, in the same bench run (Debian's
 * /usr/bin/python3, bench/peers/balancing_torch.py; its timer covers the training loop only,
 * as ours does). Goal: ≤ 1× torch's time. Runnable alone: `npx tsx bench/balancing.ts`.
 */
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { randomSourceFromSeed } from '../engine/random.ts';
import { drawSyntheticData, syntheticParams } from '../nodes/balancing/synthetic.ts';
import { shuffleSampler } from '../nodes/balancing/samplers/shuffle.ts';
import { meanLossSpec } from '../nodes/balancing/losses/mean.ts';
import { preparedSplits, trainRun } from '../nodes/balancing/train/run.ts';
import { trainerErmSeconds } from './balancing-trainer.ts';

const PYTHON = '/usr/bin/python3';
const PEER = fileURLToPath(new URL('./peers/balancing_torch.py', import.meta.url));

export interface BalancingBenchRow {
  readonly name: string;
  readonly ours_s: number;
  readonly peer_s: number | null;
  readonly ratio: number | null;
  readonly peer: string;
}

export async function benchBalancing(options: { epochs?: number; reps?: number } = {}): Promise<BalancingBenchRow[]> {
  const epochs = options.epochs ?? 500, reps = options.reps ?? 2;
  const data = drawSyntheticData(randomSourceFromSeed('bench/balancing'), syntheticParams.parse({}));
  preparedSplits(data); // γ·x once per dataset, as in the study (torch's peer also scales before timing)
  let ours = Infinity;
  for (let r = 0; r < reps; r++) {
    const t0 = process.hrtime.bigint();
    trainRun(data, shuffleSampler(data), meanLossSpec, { lr: 1e-5, weightDecay: 0.1, epochs }, randomSourceFromSeed(`bench/balancing/${r}`));
    ours = Math.min(ours, Number(process.hrtime.bigint() - t0) / 1e9);
  }
  let peer: number | null = null, peerName = 'torch (unavailable)';
  for (let r = 0; r < reps; r++) {
    const p = spawnSync(PYTHON, [PEER, String(epochs), '1000', '1200'], { encoding: 'utf8' });
    if (p.status !== 0) {
      console.error(`balancing bench: torch peer failed: ${p.stderr || p.error}`);
      break;
    }
    const out = JSON.parse(p.stdout) as { seconds: number; torch: string; threads: number };
    peer = Math.min(peer ?? Infinity, out.seconds);
    peerName = `torch ${out.torch} CPU, ${out.threads} thread`;
  }
  const rows: BalancingBenchRow[] = [{ name: `synthetic example, one ERM run: ${epochs} epochs, 1000 × 1202`, ours_s: ours, peer_s: peer, ratio: peer ? ours / peer : null, peer: peerName }];
  // the same run on the general trainer's native path (issue 14: move the study there only if faster)
  let onTrainer = Infinity;
  for (let r = 0; r < reps; r++) onTrainer = Math.min(onTrainer, trainerErmSeconds(data, epochs, `bench/balancing/${r}`)?.seconds ?? Infinity);
  if (Number.isFinite(onTrainer)) rows.push({ name: `the same run on the general trainer (native, float32)`, ours_s: onTrainer, peer_s: peer, ratio: peer ? onTrainer / peer : null, peer: peerName });
  return rows;
}

export default benchBalancing;

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  for (const row of await benchBalancing()) {
    console.log(`${row.name}: ours ${row.ours_s.toFixed(3)} s, ${row.peer} ${row.peer_s?.toFixed(3) ?? '-'} s, ratio ${row.ratio?.toFixed(2) ?? '-'}`);
  }
}
