/**
 * Task keys. A key is the hash of everything that can change a task's output bytes; each part is
 * kept separately in the task record so `plan` and `explain` can say which one changed.
 */
import { hashParts } from './hash.ts';
import { canonicalJson } from './canonical.ts';

/** bumped whenever the key's meaning changes, so an older store is never misread (docs/key-spec.md) */
export const KEY_DOMAIN = 'featureflow/task/v2';

export interface KeyComponents {
  readonly node: string;
  /** the step's name: with the params it seeds the task's random source */
  readonly step: string;
  readonly version: number;
  /** normalised code hash of the node's module graph */
  readonly code: string;
  /** hash of the installed versions of the packages that graph imports */
  readonly deps: string;
  /** canonical JSON of the validated params, defaults filled in */
  readonly params: string;
  /** input name → content hash (gathered inputs: the hashes in cell order) */
  readonly inputs: Readonly<Record<string, string | readonly string[]>>;
  /** backend kind → name, for nodes that declare backends */
  readonly backends: Readonly<Record<string, string>>;
}

export function taskKey(c: KeyComponents): string {
  return hashParts([
    ['domain', KEY_DOMAIN],
    ['node', c.node],
    ['step', c.step],
    ['version', String(c.version)],
    ['code', c.code],
    ['deps', c.deps],
    ['params', c.params],
    ['inputs', canonicalJson(c.inputs)],
    ['backends', canonicalJson(c.backends)],
  ]);
}

export type KeyChange = 'node' | 'step' | 'version' | 'code' | 'deps' | 'params' | 'inputs' | 'backends';

/** Which parts differ between two component sets, in the order a user cares about. */
export function keyChanges(before: KeyComponents, after: KeyComponents): KeyChange[] {
  const changes: KeyChange[] = [];
  if (before.node !== after.node) changes.push('node');
  if (before.step !== after.step) changes.push('step');
  if (before.version !== after.version) changes.push('version');
  if (before.params !== after.params) changes.push('params');
  if (before.code !== after.code) changes.push('code');
  if (before.deps !== after.deps) changes.push('deps');
  if (canonicalJson(before.inputs) !== canonicalJson(after.inputs)) changes.push('inputs');
  if (canonicalJson(before.backends) !== canonicalJson(after.backends)) changes.push('backends');
  return changes;
}
