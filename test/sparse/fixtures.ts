/** Small seeded problems for the gradient checks and the backend comparisons. */
import type { MlpParams, OutputLoss } from '../../engine/compute/mlp.ts';
import type { L1Form, L1MlpCompute as MlpCompute } from '../../compute/extensions/l1-forms.ts';
import { randomSourceFromSeed } from '../../engine/random.ts';
import type { Params64, Problem } from './reference-mlp.ts';

/**
 * Parameters and data drawn from a seed, re-drawn until every quantity the subgradient is not
 * smooth at (a weight or bias at 0, a pre-activation at 0, two tied column sums) is at least
 * `margin` away, so central differences with a smaller step see a smooth function. Values are
 * rounded to float32 so the same numbers can feed the float32 backends.
 */
export function smoothProblem(seed: string, layers: number[], batch: number, alpha: number, form: L1Form, loss: OutputLoss, margin = 1e-3): { problem: Problem; params: Params64 } {
  const random = randomSourceFromSeed(seed);
  const f32 = (v: number) => Math.fround(v);
  for (let attempt = 0; attempt < 1000; attempt++) {
    const weights = layers.slice(1).map((out, l) => Float64Array.from({ length: out * layers[l]! }, () => f32(random.uniform() * 2 - 1)));
    const biases = layers.slice(1).map((out) => Float64Array.from({ length: out }, () => f32(random.uniform() * 0.4 - 0.2)));
    const x = Float64Array.from({ length: batch * layers[0]! }, () => f32(random.normal()));
    const classes = loss === 'bce-with-logits' ? 2 : layers[layers.length - 1]!;
    const labels = Int32Array.from({ length: batch }, () => random.int(classes));
    const problem: Problem = { layers, x, labels, alpha, form, loss };
    const params = { weights, biases };
    if (isSmooth(problem, params, margin)) return { problem, params };
  }
  throw new Error('no smooth problem found');
}

function isSmooth(p: Problem, params: Params64, margin: number): boolean {
  const all = [...params.weights, ...params.biases];
  if (all.some((t) => t.some((v) => Math.abs(v) < margin))) return false;
  let act = p.x;
  const batch = p.labels.length;
  for (let l = 0; l + 1 < p.layers.length; l++) {
    const inp = p.layers[l]!, out = p.layers[l + 1]!;
    const next = new Float64Array(batch * out);
    for (let b = 0; b < batch; b++) {
      for (let j = 0; j < out; j++) {
        let s = params.biases[l]![j]!;
        for (let i = 0; i < inp; i++) s += params.weights[l]![j * inp + i]! * act[b * inp + i]!;
        if (l + 2 < p.layers.length && Math.abs(s) < margin) return false;
        next[b * out + j] = Math.max(s, 0);
      }
    }
    const sums = Array.from({ length: inp }, (_, i) => {
      let s = 0;
      for (let j = 0; j < out; j++) s += Math.abs(params.weights[l]![j * inp + i]!);
      return s;
    }).sort((a, b) => b - a);
    if (sums.length > 1 && sums[0]! - sums[1]! < margin) return false;
    act = next;
  }
  return true;
}

export function toFloat32(params: Params64): MlpParams {
  return { weights: params.weights.map((w) => Float32Array.from(w)), biases: params.biases.map((b) => Float32Array.from(b)) };
}

export function maxAbsDiff(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let m = 0;
  for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i]! - b[i]!));
  return a.length === b.length ? m : Infinity;
}

/** The MLP backends every comparison runs on: the plain-JS one and the two tfjs flavours. */
export async function mlpBackends(): Promise<MlpCompute[]> {
  const { jsMlp } = await import('../../compute/mlp-js.ts');
  const { load } = await import('../../compute/mlp-tfjs.ts');
  return [jsMlp, await load('cpu'), await load('wasm')];
}

/** The native addon's MLP when it is built here, else undefined. */
export async function nativeMlpIfBuilt(): Promise<MlpCompute | undefined> {
  try {
    return await (await import('../../compute/mlp-native.ts')).load();
  } catch {
    return undefined;
  }
}

/**
 * The native backend when built, else the plain-JS one (the fastest a plain checkout has);
 * FEATUREFLOW_TEST_MLP=js forces the latter.
 */
export async function fastestMlp(): Promise<MlpCompute> {
  const js = (await import('../../compute/mlp-js.ts')).jsMlp;
  if (process.env.FEATUREFLOW_TEST_MLP === 'js') return js;
  return (await nativeMlpIfBuilt()) ?? js;
}
