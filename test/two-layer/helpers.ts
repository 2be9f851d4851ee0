import { selectLinalg } from '../../engine/compute/backends.ts';
import type { Linalg } from '../../engine/compute/linalg.ts';
import { randomSourceFromSeed, type RandomSource } from '../../engine/random.ts';
import { meanSem, type MeanSem } from '../../nodes/two-layer/draws.ts';

/** the backend a run would pick: native when built, ml-matrix otherwise */
export async function linalg(): Promise<Linalg> {
  return (await selectLinalg(process.env.TWO_LAYER_TEST_LINALG ? [process.env.TWO_LAYER_TEST_LINALG] : [])).impl;
}

export const rng = (seed: string): RandomSource => randomSourceFromSeed(`test/two-layer:${seed}`);

/** mean ± standard error of `pick` over `draws` independent draws */
export function overDraws<T>(draws: number, seed: string, run: (random: RandomSource) => T, pick: (t: T) => number): MeanSem {
  const base = rng(seed);
  return meanSem(Array.from({ length: draws }, (_, k) => pick(run(base.fork(`draw-${k}`)))));
}
