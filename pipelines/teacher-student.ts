/**
 * Multi-scale feature learning: epoch-wise double descent in a linear teacher–student
 * (Pezeshki et al.; thesis ch. 4, §4.3 "Experimental results"). Every figure of the linear model.
 *
 * Default sizes run the whole study in about two minutes on two cores with the pure-JS backend:
 * fewer seeds than the paper (Fig. 3: 20 instead of 100; Fig. 6: 6 instead of 100); every other size
 * (steps, time grids, the 100 values of λ in Fig. 5) is the paper's. `--profile paper` restores
 * the published seed counts.
 * Where the thesis text and the authors' code disagree (Fig. 3 p: 50 vs 60; Fig. 5 κ: 100 vs 40),
 * the default is the code's value, the one the published figures came from; the other is one
 * `--set` away (e.g. `--set fig3-modulation.p=50`), and each figure's metadata records both.
 */
import { definePipeline, gather } from '../engine/pipeline.ts';
import {
  analyticCurveNode,
  exactCurveNode,
  figure1Node,
  figure3Node,
  figure4Node,
  figure5Node,
  figure6Node,
  gdClosedFormCurveNode,
  gdLoopCurveNode,
  modulationNode,
  ridgeProxyCurveNode,
  teacherDataNode,
} from '../nodes/teacher-student/index.ts';

const range = (n: number) => Array.from({ length: n }, (_, i) => i);
/** ℓ ∈ linspace(0.1, 8, k): λ = 10^−ℓ, the regularisation strengths of Fig. 5 */
const lambdas = (k: number) => Array.from({ length: k }, (_, i) => 10 ** -(0.1 + (7.9 * i) / (k - 1)));

const study = definePipeline({
  name: 'teacher-student',
  description: 'Epoch-wise double descent from multi-scale features in a linear teacher–student (thesis ch. 4): Fig. 1, 3, 4, 5c,d, 6',
  module: import.meta.url,
  profiles: {
    paper: {
      description: 'the published sizes: 100 seeds for Fig. 3 and Fig. 6 (the default runs 20 and 6)',
      set: {
        'fig3-teacher.seed': range(100),
        'fig6-teacher.seed': range(100),
      },
    },
  },
});

// ── Fig. 1 — the analytic curve (eqs. 4.2.11–4.2.16) of a bipartite F with κ = 100: the fast
//    features alone give a U, the slow ones alone a late descent; together, a double descent.
const fig1Variant = study.axis('fig1_variant', ['fast-only', 'slow-only', 'both'] as const);
const fig1Curves = study.step('fig1-analytic', analyticCurveNode, {
  params: { n: 130, d: 100, p: 70, kappa: 100, sigma: 0, lambda: 0, variant: fig1Variant, log10TMin: -3, log10TMax: 8, tPoints: 300 },
});
study.output('fig1', study.step('fig1', figure1Node, { inputs: { curves: gather(fig1Curves, 'fig1_variant') } }));

// ── Fig. 3 — §4.3.1 "Analytical results compared with simulations": d = 100, n = 150, σ = λ = 0,
//    κ ∈ {1, 50, 1e5}. Left: closed-form GD over seeds vs the exact eqs. 4.2.9–4.2.10; right: the
//    ridge proxy vs the analytic eqs. 4.2.14–4.2.15, on t = 10^linspace(−3, 6, 100).
const fig3 = study.grid({ fig3_seed: range(20), fig3_kappa: [1, 50, 1e5] });
const fig3P = study.axis('fig3_p', [60]); // thesis text: 50; the authors' code (and figure): 60
const fig3Grid = { lambda: 0, log10TMin: -3, log10TMax: 6, tPoints: 100 };
const fig3Teacher = study.step('fig3-teacher', teacherDataNode, { params: { n: 150, d: 100, sigma: 0, seed: fig3.fig3_seed } });
const fig3F = study.step('fig3-modulation', modulationNode, { params: { d: 100, kind: 'bipartite', p: fig3P, kappa: fig3.fig3_kappa, seed: fig3.fig3_seed } });
const fig3Draw = { teacher: fig3Teacher, modulation: fig3F };
const fig3Gd = study.step('fig3-gd', gdClosedFormCurveNode, { inputs: fig3Draw, params: fig3Grid });
const fig3Exact = study.step('fig3-exact', exactCurveNode, { inputs: fig3Draw, params: fig3Grid });
const fig3Ridge = study.step('fig3-ridge', ridgeProxyCurveNode, { inputs: fig3Draw, params: fig3Grid });
const fig3Analytic = study.step('fig3-analytic', analyticCurveNode, {
  params: { n: 150, d: 100, p: fig3P, kappa: fig3.fig3_kappa, sigma: 0, ...fig3Grid },
});
const overSeedsAndKappa = ['fig3_seed', 'fig3_kappa', 'fig3_p'];
study.output(
  'fig3',
  study.step('fig3', figure3Node, {
    inputs: {
      gd: gather(fig3Gd, overSeedsAndKappa),
      exact: gather(fig3Exact, overSeedsAndKappa),
      ridge: gather(fig3Ridge, overSeedsAndKappa),
      analytic: gather(fig3Analytic, ['fig3_kappa', 'fig3_p']),
    },
  }),
);

// ── Fig. 4 — §4.3.2 "The phase diagram": n = 110, d = 100, p = 70; the analytic (R(t), Q(t))
//    trajectories for κ from 1 (one time-scale) to 1e5 (the slow block is never learned).
const fig4Kappa = study.axis('fig4_kappa', [1, 7, 12, 30, 100, 1000, 1e5]);
const fig4Curves = study.step('fig4-analytic', analyticCurveNode, {
  params: { n: 110, d: 100, p: 70, kappa: fig4Kappa, sigma: 0, lambda: 0, log10TMin: -3, log10TMax: 8, tPoints: 300 },
});
study.output('fig4', study.step('fig4', figure4Node, { inputs: { curves: gather(fig4Curves, 'fig4_kappa') } }));

// ── Fig. 5c,d — §4.3.3: the analytic E_G over training time and regularisation, n = 120, d = 100,
//    p = 80, σ = 0.2; κ = 40 (the authors' code; the thesis text says 100).
const fig5Lambda = study.axis('fig5_lambda', lambdas(100));
const fig5Curves = study.step('fig5-analytic', analyticCurveNode, {
  params: { n: 120, d: 100, p: 80, kappa: 40, sigma: 0.2, lambda: fig5Lambda, log10TMin: 0, log10TMax: 4, tPoints: 80 },
});
study.output('fig5', study.step('fig5', figure5Node, { inputs: { curves: gather(fig5Curves, 'fig5_lambda') } }));

// ── Fig. 6 — §4.3.4 "Diminishing the temporary overfitting": n = 120, d = 100, p = 70, κ = 30;
//    100 000 explicit GD steps with η = 1/l_max, plain and with the Q-regulariser
//    α_i = 0.6·ln(1 + e^{−0.001 i})/ln 2 (Lemma 4.3.1: penalising Q = penalising ‖Xŵ‖²).
const fig6 = study.grid({ fig6_seed: range(6), fig6_penalty: ['none', 'q'] as const });
const fig6Teacher = study.step('fig6-teacher', teacherDataNode, { params: { n: 120, d: 100, sigma: 0, seed: fig6.fig6_seed } });
const fig6F = study.step('fig6-modulation', modulationNode, { params: { d: 100, kind: 'bipartite', p: 70, kappa: 30, seed: fig6.fig6_seed } });
const fig6Runs = study.step('fig6-gd', gdLoopCurveNode, {
  inputs: { teacher: fig6Teacher, modulation: fig6F },
  params: { lambda: 0, steps: 100_000, recordPoints: 300, penalty: fig6.fig6_penalty, alpha0: 0.6, alphaDecay: 0.001 },
});
study.output('fig6', study.step('fig6', figure6Node, { inputs: { curves: gather(fig6Runs, ['fig6_seed', 'fig6_penalty']) } }));

export default study;
