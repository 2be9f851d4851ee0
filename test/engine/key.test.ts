import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { keyChanges, taskKey, type KeyComponents } from '../../engine/key.ts';

const hex = fc.stringMatching(/^[0-9a-f]{8}$/);
const components: fc.Arbitrary<KeyComponents> = fc.record({
  node: fc.constantFrom('a/node', 'b/node'),
  step: fc.constantFrom('train', 'eval'),
  version: fc.nat(5),
  code: hex,
  deps: hex,
  params: fc.jsonValue().map((v) => JSON.stringify(v) ?? 'null'),
  inputs: fc.dictionary(fc.constantFrom('x', 'y'), fc.oneof(hex, fc.array(hex, { maxLength: 3 }))),
  backends: fc.dictionary(fc.constantFrom('linalg', 'mlp'), fc.constantFrom('native', 'ml-matrix', 'wasm')),
});

const mutations: Array<[string, (c: KeyComponents) => KeyComponents]> = [
  ['node', (c) => ({ ...c, node: `${c.node}-x` })],
  ['step', (c) => ({ ...c, step: `${c.step}-x` })],
  ['version', (c) => ({ ...c, version: c.version + 1 })],
  ['code', (c) => ({ ...c, code: `${c.code}0` })],
  ['deps', (c) => ({ ...c, deps: `${c.deps}0` })],
  ['params', (c) => ({ ...c, params: `${c.params} ` })],
  ['inputs', (c) => ({ ...c, inputs: { ...c.inputs, z: 'ffff' } })],
  ['backends', (c) => ({ ...c, backends: { ...c.backends, other: 'x' } })],
];

describe('task keys', () => {
  it('are a pure function of their components', () => {
    fc.assert(fc.property(components, (c) => taskKey(c) === taskKey(structuredClone(c))));
  });

  it.each(mutations)('change when only the %s changes, and keyChanges names it', (name, mutate) => {
    fc.assert(
      fc.property(components, (c) => {
        const d = mutate(c);
        return taskKey(c) !== taskKey(d) && keyChanges(c, d).includes(name as never);
      }),
    );
  });

  it('do not depend on the order of input names', () => {
    const c: KeyComponents = { node: 'n', step: 's', version: 1, code: 'c', deps: 'd', params: '{}', inputs: { a: '1', b: '2' }, backends: {} };
    expect(taskKey(c)).toBe(taskKey({ ...c, inputs: { b: '2', a: '1' } }));
  });

  it('treat the order of gathered inputs as meaningful', () => {
    const c: KeyComponents = { node: 'n', step: 's', version: 1, code: 'c', deps: 'd', params: '{}', inputs: { a: ['1', '2'] }, backends: {} };
    expect(taskKey(c)).not.toBe(taskKey({ ...c, inputs: { a: ['2', '1'] } }));
  });
});
