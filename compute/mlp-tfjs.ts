/**
 * MlpCompute on TensorFlow.js. The backward pass is written out by hand rather than taken from
 * tf.grads: tfjs differentiates |x| as step(x, −1) (so sign(0) = −1) and max() by sending the full
 * gradient to every tied entry, while the studies need sign(0) = 0 and a matrix-norm subgradient
 * on exactly one column. The native packages (tfjs-node, tfjs-node-gpu) are optional: they
 * download libtensorflow at install, so they are imported only when present.
 */
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import type * as TfCore from '@tensorflow/tfjs-core';
import { BackendUnavailable } from '../engine/compute/backend-unavailable.ts';
import { checkBatch, checkLayers } from './mlp-js.ts';
import type { BatchLoss, Evaluation, LayerSizes, MlpParams, OutputLoss } from '../engine/compute/mlp.ts';
import { L1_FORMS_EXTENSION, type L1MlpCompute, type L1MlpTrainer, type L1StepOptions } from './extensions/l1-forms.ts';

export type TfjsFlavor = 'tfjs-node-gpu' | 'tfjs-node' | 'wasm' | 'cpu';

type Tf = typeof TfCore;

class TfjsTrainer implements L1MlpTrainer {
  private readonly weights: TfCore.Variable[];
  private readonly biases: TfCore.Variable[];
  private readonly nLayers: number;

  constructor(
    private readonly tf: Tf,
    private readonly backend: string,
    private readonly layers: LayerSizes,
    init: MlpParams,
    private readonly loss: OutputLoss,
  ) {
    checkLayers(layers, init, loss);
    this.nLayers = layers.length - 1;
    this.weights = init.weights.map((w, l) => tf.variable(tf.tensor2d(w, [layers[l + 1]!, layers[l]!]), false));
    this.biases = init.biases.map((b) => tf.variable(tf.tensor1d(b), false));
  }

  /** tfjs has one active backend per process; tests run two flavours side by side */
  private async activate(): Promise<void> {
    if (this.tf.getBackend() !== this.backend) await this.tf.setBackend(this.backend);
  }

  /** activations[0] = x, activations[l] post-ReLU, last = logits */
  private forward(x: TfCore.Tensor2D): TfCore.Tensor2D[] {
    const tf = this.tf;
    const acts: TfCore.Tensor2D[] = [x];
    for (let l = 0; l < this.nLayers; l++) {
      const z = tf.add(tf.matMul(acts[l]!, this.weights[l]!, false, true), this.biases[l]!) as TfCore.Tensor2D;
      acts.push(l < this.nLayers - 1 ? tf.relu(z) : z);
    }
    return acts;
  }

  /** per-example data loss and the gradient of the batch mean w.r.t. the logits */
  private outputLoss(logits: TfCore.Tensor2D, labels: TfCore.Tensor1D): { perExample: TfCore.Tensor1D; dLogits: TfCore.Tensor2D; correct: TfCore.Scalar } {
    const tf = this.tf;
    const batch = logits.shape[0];
    if (this.loss === 'bce-with-logits') {
      const z = tf.reshape(logits, [batch]) as TfCore.Tensor1D;
      const y = tf.cast(labels, 'float32');
      const perExample = tf.add(tf.sub(tf.relu(z), tf.mul(z, y)), tf.log1p(tf.exp(tf.neg(tf.abs(z))))) as TfCore.Tensor1D;
      const dLogits = tf.reshape(tf.div(tf.sub(tf.sigmoid(z), y), batch), [batch, 1]) as TfCore.Tensor2D;
      const correct = tf.sum(tf.cast(tf.equal(tf.cast(tf.greater(z, 0), 'int32'), labels), 'float32')) as TfCore.Scalar;
      return { perExample, dLogits, correct };
    }
    const classes = logits.shape[1];
    const logp = tf.logSoftmax(logits);
    const oneHot = tf.oneHot(labels, classes);
    const perExample = tf.neg(tf.sum(tf.mul(oneHot, logp), 1)) as TfCore.Tensor1D;
    const dLogits = tf.div(tf.sub(tf.exp(logp), oneHot), batch) as TfCore.Tensor2D;
    const correct = tf.sum(tf.cast(tf.equal(tf.argMax(logits, 1), labels), 'float32')) as TfCore.Scalar;
    return { perExample, dLogits, correct };
  }

  async trainStep(x: Float32Array, labels: Int32Array, options: L1StepOptions): Promise<BatchLoss> {
    const batch = checkBatch(this.layers, x, labels, this.loss);
    await this.activate();
    const tf = this.tf;
    const alpha = options.l1 ?? 0;
    const form = options.l1Form ?? 'notebook';
    const lr = options.lr;
    const summary = tf.tidy(() => {
      const acts = this.forward(tf.tensor2d(x, [batch, this.layers[0]!]));
      const { perExample, dLogits } = this.outputLoss(acts[this.nLayers]!, tf.tensor1d(labels, 'int32'));
      const dataLoss = tf.mean(perExample);
      const newWeights: TfCore.Tensor[] = [];
      const newBiases: TfCore.Tensor[] = [];
      const penalties: TfCore.Scalar[] = [];
      let delta = dLogits;
      for (let l = this.nLayers - 1; l >= 0; l--) {
        const w = this.weights[l]!, b = this.biases[l]!;
        let gw: TfCore.Tensor = tf.matMul(delta, acts[l]!, true, false);
        let gb: TfCore.Tensor = tf.sum(delta, 0);
        if (alpha > 0) {
          const absW = tf.abs(w);
          if (form === 'elementwise') {
            penalties.push(tf.sum(absW));
            gw = tf.add(gw, tf.mul(tf.sign(w), alpha));
          } else {
            // induced 1-norm: the largest column sum; its subgradient lives on that column only
            const columnSums = tf.sum(absW, 0);
            penalties.push(tf.max(columnSums));
            const column = tf.oneHot(tf.reshape(tf.argMax(columnSums), [1]), this.layers[l]!);
            gw = tf.add(gw, tf.mul(tf.mul(tf.sign(w), tf.cast(column, 'float32')), alpha));
          }
          penalties.push(tf.sum(tf.abs(b)));
          gb = tf.add(gb, tf.mul(tf.sign(b), alpha));
        }
        if (l > 0) delta = tf.mul(tf.matMul(delta, w), tf.cast(tf.greater(acts[l]!, 0), 'float32')) as TfCore.Tensor2D;
        newWeights[l] = tf.sub(w, tf.mul(gw, lr));
        newBiases[l] = tf.sub(b, tf.mul(gb, lr));
      }
      for (let l = 0; l < this.nLayers; l++) {
        this.weights[l]!.assign(newWeights[l]!);
        this.biases[l]!.assign(newBiases[l]!);
      }
      const penalty = penalties.length > 0 ? tf.mul(tf.addN(penalties), alpha) : tf.scalar(0);
      return tf.stack([dataLoss, penalty]);
    });
    const [loss, penalty] = await summary.data();
    summary.dispose();
    return { loss: loss!, penalty: penalty! };
  }

  async evaluate(x: Float32Array, labels: Int32Array): Promise<Evaluation> {
    const count = checkBatch(this.layers, x, labels, this.loss);
    await this.activate();
    const tf = this.tf;
    const inp = this.layers[0]!;
    const chunk = 1024;
    let lossSum = 0, correct = 0;
    for (let start = 0; start < count; start += chunk) {
      const n = Math.min(chunk, count - start);
      const part = tf.tidy(() => {
        const acts = this.forward(tf.tensor2d(x.subarray(start * inp, (start + n) * inp), [n, inp]));
        const r = this.outputLoss(acts[this.nLayers]!, tf.tensor1d(labels.subarray(start, start + n), 'int32'));
        return tf.stack([tf.sum(r.perExample), r.correct]);
      });
      const [l, c] = await part.data();
      part.dispose();
      lossSum += l!;
      correct += c!;
    }
    return { loss: lossSum / count, correct, count };
  }

  async getParams(): Promise<MlpParams> {
    await this.activate();
    return {
      weights: await Promise.all(this.weights.map(async (w) => Float32Array.from(await w.data()))),
      biases: await Promise.all(this.biases.map(async (b) => Float32Array.from(await b.data()))),
    };
  }

  dispose(): void {
    for (const v of [...this.weights, ...this.biases]) v.dispose();
  }
}

const PACKAGES: Record<'tfjs-node-gpu' | 'tfjs-node', string> = {
  'tfjs-node-gpu': '@tensorflow/tfjs-node-gpu',
  'tfjs-node': '@tensorflow/tfjs-node',
};

async function importOptional(pkg: string): Promise<unknown> {
  // a variable specifier keeps bundlers and the type checker from requiring the package
  const specifier: string = pkg;
  return import(specifier);
}

async function nativeTf(flavor: 'tfjs-node-gpu' | 'tfjs-node'): Promise<Tf> {
  const pkg = PACKAGES[flavor];
  let mod: unknown;
  try {
    mod = await importOptional(pkg);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    const reason =
      code === 'ERR_MODULE_NOT_FOUND' || code === 'MODULE_NOT_FOUND'
        ? `${pkg} is not installed (optional: it downloads libtensorflow at install)`
        : `${pkg} failed to load: ${(err instanceof Error ? err.message : String(err)).split('\n')[0]}`;
    throw new BackendUnavailable(flavor, reason);
  }
  const tf = ((mod as { default?: unknown }).default ?? mod) as Tf;
  if (!(await tf.setBackend('tensorflow'))) throw new BackendUnavailable(flavor, `${pkg} loaded but its "tensorflow" backend did not initialise`);
  return tf;
}

async function coreTf(flavor: 'wasm' | 'cpu'): Promise<Tf> {
  const tf = (await import('@tensorflow/tfjs-core')) as Tf;
  tf.enableProdMode(); // no debug checks, and no "install tfjs-node" banner from the CPU backend
  if (flavor === 'cpu') {
    await import('@tensorflow/tfjs-backend-cpu');
  } else {
    const wasm = await import('@tensorflow/tfjs-backend-wasm');
    if (!wasmPathsSet) {
      // in Node the .wasm binaries are read from the package folder, not fetched
      const require = createRequire(import.meta.url);
      const dist = join(dirname(require.resolve('@tensorflow/tfjs-backend-wasm/package.json')), 'dist') + '/';
      wasm.setWasmPaths(dist);
      wasmPathsSet = true;
    }
  }
  let ok: boolean;
  try {
    ok = await tf.setBackend(flavor);
  } catch (err) {
    throw new BackendUnavailable(flavor, `tfjs ${flavor} backend failed to initialise: ${err instanceof Error ? err.message : String(err)}`);
  }
  if (!ok) throw new BackendUnavailable(flavor, `tfjs ${flavor} backend failed to initialise`);
  return tf;
}

let wasmPathsSet = false;

/** What the wasm backend runs with here (SIMD; tfjs disables threads under Node). */
export async function wasmFeatures(): Promise<{ simd: boolean; threads: boolean }> {
  const tf = (await import('@tensorflow/tfjs-core')) as Tf;
  await import('@tensorflow/tfjs-backend-wasm');
  return {
    simd: Boolean(await tf.env().getAsync('WASM_HAS_SIMD_SUPPORT')),
    threads: Boolean(await tf.env().getAsync('WASM_HAS_MULTITHREAD_SUPPORT')),
  };
}

export async function load(flavor: TfjsFlavor): Promise<L1MlpCompute> {
  const tf = flavor === 'tfjs-node-gpu' || flavor === 'tfjs-node' ? await nativeTf(flavor) : await coreTf(flavor);
  const backend = tf.getBackend();
  return {
    name: flavor,
    extensions: [L1_FORMS_EXTENSION],
    createTrainer: async (layers, init, loss) => {
      if (tf.getBackend() !== backend) await tf.setBackend(backend);
      return new TfjsTrainer(tf, backend, layers, init, loss);
    },
  };
}
