/**
 * One two-moon run for one seed (thesis ch. 6, Fig. 1 and appendix Fig. 2): trains the network
 * on the general trainer and returns the decision function on the plotting grid, the data, and
 * the run's margins. Seeds are averaged downstream.
 */
import { z } from 'zod';
import { defineNode } from '../../engine/node.ts';
import { tensors } from '../../engine/ports.ts';
import { decisionGrid, runMetrics } from './moon-metrics.ts';
import { moonRunParams } from './moon-params.ts';
import { trainMoonNetwork } from './moon-training.ts';

const positiveInt = z.number().int().min(2);

export const trainMoonsParams = moonRunParams.extend({
  /** the plotting grid: size × size points over [−extent, extent]² */
  gridSize: positiveInt.default(100),
  gridExtent: z.number().positive().default(2),
  /** the finer grid whose zero contour gives the input-space margin */
  marginGridSize: positiveInt.default(201),
});

const scalar = (v: number) => ({ shape: [], data: Float64Array.of(v) });

export const trainMoons = defineNode({
  name: 'starvation/train-moons',
  version: 1,
  description: 'one two-moon training run (one seed): decision function on a grid, training accuracy, functional and input-space margins',
  module: import.meta.url,
  params: trainMoonsParams,
  inputs: {},
  output: tensors,
  backends: ['trainer'],
  async run(ctx) {
    const p = ctx.params;
    const { network, data, finalLoss } = await trainMoonNetwork(ctx.trainer, p, { signal: ctx.signal, progress: (f, m) => ctx.progress(f, m) });
    try {
      const grid = decisionGrid(network, p.gridSize, p.gridExtent, p.precision);
      const metrics = runMetrics(network, data, decisionGrid(network, p.marginGridSize, p.gridExtent, p.precision), p.precision);
      return {
        axis: { shape: [p.gridSize], data: grid.axis },
        grid: { shape: [p.gridSize, p.gridSize], data: grid.values },
        x: { shape: [data.y.length, 2], data: data.x },
        y: { shape: [data.y.length], data: data.y },
        trainAccuracy: scalar(metrics.trainAccuracy),
        functionalMargin: scalar(metrics.functionalMargin),
        minMargin: scalar(metrics.minMargin),
        finalLoss: scalar(finalLoss),
      };
    } finally {
      network.dispose();
    }
  },
});
