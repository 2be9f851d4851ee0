/**
 * PyTorch's default nn.Linear initialisation: kaiming_uniform_(a=√5) for the weight, which is
 * U(−1/√fan_in, 1/√fan_in), and the same bound for the bias.
 */
import type { MlpParams, LayerSizes } from '../../engine/compute/mlp.ts';
import type { RandomSource } from '../../engine/random.ts';

/** weights[l] out×in (PyTorch layout); drawn layer by layer, weight before bias */
export function torchDefaultInit(layers: LayerSizes, random: RandomSource): MlpParams {
  const weights: Float32Array[] = [];
  const biases: Float32Array[] = [];
  for (let l = 0; l + 1 < layers.length; l++) {
    const fanIn = layers[l]!, out = layers[l + 1]!;
    const bound = 1 / Math.sqrt(fanIn);
    weights.push(random.fillUniform(new Float32Array(out * fanIn), -bound, bound));
    biases.push(random.fillUniform(new Float32Array(out), -bound, bound));
  }
  return { weights, biases };
}
