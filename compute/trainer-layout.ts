/**
 * Where each layer's tensors sit in the flat parameter vector, shared by every trainer backend
 * so that parameters, gradients and Jacobian columns mean the same thing everywhere.
 */
import type { LayerParams, LayerSpec, NetworkSpec, ParamArray } from '../engine/compute/trainer.ts';

export interface LayerSlots {
  readonly inputs: number;
  readonly units: number;
  readonly weight: number;
  /** −1 when absent */
  readonly bias: number;
  readonly gamma: number;
  readonly beta: number;
  /** one past the layer's last parameter */
  readonly end: number;
}

export interface ParameterLayout {
  readonly layers: readonly LayerSlots[];
  readonly count: number;
  /** 1 where the parameter trains, 0 where its layer is frozen */
  readonly trainable: Uint8Array;
  /** 1 for weight-matrix entries (the notebook L1 form treats them apart from vectors) */
  readonly isWeight: Uint8Array;
}

export function checkNetworkSpec(spec: NetworkSpec): void {
  if (!Number.isInteger(spec.inputs) || spec.inputs < 1) throw new RangeError(`network inputs must be a positive integer, got ${spec.inputs}`);
  if (spec.layers.length === 0) throw new RangeError('network needs at least one layer');
  spec.layers.forEach((l, i) => checkLayer(l, i));
}

function checkLayer(l: LayerSpec, i: number): void {
  if (!Number.isInteger(l.units) || l.units < 1) throw new RangeError(`layer ${i}: units must be a positive integer, got ${l.units}`);
  const p = l.dropout ?? 0;
  if (!(p >= 0 && p < 1)) throw new RangeError(`layer ${i}: dropout must be in [0, 1), got ${p}`);
}

export function parameterLayout(spec: NetworkSpec): ParameterLayout {
  checkNetworkSpec(spec);
  const layers: LayerSlots[] = [];
  let at = 0;
  let inputs = spec.inputs;
  for (const l of spec.layers) {
    const weight = at;
    at += l.units * inputs;
    const bias = l.bias === false ? -1 : at;
    if (bias >= 0) at += l.units;
    const gamma = l.batchNorm ? at : -1;
    const beta = l.batchNorm ? at + l.units : -1;
    if (l.batchNorm) at += 2 * l.units;
    layers.push({ inputs, units: l.units, weight, bias, gamma, beta, end: at });
    inputs = l.units;
  }
  const trainable = new Uint8Array(at);
  const isWeight = new Uint8Array(at);
  spec.layers.forEach((l, i) => {
    const s = layers[i]!;
    if (!l.frozen) trainable.fill(1, s.weight, s.end);
    isWeight.fill(1, s.weight, s.weight + s.units * s.inputs);
  });
  return { layers, count: at, trainable, isWeight };
}

/** Copies per-layer tensors into a flat vector, checking every size. */
export function packParameters<T extends ParamArray>(spec: NetworkSpec, layout: ParameterLayout, init: readonly LayerParams[], out: T): T {
  if (init.length !== spec.layers.length) throw new RangeError(`network init has ${init.length} layers, spec has ${spec.layers.length}`);
  init.forEach((p, i) => {
    const s = layout.layers[i]!;
    put(out, s.weight, p.weight, s.units * s.inputs, `layer ${i} weight`);
    if (s.bias >= 0) put(out, s.bias, p.bias, s.units, `layer ${i} bias`);
    else if (p.bias) throw new RangeError(`layer ${i} has no bias but init gives one`);
    if (s.gamma >= 0) {
      // PyTorch's BatchNorm1d starts at γ = 1, β = 0 unless told otherwise
      put(out, s.gamma, p.gamma ?? new Float64Array(s.units).fill(1), s.units, `layer ${i} gamma`);
      put(out, s.beta, p.beta ?? new Float64Array(s.units), s.units, `layer ${i} beta`);
    }
  });
  return out;
}

function put(out: ParamArray, at: number, src: ArrayLike<number> | undefined, n: number, what: string): void {
  if (!src || src.length !== n) throw new RangeError(`${what}: expected ${n} values, got ${src ? src.length : 'none'}`);
  for (let k = 0; k < n; k++) out[at + k] = src[k]!;
}

