/**
 * Issue 11, point 5: the canonical encoding has tags that no user value can imitate, and JSON
 * ports give back exactly what a node returned (typed arrays, bigints, −0, NaN, ±Infinity), or
 * refuse it at the node boundary naming the node and the field.
 */
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { z } from 'zod';
import { canonicalJson, decodeJsonValue, encodeJsonValue } from '../../../engine/canonical.ts';
import { sha256 } from '../../../engine/hash.ts';
import { defineNode } from '../../../engine/node.ts';
import { definePipeline } from '../../../engine/pipeline.ts';
import { json } from '../../../engine/ports.ts';
import { ofType, runAll, summaryOf, tempStore } from '../helpers.ts';

const tagLikeKey = fc.oneof(fc.string({ maxLength: 6 }), fc.constantFrom('$bigint', '$typed', '$bytes', '$number', '$$typed', '$$bigint', '$', '$$', '__proto__'));
const leaf = fc.oneof(
  fc.string({ maxLength: 8 }),
  fc.double(),
  fc.boolean(),
  fc.constant(null),
  fc.bigInt(),
  fc.float64Array({ maxLength: 4 }),
  fc.float32Array({ maxLength: 4 }),
  fc.int32Array({ maxLength: 4 }),
  fc.uint8Array({ maxLength: 4 }),
);
const { value } = fc.letrec((tie) => ({
  value: fc.oneof({ depthSize: 'small', withCrossShrink: true }, leaf, fc.array(tie('value'), { maxLength: 3 }), fc.dictionary(tagLikeKey, tie('value'), { maxKeys: 4, noNullPrototype: true })),
}));

describe('the canonical encoding', () => {
  it('never gives a bigint and an object shaped like its tag the same bytes', () => {
    expect(canonicalJson({ x: 5n })).not.toBe(canonicalJson({ x: { $bigint: '5' } }));
    expect(canonicalJson(Float64Array.of(1))).not.toBe(canonicalJson({ $typed: 'Float64Array', $bytes: Buffer.from(Float64Array.of(1).buffer).toString('base64') }));
  });

  it('round-trips every value, tag-shaped objects included, so distinct values have distinct encodings', () => {
    fc.assert(
      fc.property(value, (v) => {
        expect(decodeJsonValue(encodeJsonValue(v))).toStrictEqual(v);
      }),
      { numRuns: 500 },
    );
  });

  it('gives distinct params distinct canonical text (−0 is 0, as the key spec says)', () => {
    const params = value.filter((v) => {
      try {
        canonicalJson(v);
        return true;
      } catch {
        return false; // NaN and ±Infinity are refused in params
      }
    });
    fc.assert(
      fc.property(params, params, (a, b) => {
        const same = canonicalJson(a) === canonicalJson(b);
        const normalise = (v: unknown) => decodeJsonValue(encodeJsonValue(decodeJsonValue(canonicalJson(v))));
        if (same) expect(normalise(a)).toStrictEqual(normalise(b));
      }),
      { numRuns: 300 },
    );
  });
});

describe('json ports', () => {
  const curve = defineNode({
    name: 'encoding/curve',
    version: 1,
    module: import.meta.url,
    params: z.object({}),
    inputs: {},
    output: json<{ curve: Float64Array; n: bigint; gap: number }>(),
    run: () => ({ curve: Float64Array.of(0.5, -0, Number.NaN), n: 7n, gap: Number.POSITIVE_INFINITY }),
  });
  const reader = defineNode({
    name: 'encoding/reader',
    version: 1,
    module: import.meta.url,
    params: z.object({}),
    inputs: { c: curve.output },
    output: json<string>(),
    run: ({ inputs }) => `${inputs.c.curve.constructor.name}:${inputs.c.curve.length}:${typeof inputs.c.n}:${inputs.c.gap}`,
  });
  const badOutput = defineNode({
    name: 'encoding/bad-output',
    version: 1,
    module: import.meta.url,
    params: z.object({}),
    inputs: {},
    output: json<{ lookup: Map<string, number> }>(),
    run: () => ({ lookup: new Map([['a', 1]]) }),
  });

  it('give a downstream node the typed array, bigint and infinity its upstream returned', async () => {
    const p = definePipeline({ name: 'encoding', description: '', module: import.meta.url });
    p.output('r', p.step('read', reader, { inputs: { c: p.step('curve', curve, {}) } }));
    const events = await runAll(p, { store: tempStore(), executor: 'in-process' });
    expect(ofType(events, 'task-failed')).toEqual([]);
    const done = ofType(events, 'task-done').find((e) => e.task === 'read')!;
    expect(summaryOf(events).computed).toBe(2);
    // the reader's output is the canonical text of what it saw
    expect(done.output).toBe(sha256(JSON.stringify('Float64Array:3:bigint:Infinity')));
  });

  it('refuse a value they cannot store, naming the node and the field', async () => {
    const p = definePipeline({ name: 'encoding-bad', description: '', module: import.meta.url });
    p.output('b', p.step('bad', badOutput, {}));
    const events = await runAll(p, { store: tempStore(), executor: 'in-process' });
    const failed = ofType(events, 'task-failed');
    expect(failed).toHaveLength(1);
    expect(failed[0]!.error).toMatch(/node encoding\/bad-output .*output\.lookup: an instance of Map/);
  });
});

describe('sparse arrays', () => {
  it('are refused (a hole is undefined), never written as invalid JSON', () => {
    // eslint-disable-next-line no-sparse-arrays
    expect(() => encodeJsonValue([1, , 3])).toThrow(/\[1\]: undefined/);
    // eslint-disable-next-line no-sparse-arrays
    expect(() => canonicalJson({ a: [, 1] })).toThrow(/a\[0\]: undefined/);
  });
});
