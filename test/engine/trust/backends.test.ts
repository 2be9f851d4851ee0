/**
 * Issue 11, point 4: the coordinator chooses each backend once; a worker loads exactly that
 * choice or fails naming it, and what changes a backend's bytes (the BLAS thread count) is in
 * the key.
 */
import { describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import { projectRoot } from '../../../engine/project.ts';
import { loadChosenBackend, selectLinalg } from '../../../engine/compute/backends.ts';
import { native } from '../../../native/load.ts';

function inChild(source: string, env: Record<string, string>) {
  const r = spawnSync(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', source], { cwd: projectRoot, encoding: 'utf8', env: { ...process.env, ...env }, timeout: 60_000 });
  return { code: r.status, out: r.stdout.trim(), err: r.stderr.trim() };
}

const nativeBuilt = native.loadNative().ok;

describe('backends decided once', () => {
  it('a worker whose addon does not load fails the task naming the backend, never falling back', () => {
    const r = inChild(
      `import { loadChosenBackend } from './engine/compute/backends.ts';
       await loadChosenBackend('linalg', { name: 'native', identity: 'native[blas-threads=1]' }).then(
         (b) => console.log('LOADED ' + b.name), (e) => console.log('FAILED ' + e.message));`,
      { FEATUREFLOW_NATIVE: '0' },
    );
    expect(r.out).toMatch(/^FAILED the run chose linalg backend native, but it does not load here: .*FEATUREFLOW_NATIVE=0/);
  });

  it('a worker with another configuration of the chosen backend refuses it', async () => {
    await expect(loadChosenBackend('linalg', { name: 'ml-matrix', identity: 'ml-matrix[something-else]' })).rejects.toThrow(/chose linalg backend ml-matrix\[something-else\], but here it is ml-matrix/);
    await expect(loadChosenBackend('linalg', { name: 'ml-matrix', identity: 'ml-matrix' })).resolves.toBeDefined();
  });

  it.runIf(nativeBuilt)('puts the BLAS thread count into the native backend identity that keys use', async () => {
    expect((await selectLinalg(['native'])).identity).toBe('native[blas-threads=1]');
    const r = inChild(
      `import { selectLinalg } from './engine/compute/backends.ts';
       console.log((await selectLinalg(['native'])).identity);`,
      { FEATUREFLOW_BLAS_THREADS: '2' },
    );
    expect(r.out).toBe('native[blas-threads=2]');
  });

  it.skipIf(nativeBuilt)('(native addon not built here: the BLAS thread identity test needs it)', () => {
    expect(nativeBuilt).toBe(false);
  });
});
