/**
 * Figures (a) and (b): bias, variance and risk against γ₂ = h/n (log axis), one colour per γ₁;
 * theory as lines, simulation as points with ±2 standard-error bars. (a) adds a fourth panel, the
 * linear network with its first layer trained, whose risk does not depend on γ₂.
 */
import { z } from 'zod';
import { defineNode } from '../../../engine/node.ts';
import { figure, many, table } from '../../../engine/ports.ts';
import { columnsTable } from '../../../engine/table.ts';
import { renderFigure } from '../../plots/index.ts';
import { randomFeaturesVarianceFiniteN, randomFeaturesVarianceLimit } from '../limits.ts';
import { firstLayerLinearRisk, secondLayerLinearRisk } from '../linear-network-theory.ts';
import { firstMeta, gammaLabel, gatheredRows, logGridAvoidingOne, LongColumns, PALETTE, panelLayers, type Row } from './common.ts';

const PARTS = ['bias', 'variance', 'risk'] as const;
const num = (r: Row, k: string) => Number(r[k]);

function addSimulation(cols: LongColumns, rows: readonly Row[], panelOf: (part: string) => string, parts: readonly string[] = PARTS): void {
  for (const r of rows) for (const part of parts) cols.push(panelOf(part), gammaLabel(num(r, 'gamma1')), 'simulation', num(r, 'h') / num(r, 'n'), num(r, part), num(r, `${part}Sem`));
}

function sizesOf(rows: readonly Row[]) {
  const gammas = [...new Set(rows.map((r) => num(r, 'gamma1')))].sort((a, b) => a - b);
  const g2 = rows.map((r) => num(r, 'h') / num(r, 'n'));
  return { gammas, n: num(rows[0]!, 'n'), draws: num(rows[0]!, 'draws'), g2min: Math.min(...g2), g2max: Math.max(...g2) };
}

function spec(panels: readonly { panel: string; yTitle: string; yDomain: [number, number] }[], gammas: readonly number[], xDomain: [number, number]) {
  const color = { field: 'series', type: 'nominal', title: null, sort: gammas.map(gammaLabel), scale: { domain: gammas.map(gammaLabel), range: PALETTE } };
  return {
    hconcat: panels.map((p) => ({ title: p.panel, ...panelLayers({ ...p, xTitle: 'γ₂ = h/n', xLog: true, xDomain, color }) })),
    config: { legend: { orient: 'bottom', direction: 'horizontal' } },
  };
}

export const linearNetworkFigure = defineNode({
  name: 'two-layer/figure-linear-network',
  version: 1,
  description: 'figure (a): the two-layer linear network, second layer trained (bias, variance, risk) and first layer trained (risk), against γ₂',
  module: import.meta.url,
  params: z.object({ yMax: z.number().positive().default(3) }),
  inputs: { secondLayer: many(table), firstLayer: many(table) },
  output: figure,
  async run(ctx) {
    const second = gatheredRows(ctx.inputs.secondLayer), first = gatheredRows(ctx.inputs.firstLayer);
    const { gammas, n, draws, g2min, g2max } = sizesOf(second);
    const cols = new LongColumns();
    const panelOf = (part: string) => `${part}, second layer trained`;
    addSimulation(cols, second, panelOf);
    addSimulation(cols, first, () => 'risk, first layer trained', ['risk']);
    const { r, s } = noiseOf(ctx.inputs.secondLayer);
    for (const g1 of gammas) {
      for (const g2 of logGridAvoidingOne(g2min, g2max, 240)) {
        const t = secondLayerLinearRisk({ gamma1: g1, gamma2: g2, r, sigma: s, n });
        for (const part of PARTS) cols.push(panelOf(part), gammaLabel(g1), 'theory', g2, t[part]);
        cols.push('risk, first layer trained', gammaLabel(g1), 'theory', g2, firstLayerLinearRisk({ gamma1: g1, r, sigma: s }).risk);
      }
    }
    const yMax = ctx.params.yMax;
    const caption =
      `(a) Two-layer linear network f(x) = xᵀWa, n = ${n}, ${draws} draws per point (mean ± 2 SE), r = ${r}, σ = ${s}, W_ij ~ N(0, 1/d). ` +
      'Second layer trained from zero (â = pinv(XW)y): double descent in γ₂ only for γ₁ > 1 (peak at γ₂ = 1); for γ₁ < 1 the risk falls to the least-squares value σ²γ₁/(1 − γ₁) and stays. ' +
      'First layer trained with a fixed ‖a‖ = 1: the risk does not depend on γ₂. Lines: our derivation (finite-n variance below the threshold, limit above); values above ' + yMax + ' are off the axes (in the table).';
    const data = columnsTable(cols.columns(), { figure: 'two-layer (a)', n, draws, r, sigma: s, gamma1: gammas, cells: firstMeta(ctx.inputs.secondLayer) });
    const panels = [...PARTS.map((p) => ({ panel: panelOf(p), yTitle: p, yDomain: [0, yMax] as [number, number] })), { panel: 'risk, first layer trained', yTitle: 'risk', yDomain: [0, yMax] as [number, number] }];
    return renderFigure({ spec: spec(panels, gammas, [g2min * 0.95, g2max * 1.05]), table: data, caption, width: 230, height: 220 });
  },
});

/** r and σ as the cells ran them (from the first cell's metadata) */
function noiseOf(values: Parameters<typeof gatheredRows>[0]): { r: number; s: number } {
  const meta = firstMeta(values) as { r?: number; sigma?: number };
  return { r: meta.r ?? 1, s: meta.sigma ?? 0.5 };
}

export const randomFeaturesFigure = defineNode({
  name: 'two-layer/figure-random-features',
  version: 1,
  description: 'figure (b): random features (ReLU), bias, variance and risk against γ₂, with the γ₂ < 1 variance formulas',
  module: import.meta.url,
  params: z.object({ yMax: z.number().positive().default(3) }),
  inputs: { cells: many(table) },
  output: figure,
  async run(ctx) {
    const rows = gatheredRows(ctx.inputs.cells);
    const { gammas, n, draws, g2min, g2max } = sizesOf(rows);
    const { r, s } = noiseOf(ctx.inputs.cells);
    const cols = new LongColumns();
    addSimulation(cols, rows, (p) => p);
    for (const g2 of logGridAvoidingOne(g2min, 0.995, 160)) {
      // independent of γ₁: drawn once, in grey, under the points of every γ₁
      cols.push('variance', 'theory (any γ₁)', 'theory', g2, randomFeaturesVarianceLimit({ gamma2: g2, sigma: s }));
      const h = Math.round(g2 * n);
      if (h < n - 1) cols.push('variance', 'theory (any γ₁)', 'theory, finite n', h / n, randomFeaturesVarianceFiniteN({ n, h, sigma: s }));
    }
    const yMax = ctx.params.yMax;
    const caption =
      `(b) Random features f(x) = aᵀrelu(Wᵀx), second layer trained from zero (â = pinv(relu(XW))y), W_ij ~ N(0, 1/d) fixed; n = ${n}, ${draws} draws per point (mean ± 2 SE), r = ${r}, σ = ${s}; bias and variance exact in x (arc-cosine kernel). ` +
      'Grey: σ²γ₂/(1 − γ₂) (solid) and σ²h/(n − h − 1) (dashed), γ₂ < 1 only. The variance does not depend on γ₁ below γ₂ = 1, peaks at γ₂ → 1 and then falls, depending on γ₁; the bias peaks at γ₂ → 1 and stays bounded beyond. ' +
      `Values above ${yMax} are off the axes (in the table).`;
    const data = columnsTable(cols.columns(), { figure: 'two-layer (b)', n, draws, r, sigma: s, gamma1: gammas, cells: firstMeta(ctx.inputs.cells) });
    const series = [...gammas.map(gammaLabel), 'theory (any γ₁)'];
    const color = { field: 'series', type: 'nominal', title: null, scale: { domain: series, range: [...PALETTE.slice(0, gammas.length), '#555555'] } };
    const panels = PARTS.map((p) => ({ title: p, ...panelLayers({ panel: p, xTitle: 'γ₂ = h/n', yTitle: p, yDomain: [0, yMax], xLog: true, xDomain: [g2min * 0.95, g2max * 1.05], color }) }));
    return renderFigure({ spec: { hconcat: panels, config: { legend: { orient: 'bottom', direction: 'horizontal' } } }, table: data, caption, width: 250, height: 220 });
  },
});
