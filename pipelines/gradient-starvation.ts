/**
 * Gradient starvation and spectral decoupling (Pezeshki, thesis ch. 6 and its appendix).
 *
 * 1. The dual-dynamics toy: two examples, features Φ = U diag(s₁, 2) V, three dynamics (dual,
 *    primal, SD) over s₁ ∈ {2, …, 6}; under the primal the weaker response z₂ starves as s₁ grows,
 *    under SD it does not move.
 * 2. Two-moon (Fig. 1 a–c): 300 points folded so that x₀ alone separates them with a gap of
 *    2·margin; 2 → 500 → 1 ReLU, full-batch SGD lr 1e−2, momentum 0.9, coupled weight decay 2e−4,
 *    10 000 steps, 10 seeds: (a) margin −0.1, (b) +0.1, (c) +0.1 with SD 0.003. Cross-entropy keeps
 *    (b)'s boundary straight (x₀ ≈ 0); SD curves it and about doubles the input-space margin.
 * 3. The appendix comparison on margin +0.1 (no weight decay unless named): weight decay, longer
 *    training, Adam, rotation, dropout, batch-norm, depth — only SD curves the boundary.
 * 4. Feature dynamics: the responses along the NTK's singular directions 1 and 6 over training,
 *    for (b) and (c).
 * See docs/gradient-starvation.md.
 */
import { definePipeline, gather } from '../engine/pipeline.ts';
import { dualToyFigure, dualToyNode } from '../nodes/starvation/dual-toy-node.ts';
import { featureDynamics, featureDynamicsFigure } from '../nodes/starvation/feature-dynamics.ts';
import { moonHeatmapFigure, moonMarginsTable } from '../nodes/starvation/moon-figures.ts';
import { moonSummary } from '../nodes/starvation/moon-summary.ts';
import { trainMoons } from '../nodes/starvation/train-moons.ts';

export const SEEDS = [0, 1, 2, 3, 4, 5, 6, 7, 8, 9] as const;

/** the appendix panels: every one on margin +0.1, SGD lr 1e−2 momentum 0.9, 10k steps, no decay unless named */
export const APPENDIX = {
  panel: ['01', '02', '03', '04', '05', '06', '07', '08', '09', '10'],
  title: ['no regularisation', 'weight decay 0.01', 'training 10× longer', 'Adam lr 1e−4', 'Adam lr 3e−3', 'data rotated 45°', 'dropout 0.7', 'batch-norm', '5 layers', 'SD 0.003'],
  optimizer: ['sgd', 'sgd', 'sgd', 'adam', 'adam', 'sgd', 'sgd', 'sgd', 'sgd', 'sgd'],
  lr: [1e-2, 1e-2, 1e-2, 1e-4, 3e-3, 1e-2, 1e-2, 1e-2, 1e-2, 1e-2],
  weightDecay: [0, 0.01, 0, 0, 0, 0, 0, 0, 0, 0],
  steps: [10_000, 10_000, 100_000, 10_000, 10_000, 10_000, 10_000, 10_000, 10_000, 10_000],
  rotationDegrees: [0, 0, 0, 0, 0, 45, 0, 0, 0, 0],
  dropout: [0, 0, 0, 0, 0, 0, 0.7, 0, 0, 0],
  batchNorm: [false, false, false, false, false, false, false, true, false, false],
  // "5 layers": four hidden layers; the thesis gives no width, 100 is our choice (docs)
  hiddenLayers: [1, 1, 1, 1, 1, 1, 1, 1, 4, 1],
  width: [500, 500, 500, 500, 500, 500, 500, 500, 100, 500],
  logitPenalty: [0, 0, 0, 0, 0, 0, 0, 0, 0, 0.003],
} as const;

const study = definePipeline({
  name: 'gradient-starvation',
  description: 'Gradient starvation (thesis ch. 6): dual toy, two-moon (a, b, c), the appendix comparison, feature dynamics',
  module: import.meta.url,
  profiles: {
    reduced: {
      description: 'the CI check: 3 seeds × 2000 steps for (a, b, c); one seed × 1000 steps (2000 for "longer", width 32 for "5 layers") per appendix panel; feature dynamics over 2000 steps',
      set: {
        seed: [0, 1, 2],
        'train.steps': 2000,
        appendixSeed: [0],
        'appendix.steps': [1000, 1000, 2000, 1000, 1000, 1000, 1000, 1000, 1000, 1000],
        'appendix.width': [500, 500, 500, 500, 500, 500, 500, 500, 32, 500],
        'features.steps': 2000,
      },
    },
  },
});

// ── 1. The dual-dynamics toy (5000 steps each; U's rotation 0.5 as the authors' code, 0.6 in the thesis text).
const toy = study.step('dual-toy', dualToyNode, { params: { rotation: 0.5 } });
study.output('dual-toy', toy);
study.output('dual-toy-figure', study.step('dual-toy-figure', dualToyFigure, { inputs: { toy } }));

// ── 2. Two-moon (a), (b), (c): the three networks of a seed are drawn one after another from its stream.
const run = study.zip('run', {
  run: ['a', 'b', 'c'],
  title: ['margin −0.1', 'margin +0.1', 'margin +0.1, SD 0.003'],
  margin: [-0.1, 0.1, 0.1],
  logitPenalty: [0, 0, 0.003],
  networkIndex: [0, 1, 2],
  referenceMinMargin: [0.15, 0.15, 0.31],
});
const seed = study.axis('seed', SEEDS);
const train = study.step('train', trainMoons, {
  params: { margin: run.margin, logitPenalty: run.logitPenalty, networkIndex: run.networkIndex, seed, lr: 1e-2, momentum: 0.9, weightDecay: 2e-4, steps: 10_000 },
});
const summary = study.step('summary', moonSummary, { inputs: { seeds: gather(train, 'seed') }, params: { run: run.run, title: run.title, referenceMinMargin: run.referenceMinMargin } });
study.output('two-moon', study.step('two-moon-figure', moonHeatmapFigure, { inputs: { runs: gather(summary, 'run') }, params: { title: 'Two-moon: cross-entropy against spectral decoupling', columns: 3 } }));
study.output('two-moon-table', study.step('two-moon-table', moonMarginsTable, { inputs: { runs: gather(summary, 'run') } }));

// ── 3. The appendix comparison: one panel per regulariser, all on margin +0.1.
const panel = study.zip('panel', APPENDIX);
const appendixSeed = study.axis('appendixSeed', SEEDS);
const appendix = study.step('appendix', trainMoons, {
  params: {
    margin: 0.1, seed: appendixSeed, momentum: 0.9,
    optimizer: panel.optimizer, lr: panel.lr, weightDecay: panel.weightDecay, steps: panel.steps, rotationDegrees: panel.rotationDegrees,
    dropout: panel.dropout, batchNorm: panel.batchNorm, hiddenLayers: panel.hiddenLayers, width: panel.width, logitPenalty: panel.logitPenalty,
  },
});
const appendixSummary = study.step('appendix-summary', moonSummary, {
  inputs: { seeds: gather(appendix, 'appendixSeed') },
  params: { run: panel.panel, title: panel.title, rotationDegrees: panel.rotationDegrees, seedAxis: 'appendixSeed' },
});
study.output('appendix', study.step('appendix-figure', moonHeatmapFigure, { inputs: { runs: gather(appendixSummary, 'panel') }, params: { title: 'Two-moon, margin +0.1: common regularisers against spectral decoupling', columns: 5 } }));
study.output('appendix-table', study.step('appendix-table', moonMarginsTable, { inputs: { runs: gather(appendixSummary, 'panel') } }));

// ── 4. Feature dynamics for (b) and (c), seed 0.
const featureRun = study.zip('featureRun', { run: ['(b) cross-entropy', '(c) spectral decoupling'], logitPenalty: [0, 0.003], networkIndex: [1, 2] });
const features = study.step('features', featureDynamics, {
  params: { run: featureRun.run, margin: 0.1, logitPenalty: featureRun.logitPenalty, networkIndex: featureRun.networkIndex, seed: 0, lr: 1e-2, momentum: 0.9, weightDecay: 2e-4, steps: 10_000 },
});
study.output('feature-dynamics', study.step('feature-dynamics-figure', featureDynamicsFigure, { inputs: { runs: gather(features, 'featureRun') } }));

export default study;
