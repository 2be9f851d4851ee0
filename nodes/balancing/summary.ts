/**
 * From many runs of one method to the thesis' number: for each hyper-parameter configuration
 * (a sweep cell without its seed), average the selection score over seeds; take the best
 * configuration; report its test worst-group accuracy per seed, mean and std (ddof 1).
 */
import type { ParamScalar } from '../../engine/ports.ts';
import { worstGroup } from './train/evaluate.ts';
import type { TrainingRun } from './train/run.ts';
import { selectEpoch, selectionScore, type Selector } from './train/selection.ts';

export interface RunCell {
  readonly cell: Readonly<Record<string, ParamScalar>>;
  readonly value: TrainingRun;
}

export interface MethodResult {
  readonly method: string;
  readonly usesAttributes: boolean;
  readonly selector: Selector;
  /** the chosen configuration's sweep coordinates (seed excluded) */
  readonly config: Readonly<Record<string, ParamScalar>>;
  /** mean validation selection score of that configuration */
  readonly validationScore: number;
  readonly seeds: readonly ParamScalar[];
  readonly selectedEpochs: readonly number[];
  /** test worst-group accuracy of each seed at its selected epoch */
  readonly testWorstGroup: readonly number[];
  readonly mean: number;
  /** sample standard deviation (ddof 1); undefined with fewer than 2 seeds */
  readonly std: number | undefined;
  readonly configsTried: number;
}

function configKey(cell: Readonly<Record<string, ParamScalar>>, seedAxis: string): string {
  return JSON.stringify(Object.keys(cell).filter((k) => k !== seedAxis).sort().map((k) => [k, cell[k]]));
}

/** The validation score used to compare configurations (for 'last', the last epoch's worst-group accuracy). */
function configScore(run: TrainingRun, sel: Selector, epoch: number): number {
  return sel === 'last' ? worstGroup(run.groupAccuracy.val[epoch]!) : selectionScore(run, sel, epoch);
}

export function sampleStd(xs: readonly number[]): number | undefined {
  if (xs.length < 2) return undefined;
  const m = xs.reduce((s, x) => s + x, 0) / xs.length;
  return Math.sqrt(xs.reduce((s, x) => s + (x - m) ** 2, 0) / (xs.length - 1));
}

export function summariseMethod(method: { name: string; usesAttributes: boolean }, runs: readonly RunCell[], sel: Selector, seedAxis = 'seed'): MethodResult {
  if (runs.length === 0) throw new Error(`${method.name}: no runs to summarise`);
  const byConfig = new Map<string, RunCell[]>();
  for (const r of runs) {
    const key = configKey(r.cell, seedAxis);
    let list = byConfig.get(key);
    if (!list) byConfig.set(key, (list = []));
    list.push(r);
  }
  let best: { key: string; score: number } | undefined;
  for (const key of [...byConfig.keys()].sort()) {
    const cells = byConfig.get(key)!;
    const score = cells.reduce((s, c) => s + configScore(c.value, sel, selectEpoch(c.value, sel)), 0) / cells.length;
    if (!best || score > best.score) best = { key, score };
  }
  const chosen = [...byConfig.get(best!.key)!].sort((a, b) => String(a.cell[seedAxis]).localeCompare(String(b.cell[seedAxis]), 'en', { numeric: true }));
  const epochs = chosen.map((c) => selectEpoch(c.value, sel));
  const test = chosen.map((c, i) => worstGroup(c.value.groupAccuracy.test[epochs[i]!]!));
  const config = Object.fromEntries(Object.entries(chosen[0]!.cell).filter(([k]) => k !== seedAxis));
  return {
    method: method.name,
    usesAttributes: method.usesAttributes,
    selector: sel,
    config,
    validationScore: best!.score,
    seeds: chosen.map((c) => c.cell[seedAxis] ?? null),
    selectedEpochs: epochs,
    testWorstGroup: test,
    mean: test.reduce((s, x) => s + x, 0) / test.length,
    std: sampleStd(test),
    configsTried: byConfig.size,
  };
}
