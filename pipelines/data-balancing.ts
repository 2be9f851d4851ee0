/**
 * Simple data balancing achieves competitive worst-group accuracy (Idrissi, Arjovsky, Pezeshki,
 * Lopez-Paz; thesis ch. 8, §8.4–8.5), on the synthetic example of eq. 8.4.1.
 *
 * Seven methods, each a sampler and a loss:
 *   ERM  uniform shuffling                         mean loss
 *   SUBY subsample every class to the smallest     mean loss        (no attributes)
 *   SUBG subsample every group to the smallest     mean loss        (attributes)
 *   RWY  class-balanced sampling with replacement  mean loss        (no attributes)
 *   RWG  group-balanced sampling with replacement  mean loss        (attributes)
 *   gDRO group-balanced sampling                   q-weighted group losses, η = 0.1 (attributes)
 *   JTT  ERM for T epochs; its training errors appear `up` times; a fresh model trained on that set
 * A linear model without bias, logit Σ w_j γ_j x_j (γ = 4 spurious, 1 core, γ_noise = 20 noise),
 * BCE-with-logits, SGD momentum 0.9, batch 250. Every run keeps per-epoch per-group accuracy on
 * train / validation / test; model selection takes the epoch with the best validation worst-group
 * accuracy; per method, the configuration with the best mean selection score over 5 seeds is
 * reported as test worst-group accuracy mean ± std, and an Alexander–Govern test compares the
 * methods within each block (with / without attributes), as in Table 2 of the thesis.
 *
 * Default (CI) size: 50 epochs, lr ∈ {1e-6, 1e-5}, weight decay 0, JTT T = 2, up = 4 — about a
 * minute on two cores. `--profile paper` restores the digest's settings: 500 epochs, weight decay
 * ∈ {0, 0.1, 1, 10}, and a JTT grid T ∈ {1, 5, 10} × up ∈ {4, 20, 100} (the thesis does not give
 * T and up for this example; these are our choices, from its CelebA search space).
 * The authors' code sweeps γ_noise ∈ {2, 4}: `--set data.gammaNoise=4`.
 *
 * A user's own embeddings go through the same study: a pipeline file with
 *   export default balancingStudy({ name: 'waterbirds', module: import.meta.url,
 *     data: { parquet: 'waterbirds.parquet', dataset: 'Waterbirds' }, head: { kind: 'mlp', hidden: 100, bias: true } });
 */
import { definePipeline, gather, type PipelineBuilder, type StepRef } from '../engine/pipeline.ts';
import type { TensorBundle } from '../engine/ports.ts';
import {
  embeddingsNode,
  gdroLossNode,
  jttSamplerNode,
  meanLossNode,
  reweightSamplerNode,
  shuffleSamplerNode,
  subsampleSamplerNode,
  syntheticDataNode,
  THESIS_METHODS,
  trainNode,
  worstGroupTableNode,
  curvesNode,
  decisionMapNode,
} from '../nodes/balancing/index.ts';
import type { HeadSpec } from '../nodes/balancing/model/head.ts';

const range = (n: number) => Array.from({ length: n }, (_, i) => i);

const TRAIN_STEPS = ['train-erm', 'train-suby', 'train-subg', 'train-rwy', 'train-rwg', 'train-gdro', 'jtt-phase-two'] as const;

export interface BalancingStudyOptions {
  readonly name?: string;
  /** `import.meta.url` of the pipeline file that calls this (workers import it to find the pipeline) */
  readonly module?: string;
  /** the synthetic example (default) or a Parquet file of embeddings (features, y, a, split) */
  readonly data?: { readonly parquet: string; readonly dataset: string; readonly featurePrefix?: string };
  readonly head?: HeadSpec;
  readonly epochs?: number;
}

export function balancingStudy(options: BalancingStudyOptions = {}): PipelineBuilder {
  const epochs = options.epochs ?? 50;
  const study = definePipeline({
    name: options.name ?? 'data-balancing',
    description: 'Simple data balancing vs ERM, JTT and gDRO for worst-group accuracy (thesis ch. 8): Table 2 on the synthetic example',
    module: options.module ?? import.meta.url,
    profiles: {
      paper: {
        description: "the digest's settings: 500 epochs, weight decay ∈ {0, 0.1, 1, 10}, JTT T ∈ {1, 5, 10} × up ∈ {4, 20, 100}",
        set: {
          ...Object.fromEntries(TRAIN_STEPS.map((s) => [`${s}.epochs`, 500])),
          'train-erm.weightDecay': [0, 0.1, 1, 10],
          'jtt-phase-one.epochs': [1, 5, 10],
          'jtt-set.up': [4, 20, 100],
        },
      },
    },
  });

  // ── the hyper-parameter grid × 5 initialisation seeds (each seed is also a fresh draw of the data)
  const seed = study.axis('seed', range(5));
  const { lr, weight_decay } = study.grid({ lr: [1e-6, 1e-5], weight_decay: [0] });
  const { jtt_T, jtt_up } = study.grid({ jtt_T: [2], jtt_up: [4] });

  // ── the data: eq. 8.4.1, one independent draw of n = 1000 per split, noise in train only
  const data: StepRef<TensorBundle> = options.data
    ? study.step('data', embeddingsNode, { params: { path: options.data.parquet, featurePrefix: options.data.featurePrefix ?? '' } })
    : study.step('data', syntheticDataNode, { params: { n: 1000, noiseDims: 1200, rhoCore: 1, rhoSpu: 0.8, gammaSpu: 4, gammaCore: 1, gammaNoise: 20, seed } });

  // ── samplers (§8.4) and losses (§8.3)
  const shuffle = study.step('sampler-shuffle', shuffleSamplerNode, { inputs: { data } });
  const subsampleClasses = study.step('sampler-suby', subsampleSamplerNode, { inputs: { data }, params: { by: 'class', seed } });
  const subsampleGroups = study.step('sampler-subg', subsampleSamplerNode, { inputs: { data }, params: { by: 'group', seed } });
  const reweightClasses = study.step('sampler-rwy', reweightSamplerNode, { inputs: { data }, params: { by: 'class' } });
  const reweightGroups = study.step('sampler-rwg', reweightSamplerNode, { inputs: { data }, params: { by: 'group' } });
  const meanLoss = study.step('loss-mean', meanLossNode, {});
  const gdroLoss = study.step('loss-gdro', gdroLossNode, { params: { eta: 0.1 } });

  // ── training: SGD momentum 0.9, batch 250, the same grid for every method
  const train = { lr, weightDecay: weight_decay, seed, epochs, batchSize: 250, momentum: 0.9, ...(options.head ? { head: options.head } : {}) };
  const runs = {
    ERM: study.step('train-erm', trainNode, { inputs: { data, sampler: shuffle, loss: meanLoss }, params: train }),
    SUBY: study.step('train-suby', trainNode, { inputs: { data, sampler: subsampleClasses, loss: meanLoss }, params: train }),
    SUBG: study.step('train-subg', trainNode, { inputs: { data, sampler: subsampleGroups, loss: meanLoss }, params: train }),
    RWY: study.step('train-rwy', trainNode, { inputs: { data, sampler: reweightClasses, loss: meanLoss }, params: train }),
    RWG: study.step('train-rwg', trainNode, { inputs: { data, sampler: reweightGroups, loss: meanLoss }, params: train }),
    gDRO: study.step('train-gdro', trainNode, { inputs: { data, sampler: reweightGroups, loss: gdroLoss }, params: train }),
  };
  // JTT: ERM for T epochs, its errors up-weighted, then a re-initialised model on that set
  const phaseOne = study.step('jtt-phase-one', trainNode, { inputs: { data, sampler: shuffle, loss: meanLoss }, params: { ...train, epochs: jtt_T } });
  const jttSet = study.step('jtt-set', jttSamplerNode, { inputs: { data, phaseOne }, params: { up: jtt_up } });
  const jtt = study.step('jtt-phase-two', trainNode, { inputs: { data, sampler: jttSet, loss: meanLoss }, params: train });

  // ── Table 2: per method the best configuration's test worst-group accuracy, mean ± std over
  //    seeds; Alexander–Govern within each block. One table per model-selection rule (Table 3).
  const selector = study.axis('selector', ['worst-group-val', 'average-val', 'last'] as const);
  const grid = ['lr', 'weight_decay', 'seed'];
  const table = study.step('table', worstGroupTableNode(THESIS_METHODS), {
    inputs: {
      ERM: gather(runs.ERM, grid),
      JTT: gather(jtt, [...grid, 'jtt_T', 'jtt_up']),
      RWY: gather(runs.RWY, grid),
      SUBY: gather(runs.SUBY, grid),
      RWG: gather(runs.RWG, grid),
      SUBG: gather(runs.SUBG, grid),
      gDRO: gather(runs.gDRO, grid),
    },
    params: { dataset: options.data?.dataset ?? 'synthetic', selector },
  });
  study.output('table', table);

  // ── Fig. 2: worst-group accuracy against epoch, per split; Fig. 1: the decision map of ERM,
  //    SUBG and RWG over (x_spu, x_core) (synthetic example only)
  const allRuns = {
    ERM: gather(runs.ERM, grid), JTT: gather(jtt, [...grid, 'jtt_T', 'jtt_up']), RWY: gather(runs.RWY, grid), SUBY: gather(runs.SUBY, grid),
    RWG: gather(runs.RWG, grid), SUBG: gather(runs.SUBG, grid), gDRO: gather(runs.gDRO, grid),
  };
  study.output('curves', study.step('curves', curvesNode(THESIS_METHODS), { inputs: allRuns }));
  if (!options.data) {
    study.output('decision-map', study.step('decision-map', decisionMapNode, {
      inputs: { data: gather(data, 'seed'), ERM: allRuns.ERM, SUBG: allRuns.SUBG, RWG: allRuns.RWG },
    }));
  }
  return study;
}

export default balancingStudy();
export { reportReferences } from '../nodes/balancing/report-references.ts';
