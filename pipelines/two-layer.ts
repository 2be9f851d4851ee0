/**
 * Generalization of two-layer networks: an asymptotic viewpoint (Ba, Erdogdu, Suzuki, Wu, Zhang;
 * ICLR 2020 poster). Teacher y = ⟨x, θ*⟩ + ε with x ~ N(0, I_d), ‖θ*‖ = r = 1, σ = 0.5; student
 * f(x) = Σ_i a_i φ(⟨x, w_i⟩); proportional limit γ₁ = d/n, γ₂ = h/n. Every figure draws the closed
 * form and the simulation on the same axes. The poster has no code: the choices it leaves open are
 * ours ("assumed") and each output's metadata states them.
 *
 * Default: the full sizes (n = 300 for the γ₂ sweeps, 21 values of γ₂, 20 draws; see
 * docs/two-layer.md for the time on 2 cores). `--profile reduced` is the CI form (n = 100, a few
 * draws, short GD runs).
 */
import { definePipeline, gather } from '../engine/pipeline.ts';
import {
  empiricalKernelFigure,
  empiricalKernelNode,
  linearNetworkCell,
  linearNetworkFigure,
  ntkRegimeFigure,
  ntkRegimeNode,
  randomFeaturesCell,
  randomFeaturesFigure,
  vanishingInitFigure,
  vanishingInitNode,
} from '../nodes/two-layer/index.ts';

/** γ₁ ∈ {0.5, 1.5, 2, 3} (digest) and γ₂ on a log grid 0.1…3, dense near the threshold γ₂ = 1 */
export const GAMMA1 = [0.5, 1.5, 2, 3] as const;
export const GAMMA2 = [0.1, 0.15, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.85, 0.9, 0.95, 1.05, 1.1, 1.2, 1.3, 1.5, 1.75, 2, 2.5, 3] as const;
const teacher = { r: 1, sigma: 0.5 };

const study = definePipeline({
  name: 'two-layer',
  description: 'Two-layer networks in the proportional limit (Ba et al., ICLR 2020): bias and variance over γ₁ = d/n and γ₂ = h/n, theory against simulation',
  module: import.meta.url,
  profiles: {
    reduced: {
      description: 'the CI form: n = 100 and 8 values of γ₂ × 4 draws for (a), (b); GD runs at n = 100 with 2 draws, 1500 steps (c) and 3 init scales (d)',
      set: {
        gamma2: [0.3, 0.6, 0.8, 0.9, 1.1, 1.3, 2, 3],
        'linear-second.n': 100, 'linear-second.draws': 4,
        'linear-first.n': 100, 'linear-first.draws': 4,
        'random-features.n': 100, 'random-features.draws': 4,
        van_h: [50, 100], 'vanishing.n': 100, 'vanishing.draws': 2, 'vanishing.steps': 1500, 'vanishing.nTest': 1000,
        ntk_s: [1, 2, 4], ntk_gamma2: [1], 'ntk.n': 100, 'ntk.draws': 2, 'ntk.nTest': 1000,
        kernel_h: [100, 400], kernel_s: [1, 4], 'kernel.n': 100,
      },
    },
  },
});

// ── (a) The two-layer linear network f(x) = xᵀWa. Second layer trained from zero, â = pinv(XW)y:
//    double descent in γ₂ only when γ₁ > 1. First layer trained with a fixed non-zero a: the risk
//    does not depend on γ₂.
const sweep = study.grid({ gamma1: GAMMA1, gamma2: GAMMA2 });
const cell = { gamma1: sweep.gamma1, gamma2: sweep.gamma2, n: 300, draws: 20, ...teacher };
const linearSecond = study.step('linear-second', linearNetworkCell, { params: { ...cell, training: 'second-layer' } });
const linearFirst = study.step('linear-first', linearNetworkCell, { params: { ...cell, training: 'first-layer' } });
study.output('a-linear-network', study.step('figure-a', linearNetworkFigure, {
  inputs: { secondLayer: gather(linearSecond, ['gamma1', 'gamma2']), firstLayer: gather(linearFirst, ['gamma1', 'gamma2']) },
}));

// ── (b) Nonlinear, second layer trained from zero: random features with ReLU, â = pinv(φ(XW))y.
//    The variance is σ²γ₂/(1 − γ₂) for γ₂ < 1 whatever γ₁, peaks at γ₂ → 1, then falls; the bias
//    peaks at γ₂ → 1 and stays bounded.
const randomFeatures = study.step('random-features', randomFeaturesCell, { params: cell });
study.output('b-random-features', study.step('figure-b', randomFeaturesFigure, { inputs: { cells: gather(randomFeatures, ['gamma1', 'gamma2']) } }));

// ── (c) Nonlinear, first layer trained (a_i = ±1/√h fixed, sigmoid), vanishing initialisation
//    w_i ~ N(0, I/(d·h^{1+ε})): a linear network in disguise. γ₁ > 1: converges to
//    r²(1 − 1/γ₁) + σ²/(γ₁ − 1) at every h; γ₁ < 1: a plateau at σ²γ₁/(1 − γ₁) that lengthens
//    with h, then the network interpolates and ends higher. n = 200 as in the poster's check.
const vanishingGrid = study.grid({ van_gamma1: [0.5, 2], van_h: [100, 200, 400] });
const vanishing = study.step('vanishing', vanishingInitNode, {
  params: { n: 200, gamma1: vanishingGrid.van_gamma1, h: vanishingGrid.van_h, draws: 4, steps: 10_000, recordPoints: 60, ...teacher },
});
study.output('c-vanishing-init', study.step('figure-c', vanishingInitFigure, { inputs: { trajectories: gather(vanishing, ['van_gamma1', 'van_h']) } }));

// ── (d) Non-vanishing initialisation w_i ~ N(0, s²I/d): the NTK regime, ridge regression with
//    μ = γ₁Var φ′/(E φ′)². γ₁ = 0.5; larger init → higher bias, lower variance; no γ₂ dependence.
const ntkGrid = study.grid({ ntk_s: [1, 1.5, 2, 3, 4], ntk_gamma2: [0.5, 1, 2] });
const ntk = study.step('ntk', ntkRegimeNode, { params: { n: 200, gamma1: 0.5, gamma2: ntkGrid.ntk_gamma2, s: ntkGrid.ntk_s, draws: 8, ...teacher } });
study.output('d-ntk-regime', study.step('figure-d', ntkRegimeFigure, { inputs: { cells: gather(ntk, ['ntk_s', 'ntk_gamma2']) }, params: teacher }));

// ── (e) The empirical NTK at initialisation against b₀XXᵀ + b₁I (the poster: within 1.5–7 %).
const kernelGrid = study.grid({ kernel_h: [100, 400, 1600], kernel_s: [1, 2, 4] });
const kernel = study.step('kernel', empiricalKernelNode, { params: { n: 200, gamma1: 0.5, h: kernelGrid.kernel_h, s: kernelGrid.kernel_s } });
study.output('e-empirical-kernel', study.step('figure-e', empiricalKernelFigure, { inputs: { kernels: gather(kernel, ['kernel_h', 'kernel_s']) } }));

export default study;
