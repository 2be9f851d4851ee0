/**
 * Initial parameters for the general trainer, drawn from a seeded source layer by layer (weight
 * before bias), so a network's numbers depend only on the stream it is given.
 */
import type { RandomSource } from '../engine/random.ts';
import type { LayerParams, NetworkSpec } from '../engine/compute/trainer.ts';

/** PyTorch's nn.Linear default: W and b ~ U(±1/√fan_in). */
export function torchDefaultLayers(spec: NetworkSpec, random: RandomSource): LayerParams[] {
  let fanIn = spec.inputs;
  return spec.layers.map((l) => {
    const bound = 1 / Math.sqrt(fanIn);
    const weight = random.fillUniform(new Float64Array(l.units * fanIn), -bound, bound);
    const bias = l.bias === false ? undefined : random.fillUniform(new Float64Array(l.units), -bound, bound);
    fanIn = l.units;
    return bias ? { weight, bias } : { weight };
  });
}

/** Xavier (Glorot) uniform weights, U(±√(6/(fan_in + fan_out))), zero biases. */
export function xavierUniformLayers(spec: NetworkSpec, random: RandomSource): LayerParams[] {
  let fanIn = spec.inputs;
  return spec.layers.map((l) => {
    const bound = Math.sqrt(6 / (fanIn + l.units));
    const weight = random.fillUniform(new Float64Array(l.units * fanIn), -bound, bound);
    fanIn = l.units;
    return l.bias === false ? { weight } : { weight, bias: new Float64Array(l.units) };
  });
}
