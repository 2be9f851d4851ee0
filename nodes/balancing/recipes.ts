/**
 * How each of the seven methods trains, in the study's own words: a sampler and a loss (JTT:
 * an ERM phase, its errors up-weighted, a fresh model). The pipeline wires the same pieces as
 * nodes; `runStudy` (study.ts) composes them in-process for tests and benchmarks.
 */
import type { RandomSource } from '../../engine/random.ts';
import type { BalancingData } from './dataset.ts';
import { gdroLossSpec } from './losses/gdro.ts';
import { meanLossSpec } from './losses/mean.ts';
import type { LossSpec } from './losses/spec.ts';
import { jttSampler } from './samplers/jtt.ts';
import { reweightSampler } from './samplers/reweight.ts';
import { shuffleSampler } from './samplers/shuffle.ts';
import { subsampleSampler } from './samplers/subsample.ts';
import type { SamplerSpec } from './samplers/spec.ts';
import type { z } from 'zod';
import { trainRun, type TrainingRun, type trainParams } from './train/run.ts';

export interface MethodContext {
  readonly data: BalancingData;
  readonly train: z.input<typeof trainParams>;
  /** method hyper-parameters beyond lr / weight decay (JTT: T, up; gDRO: eta) */
  readonly extra: Readonly<Record<string, number>>;
  readonly random: RandomSource;
}

export type MethodRecipe = (ctx: MethodContext) => TrainingRun;

const plain = (sampler: (ctx: MethodContext) => SamplerSpec, loss: (ctx: MethodContext) => LossSpec): MethodRecipe =>
  (ctx) => trainRun(ctx.data, sampler(ctx), loss(ctx), ctx.train, ctx.random.fork('train'));

export const RECIPES: Readonly<Record<string, MethodRecipe>> = {
  ERM: plain((c) => shuffleSampler(c.data), () => meanLossSpec),
  SUBY: plain((c) => subsampleSampler(c.data, 'class', c.random.fork('subsample')), () => meanLossSpec),
  SUBG: plain((c) => subsampleSampler(c.data, 'group', c.random.fork('subsample')), () => meanLossSpec),
  RWY: plain((c) => reweightSampler(c.data, 'class'), () => meanLossSpec),
  RWG: plain((c) => reweightSampler(c.data, 'group'), () => meanLossSpec),
  gDRO: plain((c) => reweightSampler(c.data, 'group'), (c) => gdroLossSpec(c.extra.eta ?? 0.1)),
  JTT: (c) => {
    const T = c.extra.T, up = c.extra.up;
    if (T === undefined || up === undefined) throw new Error('JTT needs hyper-parameters T and up');
    const phaseOne = trainRun(c.data, shuffleSampler(c.data), meanLossSpec, { ...c.train, epochs: T }, c.random.fork('phase-one'));
    return trainRun(c.data, jttSampler(c.data, phaseOne, up), meanLossSpec, c.train, c.random.fork('phase-two'));
  },
};
