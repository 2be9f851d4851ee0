import { describe, expect, it } from 'vitest';
import { runTyped as runNode } from './run-node.ts';
import { columnsTable } from '../../engine/table.ts';
import { alexanderGovern, alexanderGovernNode, welchAnovaNode, welchTTestNode, welchTTest } from '../../nodes/stats/index.ts';

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
