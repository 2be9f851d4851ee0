/**
 * The two-moon networks: 2 → hidden… → 1 ReLU with PyTorch-default initialisation, and the
 * authors' seeding, where the networks of one seed are built one after another from one stream
 * (so run (b)'s network is the second draw of its seed's stream, not a copy of (a)'s).
 */
import { torchDefaultLayers } from '../../compute/trainer-init.ts';
import { randomSourceFromSeed, type RandomSource } from '../../engine/random.ts';
import type { LayerParams, NetworkSpec, Precision } from '../../engine/compute/trainer.ts';

export interface MoonNetworkOptions {
  readonly hidden: readonly number[];
  readonly dropout: number;
  readonly batchNorm: boolean;
  readonly precision: Precision;
}

export function moonNetworkSpec(o: MoonNetworkOptions): NetworkSpec {
  return {
    inputs: 2,
    precision: o.precision,
    layers: [
      ...o.hidden.map((units) => ({ units, activation: 'relu' as const, dropout: o.dropout, batchNorm: o.batchNorm })),
      { units: 1, activation: 'identity' as const },
    ],
  };
}

/** the seed's stream: data first (forked), then networks in order */
export function seedStream(seed: number): RandomSource {
  return randomSourceFromSeed(`starvation/two-moon:seed=${seed}`);
}

/** the `index`-th network drawn from the seed's initialisation stream (0-based) */
export function nthNetwork(spec: NetworkSpec, seed: number, index: number): LayerParams[] {
  const stream = seedStream(seed).fork('networks');
  let init = torchDefaultLayers(spec, stream);
  for (let k = 0; k < index; k++) init = torchDefaultLayers(spec, stream);
  return init;
}
