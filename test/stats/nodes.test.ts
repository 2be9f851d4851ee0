import { describe, expect, it } from 'vitest';
import { runTyped as runNode } from './run-node.ts';
import { columnsTable } from '../../engine/table.ts';
import { alexanderGovern, alexanderGovernNode, gatheredTestNode, welchAnovaNode, welchTTestNode, welchTTest } from '../../nodes/stats/index.ts';

const data = columnsTable({
  value: [13.75, 14.25, 13.0, 12.75, 13.5, 12.5, 14.0, 12.9],
  city: ['b', 'a', 'b', 'a', 'b', 'a', 'a', 'b'],
});

describe('stats nodes', () => {
  it('alexander-govern node groups a long table by its group column, sorted labels', async () => {
    const r = await runNode(alexanderGovernNode, { params: { groupColumn: 'city' }, inputs: { data } });
    expect(r.groups).toEqual(['a', 'b']);
    const direct = alexanderGovern([[14.25, 12.75, 12.5, 14.0], [13.75, 13.0, 13.5, 12.9]]);
    expect(r.statistic).toBe(direct.statistic);
    expect(r.pvalue).toBe(direct.pvalue);
  });
  it('welch-t-test node passes the alternative through', async () => {
    const r = await runNode(welchTTestNode, { params: { groupColumn: 'city', alternative: 'greater' }, inputs: { data } });
    expect(r.pvalue).toBe(welchTTest([14.25, 12.75, 12.5, 14.0], [13.75, 13.0, 13.5, 12.9], { alternative: 'greater' }).pvalue);
  });
  it('names a missing column', async () => {
    await expect(runNode(welchAnovaNode, { params: { groupColumn: 'town' }, inputs: { data } })).rejects.toThrow(/no column "town"/);
  });
  it('rejects a bad nanPolicy before running', async () => {
    await expect(runNode(welchAnovaNode, { params: { nanPolicy: 'ignore' as never }, inputs: { data } })).rejects.toThrow();
  });
});

describe('stats/gathered-test', () => {
  const values = [
    { cell: { method: 'ERM', seed: 0 }, value: 0.5 }, { cell: { method: 'ERM', seed: 1 }, value: 0.62 }, { cell: { method: 'ERM', seed: 2 }, value: 0.55 },
    { cell: { method: 'SUBG', seed: 0 }, value: 0.9 }, { cell: { method: 'SUBG', seed: 1 }, value: [0.85, 0.97] },
  ];
  it('groups sweep cells by an axis and tests the groups', async () => {
    const r = await runNode(gatheredTestNode, { params: { groupAxis: 'method' }, inputs: { values } });
    expect(r.groups).toEqual(['ERM', 'SUBG']);
    expect(r.statistic).toBe(alexanderGovern([[0.5, 0.62, 0.55], [0.9, 0.85, 0.97]]).statistic);
    const t = await runNode(gatheredTestNode, { params: { groupAxis: 'method', test: 'welch-t-test' }, inputs: { values } });
    expect(t.pvalue).toBe(welchTTest([0.5, 0.62, 0.55], [0.9, 0.85, 0.97]).pvalue);
  });
  it('names a missing axis', async () => {
    await expect(runNode(gatheredTestNode, { params: { groupAxis: 'lr' }, inputs: { values } })).rejects.toThrow(/no axis "lr"/);
  });
});
