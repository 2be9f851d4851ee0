/**
 * Figure (c): first layer trained from vanishing initialisation. Risk against GD steps (log axis),
 * one panel per γ₁, one line per h (mean over draws); the horizontal line is the formula — for
 * γ₁ < 1 the plateau σ²γ₁/(1 − γ₁) (dashed: its finite-n form σ²d/(n − d − 1)), for γ₁ > 1 the
 * converged r²(1 − 1/γ₁) + σ²/(γ₁ − 1); points mark each h's plateau (◆) and last step (●), ±2 SE.
 */
import { z } from 'zod';
import { defineNode } from '../../../engine/node.ts';
import { figure, many, table } from '../../../engine/ports.ts';
import { columnsTable, tableMetadata } from '../../../engine/table.ts';
import { renderFigure } from '../../plots/index.ts';
import { tableRows } from '../../plots/index.ts';
import { axisStyle, LongColumns, PALETTE } from './common.ts';

interface TrajectoryMeta {
  n: number; d: number; h: number; gamma1: number; draws: number; steps: number; eta: number;
  plateau: { mean: number; sem: number; steps: number[] };
  converged: { mean: number; sem: number };
  theory: { regime: 'plateau' | 'converged'; risk: number; finiteN: number | null } | null;
  assumed: Record<string, string>;
}

const median = (xs: readonly number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

export const vanishingInitFigure = defineNode({
  name: 'two-layer/figure-vanishing-init',
  version: 1,
  description: 'figure (c): risk trajectories from vanishing init, the plateau and the converged value at several h',
  module: import.meta.url,
  params: z.object({ yMax: z.number().positive().default(1.2) }),
  inputs: { trajectories: many(table) },
  output: figure,
  async run(ctx) {
    const cols = new LongColumns();
    const metas = ctx.inputs.trajectories.map((v) => tableMetadata(v.value) as TrajectoryMeta);
    const gammas = [...new Set(metas.map((m) => m.gamma1))].sort((a, b) => a - b);
    const hs = [...new Set(metas.map((m) => m.h))].sort((a, b) => a - b);
    ctx.inputs.trajectories.forEach((v, i) => {
      const m = metas[i]!, panel = `γ₁ = ${m.gamma1}`, series = `h = ${m.h}`;
      for (const row of tableRows(v.value)) cols.push(panel, series, 'trajectory', Number(row.step) + 1, Number(row.riskMean));
      if (m.gamma1 < 1) cols.push(panel, series, 'plateau', median(m.plateau.steps) + 1, m.plateau.mean, m.plateau.sem);
      cols.push(panel, series, 'last step', m.steps + 1, m.converged.mean, m.converged.sem);
      if (m.theory) {
        for (const x of [1, m.steps + 1]) {
          cols.push(panel, 'formula', 'theory', x, m.theory.risk);
          if (m.theory.finiteN !== null) cols.push(panel, 'formula', 'theory, finite n', x, m.theory.finiteN);
        }
      }
    });
    const m0 = metas[0]!;
    const draws = m0.draws, n = m0.n;
    const caption =
      `(c) First layer trained by full-batch GD from vanishing initialisation (${m0.assumed.init}), sigmoid, ${m0.assumed.secondLayer}; n = ${n}, ${draws} draws, ${m0.assumed.step}. ` +
      'γ₁ < 1: the risk sits on the plateau σ²γ₁/(1 − γ₁) (dashed: σ²d/(n − d − 1)), longer for larger h, then the network interpolates and ends higher. ' +
      'γ₁ > 1: it converges to r²(1 − 1/γ₁) + σ²/(γ₁ − 1) at every h. ◆ plateau (end of the linear phase), ● last step, mean ± 2 SE.';
    const data = columnsTable(cols.columns(), { figure: 'two-layer (c)', n, draws, gamma1: gammas, h: hs, runs: metas });
    const series = [...hs.map((h) => `h = ${h}`), 'formula'];
    const color = { field: 'series', type: 'nominal', title: null, scale: { domain: series, range: [...PALETTE.slice(0, hs.length), '#222222'] } };
    const x = { field: 'x', type: 'quantitative', title: 'GD step + 1', scale: { type: 'log', domain: [1, Math.max(...metas.map((m) => m.steps)) + 1], nice: false }, axis: { ...axisStyle, format: '~s' } };
    const y = { field: 'y', type: 'quantitative', title: 'risk E(xᵀθ* − f(x))²', scale: { domain: [0, ctx.params.yMax] }, axis: axisStyle };
    const inside = { filter: `datum.lo >= 0 && datum.hi <= ${ctx.params.yMax}` };
    const where = (g: number, source: string) => [{ filter: `datum.panel === 'γ₁ = ${g}'` }, { filter: `datum.source === '${source}'` }];
    const panel = (g: number) => ({
      title: `γ₁ = ${g}`,
      layer: [
        { transform: where(g, 'trajectory'), mark: { type: 'line', strokeWidth: 1.8, clip: true }, encoding: { x, y, color } },
        { transform: where(g, 'theory'), mark: { type: 'line', strokeWidth: 1.5, clip: true }, encoding: { x, y, color } },
        { transform: where(g, 'theory, finite n'), mark: { type: 'line', strokeWidth: 1.2, strokeDash: [5, 3], clip: true }, encoding: { x, y, color } },
        // points and bars unclipped, kept inside the axes by filters (resvg aborts on a mark clipped away whole)
        { transform: [...where(g, 'plateau'), inside], mark: { type: 'point', shape: 'diamond', filled: true, size: 70 }, encoding: { x, y, color } },
        { transform: [...where(g, 'last step'), inside], mark: { type: 'point', filled: true, size: 50 }, encoding: { x, y, color } },
        { transform: [...where(g, 'plateau'), inside], mark: { type: 'rule' }, encoding: { x, y: { field: 'lo', type: 'quantitative' }, y2: { field: 'hi' }, color } },
        { transform: [...where(g, 'last step'), inside], mark: { type: 'rule' }, encoding: { x, y: { field: 'lo', type: 'quantitative' }, y2: { field: 'hi' }, color } },
      ],
    });
    return renderFigure({ spec: { hconcat: gammas.map(panel), config: { legend: { orient: 'bottom', direction: 'horizontal' } } }, table: data, caption, width: 330, height: 240 });
  },
});
