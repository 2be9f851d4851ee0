/** The activations the study uses: φ and φ′, by name (a name goes into params and metadata). */
export type ActivationName = 'sigmoid' | 'tanh' | 'relu';

export interface Activation {
  readonly name: ActivationName;
  readonly phi: (u: number) => number;
  readonly dphi: (u: number) => number;
  /** smooth activations only: the first-layer analyses need a Taylor expansion */
  readonly smooth: boolean;
}

function sigmoid(u: number): number {
  // split on the sign so exp never overflows
  if (u >= 0) return 1 / (1 + Math.exp(-u));
  const e = Math.exp(u);
  return e / (1 + e);
}

export const ACTIVATIONS: Readonly<Record<ActivationName, Activation>> = {
  sigmoid: { name: 'sigmoid', phi: sigmoid, dphi: (u) => { const s = sigmoid(u); return s * (1 - s); }, smooth: true },
  tanh: { name: 'tanh', phi: Math.tanh, dphi: (u) => { const t = Math.tanh(u); return 1 - t * t; }, smooth: true },
  relu: { name: 'relu', phi: (u) => (u > 0 ? u : 0), dphi: (u) => (u > 0 ? 1 : 0), smooth: false },
};

export function activation(name: ActivationName): Activation {
  const a = ACTIVATIONS[name];
  if (!a) throw new RangeError(`unknown activation "${String(name)}"; choose one of ${Object.keys(ACTIVATIONS).join(', ')}`);
  return a;
}
