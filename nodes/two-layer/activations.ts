/** The activations the study uses: φ and φ′, by name (a name goes into params and metadata). */
export type ActivationName = 'sigmoid' | 'tanh' | 'relu' | 'identity';

export interface Activation {
  readonly name: ActivationName;
  readonly phi: (u: number) => number;
  readonly dphi: (u: number) => number;
  /**
   * φ and φ′ of every entry at once: the GD loop's hot path, where a sigmoid's one exp serves
   * both (φ′ = φ(1 − φ)) instead of two calls each paying for it
   */
  readonly evaluate: (z: Float64Array, phiOut: Float64Array, dphiOut: Float64Array) => void;
  /** smooth activations only: the first-layer analyses need a Taylor expansion */
  readonly smooth: boolean;
}

function sigmoid(u: number): number {
  // split on the sign so exp never overflows
  if (u >= 0) return 1 / (1 + Math.exp(-u));
  const e = Math.exp(u);
  return e / (1 + e);
}

function pointwise(phi: (u: number) => number, dphi: (u: number) => number): Activation['evaluate'] {
  return (z, p, dp) => {
    for (let i = 0; i < z.length; i++) {
      p[i] = phi(z[i]!);
      dp[i] = dphi(z[i]!);
    }
  };
}

const sigmoidEvaluate: Activation['evaluate'] = (z, p, dp) => {
  for (let i = 0; i < z.length; i++) {
    const s = sigmoid(z[i]!);
    p[i] = s;
    dp[i] = s * (1 - s);
  }
};

const tanhDphi = (u: number) => { const t = Math.tanh(u); return 1 - t * t; };
const reluPhi = (u: number) => (u > 0 ? u : 0);
const reluDphi = (u: number) => (u > 0 ? 1 : 0);

export const ACTIVATIONS: Readonly<Record<ActivationName, Activation>> = {
  sigmoid: { name: 'sigmoid', phi: sigmoid, dphi: (u) => { const s = sigmoid(u); return s * (1 - s); }, evaluate: sigmoidEvaluate, smooth: true },
  tanh: { name: 'tanh', phi: Math.tanh, dphi: tanhDphi, evaluate: pointwise(Math.tanh, tanhDphi), smooth: true },
  // the linear network, for checking the GD loop against the linear theory
  identity: { name: 'identity', phi: (u) => u, dphi: () => 1, evaluate: pointwise((u) => u, () => 1), smooth: true },
  relu: { name: 'relu', phi: reluPhi, dphi: reluDphi, evaluate: pointwise(reluPhi, reluDphi), smooth: false },
};

export function activation(name: ActivationName): Activation {
  const a = ACTIVATIONS[name];
  if (!a) throw new RangeError(`unknown activation "${String(name)}"; choose one of ${Object.keys(ACTIVATIONS).join(', ')}`);
  return a;
}
