/**
 * The four test variants of thesis Fig. 3, evaluated on a trained model: the test environment's
 * images drawn afresh (new label and colour flips) as grayscale-digit, colored-digit,
 * grayscale-blank and colored-blank; per variant the accuracy and the mean binary entropy of
 * sigmoid(logit) — how confident the model is when a feature is taken away.
 */
import type { Network } from '../../engine/compute/trainer.ts';
import { testVariant, type Rendering, type SplitSizes } from './colored-mnist-data.ts';
import type { DigitPool } from './colored-mnist-pool.ts';
import { accuracy } from './colored-mnist-training.ts';

export const VARIANTS: readonly { readonly name: string; readonly rendering: Rendering }[] = [
  { name: 'grayscale-digit', rendering: { channels: 'grayscale', blank: false } },
  { name: 'colored-digit', rendering: { channels: 'colored', blank: false } },
  { name: 'grayscale-blank', rendering: { channels: 'grayscale', blank: true } },
  { name: 'colored-blank', rendering: { channels: 'colored', blank: true } },
];

/**
 * H(σ(z)) = −p ln p − (1 − p) ln(1 − p + 1e−8), the authors' form (the 1e−8 only inside the
 * second log); p ln p is taken as 0 at p = 0, its limit.
 */
export function binaryEntropy(logit: number): number {
  const p = logit >= 0 ? 1 / (1 + Math.exp(-logit)) : Math.exp(logit) / (1 + Math.exp(logit));
  const first = p > 0 ? p * Math.log(p) : 0;
  return -first - (1 - p) * Math.log(1 - p + 1e-8);
}

export interface VariantResult {
  readonly variant: string;
  readonly accuracy: number;
  readonly entropy: number;
  readonly rows: number;
}

export function evaluateVariants(network: Network, pool: DigitPool, sizes: SplitSizes, seed: number): VariantResult[] {
  return VARIANTS.map(({ name, rendering }) => {
    const env = testVariant(pool, sizes, seed, name, rendering);
    const logits = network.logits(env.x);
    let h = 0;
    for (let i = 0; i < logits.length; i++) h += binaryEntropy(logits[i]!);
    return { variant: name, accuracy: accuracy(logits, env.labels), entropy: h / logits.length, rows: env.labels.length };
  });
}
