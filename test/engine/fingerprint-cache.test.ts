/**
 * The fingerprint cache in the store (issue: own project, "start-up"): a rerun reuses what it
 * learnt about the code, and never a fingerprint whose sources, folders or packages moved.
 */
import { afterAll, beforeEach, describe, expect, it } from 'vitest';
import { chmodSync, mkdirSync, mkdtempSync, readdirSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { fingerprintAll } from '../../engine/fingerprint.ts';
import { FingerprintCache, fingerprintCacheDir } from '../../engine/fingerprint-cache.ts';
import { projectRoot } from '../../engine/project.ts';

const dir = join(projectRoot, 'test/fixtures/generated/fingerprint-cache');
const stores = mkdtempSync(join(tmpdir(), 'ff-fpcache-'));
afterAll(() => {
  rmSync(dir, { recursive: true, force: true });
  rmSync(stores, { recursive: true, force: true });
});

/** Write a fixture and age its folder, as if written long ago (the cache distrusts fresh folders). */
function write(name: string, source: string): string {
  const path = join(dir, name);
  writeFileSync(path, source);
  const past = new Date(Date.now() - 60_000);
  utimesSync(dir, past, past);
  return pathToFileURL(path).href;
}

const cacheIn = (name: string, options?: { write?: boolean }) => new FingerprintCache(fingerprintCacheDir(join(stores, name)), options);
const print = async (module: string, cache: FingerprintCache) => (await fingerprintAll([{ module, node: 'n' }], cache))[0]!;

const helper = 'export const scale = (x: number) => x * 2;\n';
const node = `import { scale } from './helper';\nexport const n = { name: 'n', run: () => scale(3) };\n`;

beforeEach(() => {
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
});

describe('the fingerprint cache in the store', () => {
  it('gives a fresh process the same fingerprint the first one computed, from the store', async () => {
    write('helper.ts', helper);
    const mod = write('node.ts', node);
    const first = await print(mod, cacheIn('a'));
    expect(readdirSync(fingerprintCacheDir(join(stores, 'a'))).length).toBeGreaterThan(0);
    const again = await print(mod, cacheIn('a')); // a new cache object: only the disk is shared
    expect(again).toEqual(first);
  });

  it('misses when an imported file changes, and gives the new fingerprint', async () => {
    write('helper.ts', helper);
    const mod = write('node.ts', node);
    const before = await print(mod, cacheIn('b'));
    write('helper.ts', helper.replace('x * 2', 'x * 3'));
    const after = await print(mod, cacheIn('b'));
    expect(after.code).not.toBe(before.code);
    expect(after).toEqual(await print(mod, new FingerprintCache(undefined)));
  });

  it('misses when a new file changes what an import resolves to (./helper: .tsx before .ts)', async () => {
    write('helper.ts', helper);
    const mod = write('node.ts', node);
    const before = await print(mod, cacheIn('c'));
    write('helper.tsx', 'export const scale = (x: number) => x + 100;\n');
    const after = await print(mod, cacheIn('c'));
    expect(Object.keys(after.files).some((f) => f.endsWith('helper.tsx'))).toBe(true);
    expect(after.code).not.toBe(before.code);
  });

  it('treats a torn or edited entry as a miss, never as a fingerprint', async () => {
    write('helper.ts', helper);
    const mod = write('node.ts', node);
    const good = await print(mod, cacheIn('d'));
    const cacheDir = fingerprintCacheDir(join(stores, 'd'));
    for (const f of readdirSync(cacheDir)) writeFileSync(join(cacheDir, f), '{"format":"featureflow-fingerprint-facts/1","seal":"x","body":"{}"}');
    expect(await print(mod, cacheIn('d'))).toEqual(good);
  });

  it('works on a store it may not write: computed afresh, nothing written, no error', async () => {
    write('helper.ts', helper);
    const mod = write('node.ts', node);
    const fresh = await print(mod, cacheIn('e', { write: false }));
    expect(fresh).toEqual(await print(mod, new FingerprintCache(undefined)));
    expect(() => readdirSync(fingerprintCacheDir(join(stores, 'e')))).toThrow(/ENOENT/);
  });

  it.skipIf(process.getuid?.() === 0)('keeps going when the cache folder turns out to be unwritable', async () => {
    write('helper.ts', helper);
    const mod = write('node.ts', node);
    mkdirSync(join(stores, 'f', 'cache'), { recursive: true });
    chmodSync(join(stores, 'f', 'cache'), 0o500);
    await expect(print(mod, cacheIn('f'))).resolves.toMatchObject({ code: expect.any(String) });
  });
});
