/**
 * featureflow's public API: `import { … } from 'featureflow'` (run scripts with `npx tsx`).
 */
export { defineNode, type NodeDefinition, type NodeContext, type BackendUse } from './engine/node.ts';
export { definePipeline, gather, type Pipeline, type PipelineBuilder, type StepRef, type AxisRef, type GatherRef } from './engine/pipeline.ts';
export { table, tensors, figure, json, many, type Figure, type Tensor, type TensorBundle, type Port, type ManyPort, type GatheredValue } from './engine/ports.ts';
export { run, type RunOptions } from './engine/run.ts';
export type { RunEvent } from './engine/events.ts';
export { planPipeline, type PlanEntry, type PlanReason } from './engine/plan.ts';
export { explainTask, type Explanation } from './engine/explain.ts';
export { collectGarbage } from './engine/gc.ts';
export { verifyStore } from './engine/verify.ts';
export { Store } from './engine/store/store.ts';
export { loadPipeline } from './engine/load.ts';
export { expandPipeline } from './engine/expand.ts';
export { PipelineError } from './engine/errors.ts';
export { canonicalJson } from './engine/canonical.ts';
export { taskKey, type KeyComponents } from './engine/key.ts';
export { randomSourceFromSeed, type RandomSource } from './engine/random.ts';
export { columnsTable, tableMetadata, numericColumn } from './engine/table.ts';
export { tableToParquet, tableToCsv, exportObject } from './engine/export.ts';
export { runNode } from './engine/testing.ts';
export { selectLinalg, selectMlp } from './engine/compute/backends.ts';
export type { Linalg } from './engine/compute/linalg.ts';
export type { QuadraticGdOptions } from './engine/compute/quadratic-gd.ts';
export type { MlpCompute, MlpTrainer } from './engine/compute/mlp.ts';
export { mat, type Mat } from './engine/compute/matrix.ts';
export { bipartiteAnalyticCurve, exactCurve } from './nodes/teacher-student/index.ts';
export { alexanderGovern, welchAnova, welchTTest, StatsInputError, TooFewGroupsError, GroupTooSmallError, NonFiniteValueError, ZeroVarianceError } from './nodes/stats/index.ts';
export type { AlexanderGovernResult, WelchAnovaResult, WelchTTestResult, NanPolicy } from './nodes/stats/index.ts';
export { balancingStudy, type BalancingStudyOptions } from './pipelines/data-balancing.ts';
export { renderFigure } from './nodes/plots/index.ts';
export { selectTrainer } from './engine/compute/backends.ts';
export type { TrainerCompute, Network, NetworkSpec, LayerSpec, LayerParams, LossSpec, Objective, OptimizerSpec, StepResult, Batch, CreateNetworkOptions, Activation, Precision } from './engine/compute/trainer.ts';
export { torchDefaultLayers, xavierUniformLayers } from './engine/compute/trainer-init.ts';
export { jsTrainer } from './engine/compute/trainer-js.ts';
export { twoMoons, type TwoMoons } from './nodes/starvation/two-moons.ts';
export { dualToy, type DualToyOptions, type Dynamics } from './nodes/starvation/dual-toy.ts';
