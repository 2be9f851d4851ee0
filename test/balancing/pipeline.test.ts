import { describe, expect, it } from 'vitest';
import study, { balancingStudy } from '../../pipelines/data-balancing.ts';
import { isAxisRef } from '../../engine/pipeline.ts';

describe('pipelines/data-balancing.ts', () => {
  it('wires the seven methods, JTT in two phases, the table and both figures', () => {
    expect([...study.steps.keys()]).toEqual(expect.arrayContaining([
      'data', 'train-erm', 'train-suby', 'train-subg', 'train-rwy', 'train-rwg', 'train-gdro', 'jtt-phase-one', 'jtt-set', 'jtt-phase-two', 'table', 'curves', 'decision-map',
    ]));
    expect([...study.outputs.keys()]).toEqual(['table', 'curves', 'decision-map']);
    expect(study.steps.get('table')!.inputs.JTT!.gather).toEqual(['lr', 'weight_decay', 'seed', 'jtt_T', 'jtt_up']);
  });
  it('defaults to the thesis data (γ_noise = 20) at CI size, and every paper-profile override names a real step parameter', () => {
    expect(study.steps.get('data')!.params.gammaNoise).toBe(20);
    expect(study.steps.get('train-erm')!.params.epochs).toBe(50);
    for (const key of Object.keys(study.profiles.paper!.set)) {
      const [step, param] = key.split('.') as [string, string];
      expect(study.steps.get(step), key).toBeDefined();
      expect(step === 'jtt-set' || step === 'jtt-phase-one' || param === 'epochs' || isAxisRef(study.steps.get(step)!.params[param])).toBe(true);
    }
  });
  it("runs a user's embeddings through the same methods, without the synthetic-only decision map", () => {
    const user = balancingStudy({ data: { parquet: '/data/waterbirds.parquet', dataset: 'Waterbirds' }, head: { kind: 'mlp', hidden: 100, bias: true } });
    expect(user.steps.get('data')!.node.name).toBe('balancing/parquet-embeddings');
    expect(user.steps.has('decision-map')).toBe(false);
    expect(user.steps.get('table')!.params.dataset).toBe('Waterbirds');
  });
});
