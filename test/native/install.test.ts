/**
 * The install step never fails `npm ci`: without OpenBLAS (simulated by linking a library that
 * does not exist) or when skipped, it exits 0 and records the reason the loader will report.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';

const script = fileURLToPath(new URL('../../native/scripts/install.cjs', import.meta.url));
const dir = mkdtempSync(join(tmpdir(), 'ff-native-install-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function install(env: Record<string, string>): { status: number | null; stdout: string; record: { built: boolean; reason: string } } {
  const file = join(dir, `${Object.values(env).join('-')}.json`);
  const base = { ...process.env };
  delete base.FEATUREFLOW_NATIVE; // the suite may itself run with the backend switched off
  const r = spawnSync(process.execPath, [script], { encoding: 'utf8', env: { ...base, ...env, FEATUREFLOW_NATIVE_STATUS_FILE: file } });
  return { status: r.status, stdout: r.stdout, record: JSON.parse(readFileSync(file, 'utf8')) as { built: boolean; reason: string } };
}

describe('native install step', () => {
  it('exits 0 and records "OpenBLAS not found" when the library cannot be linked', () => {
    const r = install({ FEATUREFLOW_OPENBLAS_LIB: 'featureflow-no-such-blas' });
    expect(r.status).toBe(0);
    expect(r.record.built).toBe(false);
    expect(r.record.reason).toMatch(/OpenBLAS not found .*install libopenblas-dev/);
    expect(r.stdout).toContain('featureflow native addon: not built');
  });

  it('exits 0 without building when FEATUREFLOW_NATIVE=0', () => {
    const r = install({ FEATUREFLOW_NATIVE: '0' });
    expect(r.status).toBe(0);
    expect(r.record).toMatchObject({ built: false, reason: 'skipped because FEATUREFLOW_NATIVE=0' });
  });
});
