/**
 * `featureflow/core`: the engine alone (nodes, pipelines, run, the store and its tools, the compute
 * backends), with no study code loaded, so importing it costs only what the engine needs.
 * The package root re-exports all of this and adds the studies' helpers.
 */
export { defineNode, type NodeDefinition, type NodeContext, type BackendUse } from './engine/node.ts';
export { definePipeline, gather, type Pipeline, type PipelineBuilder, type StepRef, type AxisRef, type GatherRef } from './engine/pipeline.ts';
export { table, tensors, figure, json, many, type Figure, type Tensor, type TensorBundle, type Port, type ManyPort, type GatheredValue } from './engine/ports.ts';
export { run, type RunOptions } from './engine/run.ts';
export type { RunEvent } from './engine/events.ts';
export { planPipeline, type PlanEntry, type PlanReason } from './engine/plan.ts';
export { explainTask, type Explanation } from './engine/explain.ts';
export { buildReport } from './engine/report/load-report.ts';
export type { ReportOptions, ReportModel, ReportReferences } from './engine/report/report.ts';
export type { ReferenceBlock } from './engine/report/model.ts';
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
export type { QuadraticGdOptions } from './compute/extensions/quadratic-gd.ts';
export type { MlpCompute, MlpTrainer } from './engine/compute/mlp.ts';
export { mat, type Mat } from './engine/compute/matrix.ts';
// The zod that node params are declared with. A project that installs another zod (another major,
// or a copy npm could not dedupe) would hand defineNode schemas of a type featureflow's
// declarations do not accept; `import { z } from 'featureflow'` always matches.
export { z } from 'zod';
export { selectTrainer } from './engine/compute/backends.ts';
export type { TrainerCompute, Network, NetworkSpec, LayerSpec, LayerParams, LossSpec, Objective, OptimizerSpec, StepResult, Batch, CreateNetworkOptions, Activation, Precision } from './engine/compute/trainer.ts';
export { torchDefaultLayers, xavierUniformLayers } from './compute/trainer-init.ts';
export { jsTrainer } from './compute/trainer-js.ts';
export { exportStep, type ExportedCell, type ExportStepOptions } from './engine/export-step.ts';
