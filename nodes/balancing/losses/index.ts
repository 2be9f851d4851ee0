/** Loss kinds by name: a new loss is a new file and one line here. */
import { GroupDro } from './gdro.ts';
import { meanLoss } from './mean.ts';
import type { BatchWeighting, LossFactory, LossSpec } from './spec.ts';

const factories: Record<string, LossFactory> = {
  mean: () => meanLoss(),
  gdro: (spec, nGroups) => new GroupDro(spec.eta ?? 0.1, nGroups),
};

export function createLoss(spec: LossSpec, nGroups: number): BatchWeighting {
  const f = factories[spec.kind];
  if (!f) throw new Error(`unknown loss kind "${spec.kind}" (known: ${Object.keys(factories).join(', ')})`);
  return f(spec, nGroups);
}
