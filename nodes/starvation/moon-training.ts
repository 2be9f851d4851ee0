/**
 * One two-moon training run on the general trainer: build the seed's data and its n-th network,
 * then full-batch steps, with an optional hook that sees each step's logits (taken before the
 * update, as the feature-dynamics panel needs).
 */
import type { Network, TrainerCompute } from '../../engine/compute/trainer.ts';
import { moonNetworkSpec, nthNetwork, seedStream } from './moon-network.ts';
import { moonObjective, moonOptimizer, type MoonRunParams } from './moon-params.ts';
import { twoMoons, type TwoMoons } from './two-moons.ts';

export interface MoonRunHooks {
  readonly signal?: AbortSignal;
  progress?(fraction: number, message: string): void;
  /** called with each step's train-mode logits (before its update) */
  onStep?(step: number, logits: ArrayLike<number>): void;
  /** called once with the network before the first step */
  onStart?(network: Network, data: TwoMoons): void;
}

export function moonData(p: MoonRunParams): TwoMoons {
  return twoMoons({ perMoon: p.perMoon, noise: p.noise, margin: p.margin, rotation: (p.rotationDegrees * Math.PI) / 180 }, seedStream(p.seed).fork('data'));
}

export async function trainMoonNetwork(trainer: TrainerCompute, p: MoonRunParams, hooks: MoonRunHooks = {}): Promise<{ network: Network; data: TwoMoons; finalLoss: number }> {
  const data = moonData(p);
  const spec = moonNetworkSpec({ hidden: Array(p.hiddenLayers).fill(p.width), dropout: p.dropout, batchNorm: p.batchNorm, precision: p.precision });
  const network = trainer.createNetwork({
    spec,
    init: nthNetwork(spec, p.seed, p.networkIndex),
    optimizer: moonOptimizer(p),
    random: seedStream(p.seed).fork('dropout'),
  });
  const Arr = p.precision === 'float32' ? Float32Array : Float64Array;
  const batch = { x: Arr.from(data.x), targets: Arr.from(data.y) };
  const objective = moonObjective(p);
  hooks.onStart?.(network, data);
  let finalLoss = NaN;
  const every = Math.max(1, Math.floor(p.steps / 50));
  for (let s = 0; s < p.steps; s += every) {
    // let a cancellation reach the signal: the steps never yield by themselves
    await new Promise<void>((resolve) => setImmediate(resolve));
    hooks.signal?.throwIfAborted();
    hooks.progress?.(s / p.steps, `step ${s}/${p.steps}`);
    const chunk = Math.min(every, p.steps - s);
    if (hooks.onStep) {
      for (let k = 0; k < chunk; k++) {
        const r = network.step(batch, objective);
        hooks.onStep(s + k, r.logits);
        finalLoss = r.loss + r.penalty;
      }
    } else {
      // no per-step hook: one call for the chunk (a single fused native call)
      const r = network.steps(batch, objective, chunk);
      finalLoss = r.loss + r.penalty;
    }
  }
  return { network, data, finalLoss };
}
