/** Types of the featureflow-native addon as the loader exposes it. */

export interface NativeMat {
  readonly rows: number;
  readonly cols: number;
  readonly data: Float64Array;
}
export interface NativeMatF32 {
  readonly rows: number;
  readonly cols: number;
  readonly data: Float32Array;
}
export interface NativeEigen {
  readonly values: Float64Array;
  readonly vectors: NativeMat;
}
export interface NativeSvd {
  readonly U: NativeMat;
  readonly s: Float64Array;
  readonly V: NativeMat;
}
export interface NativeQr {
  readonly Q: NativeMat;
  readonly R: NativeMat;
}

/** an opaque handle to a natively held MLP */
export type MlpHandle = { readonly __brand: 'featureflow-native MLP handle' };
/** an opaque handle to a natively held network of the general trainer */
export type NetHandle = { readonly __brand: 'featureflow-native network handle' };
export type NativeLoss = 'softmax-cross-entropy' | 'bce-with-logits';
export type NativeL1Form = 'notebook' | 'elementwise';

export interface NativeAddon {
  eighSym(a: NativeMat): NativeEigen;
  svd(a: NativeMat, thin?: boolean): NativeSvd;
  solve(a: NativeMat, b: NativeMat): NativeMat;
  lstsq(a: NativeMat, b: NativeMat): NativeMat;
  pinv(a: NativeMat): NativeMat;
  qr(a: NativeMat): NativeQr;
  gemm(a: NativeMat, b: NativeMat, transA?: boolean, transB?: boolean): NativeMat;
  sgemm(a: NativeMatF32, b: NativeMatF32, transA?: boolean, transB?: boolean): NativeMatF32;
  eighSymAsync(a: NativeMat): Promise<NativeEigen>;
  svdAsync(a: NativeMat, thin?: boolean): Promise<NativeSvd>;
  solveAsync(a: NativeMat, b: NativeMat): Promise<NativeMat>;
  lstsqAsync(a: NativeMat, b: NativeMat): Promise<NativeMat>;
  pinvAsync(a: NativeMat): Promise<NativeMat>;
  qrAsync(a: NativeMat): Promise<NativeQr>;
  gemmAsync(a: NativeMat, b: NativeMat, transA?: boolean, transB?: boolean): Promise<NativeMat>;
  sgemmAsync(a: NativeMatF32, b: NativeMatF32, transA?: boolean, transB?: boolean): Promise<NativeMatF32>;

  /** steps of w ← w − η(k_i A w − b + λ w) + ξ_i, in place (k_i = scales[i] or 1; ξ_i = noise[i·d …] or 0) */
  quadraticGdSteps(a: NativeMat, b: Float64Array, w: Float64Array, eta: number, lambda: number, steps: number, scales?: Float64Array | null, noise?: Float64Array | null): void;

  /** steps of full-batch GD on the first layer W (d×h) of f = Σ a_i φ(w_iᵀx), in place; returns ½n⁻¹‖φ(XW)a − y‖² before the last step */
  firstLayerGdSteps(x: NativeMat, y: Float64Array, a: Float64Array, w: NativeMat, eta: number, steps: number, activation: 'sigmoid' | 'tanh' | 'identity'): number;

  mlpCreate(sizes: Int32Array, weights: Float32Array[], biases: Float32Array[], loss: NativeLoss): MlpHandle;
  mlpStep(h: MlpHandle, x: Float32Array, labels: Int32Array, lr: number, l1: number, l1Form: NativeL1Form): { loss: number; penalty: number };
  mlpEvaluate(h: MlpHandle, x: Float32Array, labels: Int32Array): { loss: number; correct: number; count: number };
  mlpGetParams(h: MlpHandle): { weights: Float32Array[]; biases: Float32Array[] };
  mlpSetData(h: MlpHandle, x: Float32Array, labels: Int32Array): void;
  mlpEpoch(h: MlpHandle, order: Int32Array, batch: number, lr: number, l1: number, l1Form: NativeL1Form, async: false): Float64Array;
  mlpEpoch(h: MlpHandle, order: Int32Array, batch: number, lr: number, l1: number, l1Form: NativeL1Form, async: true): Promise<Float64Array>;
  mlpDispose(h: MlpHandle): void;

  /** the most one native call may allocate, in bytes (default min(4 GiB, half the memory)); 0 restores the default */
  setMemoryCeiling(bytes: number): void;
  getMemoryCeiling(): number;
  /** the general trainer's network (net.c, net_layers.c); optimizer: [kind 0 sgd | 1 adam, lr, momentum, weightDecay, beta1, beta2, eps]; batchNorm: 0/1 per layer; dropout: drop probability per layer */
  netCreate(sizes: Int32Array, activations: Int32Array, hasBias: Int32Array, frozen: Int32Array, params: Float32Array, optimizer: Float64Array, batchNorm?: Int32Array | null, dropout?: Float64Array | null): NetHandle;
  /**
   * `steps` full-batch steps; loss 0 bce {0,1}, 1 bce ±1, 2 softmax-ce, 3 mse; the last step's pre-update logits into `logits` when given;
   * maskSeeds: with dropout (required then), one uniform in [0, 1) per step that reseeds the mask stream (compute/mask-stream.ts)
   */
  netSteps(h: NetHandle, x: Float32Array, targets: Float32Array, loss: number, logitPenalty: number, scale: number, steps: number, logits: Float32Array | null, maskSeeds?: Float64Array | null): { loss: number; penalty: number };
  /** per batch-norm layer in order: its running means, then its running variances */
  netRunningStats(h: NetHandle): Float64Array;
  /** eval-mode logits of the rows of x into `out` (rows × outputs); dense networks (no batch-norm, no dropout) */
  netLogits(h: NetHandle, x: Float32Array, out: Float32Array): void;
  netGetParams(h: NetHandle): Float32Array;
  netSetParams(h: NetHandle, params: Float32Array): void;
  netDispose(h: NetHandle): void;

  setThreads(n: number): void;
  getThreads(): number;
}

export type NativeLoad = { readonly ok: true; readonly addon: NativeAddon } | { readonly ok: false; readonly reason: string };

export declare function loadNative(): NativeLoad;
export declare const addonPath: string;
export declare class NativeError extends Error {}
export declare class NativeInputError extends NativeError {}
export declare class NativeLapackError extends NativeError {}
export declare class NativeStateError extends NativeError {}
export declare class NativeMemoryError extends NativeError {}
