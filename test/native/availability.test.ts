import { spawnSync } from 'node:child_process';
import { appendFileSync, cpSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { BackendUnavailable } from '../../engine/compute/backends.ts';
import { nativeLoad, nativeRequired, skipMessage, skipNative } from './native-available.ts';

describe('native addon availability', () => {
  it.skipIf(!nativeRequired)('is built and loads when FEATUREFLOW_REQUIRE_NATIVE=1', () => {
    expect(nativeLoad.ok, skipMessage).toBe(true);
  });

  it.skipIf(nativeLoad.ok || nativeRequired)(`falls back: ${skipMessage || 'addon present'}`, async () => {
    const { load } = await import('../../compute/linalg-native.ts');
    await expect(load()).rejects.toBeInstanceOf(BackendUnavailable);
  });

  it.skipIf(skipNative)('is chosen ahead of the JS backends when it loads', async () => {
    const { selectLinalg, selectMlp } = await import('../../engine/compute/backends.ts');
    expect((await selectLinalg()).name).toBe('native');
    expect((await selectMlp()).name).toBe('native');
  });

  it('reports FEATUREFLOW_NATIVE=0 as the reason it is unavailable, and the selection falls back', () => {
    const script = `
      import { selectLinalg } from './engine/compute/backends.ts';
      import { load } from './compute/linalg-native.ts';
      const reason = await load().then(() => 'loaded', (e) => e.constructor.name + ': ' + e.reason);
      const chosen = await selectLinalg();
      console.log(JSON.stringify({ reason, chosen: chosen.name, notes: chosen.notes }));`;
    const r = spawnSync(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], {
      encoding: 'utf8',
      env: { ...process.env, FEATUREFLOW_NATIVE: '0' },
    });
    expect(r.status, r.stderr).toBe(0);
    const out = JSON.parse(r.stdout.trim().split('\n').pop()!) as { reason: string; chosen: string; notes: string[] };
    expect(out.reason).toBe('BackendUnavailable: disabled by FEATUREFLOW_NATIVE=0');
    expect(out.chosen).toBe('ml-matrix');
    expect(out.notes.join('\n')).toContain('linalg backend native not used: disabled by FEATUREFLOW_NATIVE=0');
  });

  it.skipIf(skipNative)('refuses a build left over from other sources, naming the rebuild command', () => {
    const nativeDir = fileURLToPath(new URL('../../native/', import.meta.url));
    const copy = mkdtempSync(join(tmpdir(), 'ff-native-stale-'));
    try {
      for (const part of ['index.cjs', 'scripts', 'src', 'binding.gyp', 'build-status.json', 'build/Release/featureflow_native.node']) {
        cpSync(join(nativeDir, part), join(copy, part), { recursive: true });
      }
      const probe = () => {
        const r = spawnSync(process.execPath, ['-e', `const r = require(${JSON.stringify(join(copy, 'index.cjs'))}).loadNative(); console.log(JSON.stringify({ ok: r.ok, reason: r.reason }))`], {
          encoding: 'utf8',
          env: { ...process.env, FEATUREFLOW_NATIVE: '' },
        });
        expect(r.status, r.stderr).toBe(0);
        return JSON.parse(r.stdout) as { ok: boolean; reason?: string };
      };
      expect(probe()).toEqual({ ok: true });
      appendFileSync(join(copy, 'src', 'quadratic.c'), '\n/* edited after the build */\n');
      const stale = probe();
      expect(stale.ok).toBe(false);
      expect(stale.reason).toMatch(/out of date .*`node \S+scripts\/install\.cjs --verbose`/);
    } finally {
      rmSync(copy, { recursive: true, force: true });
    }
  });
});
