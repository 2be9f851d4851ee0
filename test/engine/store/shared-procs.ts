/**
 * Processes posing as hosts for the shared-store tests (shared-host.ts is what they run): each
 * gets its own FEATUREFLOW_TEST_HOST_ID, a short stale time, and optionally a clock skewed by
 * Debian's faketime (a test whose faketime is missing fails saying so).
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import { projectRoot } from '../../../engine/project.ts';

/** Short enough to keep the tests quick, long enough that a loaded 2-core CI never misses 15 beats in a row. */
export const TEST_STALE_MS = 3_000;

const SCRIPT = join(projectRoot, 'test/engine/store/shared-host.ts');

export interface HostProcess {
  readonly host: string;
  readonly child: ChildProcess;
  /** resolves with the exit code (null when killed) and everything it printed */
  readonly exited: Promise<{ code: number | null; signal: NodeJS.Signals | null; out: string }>;
  /** resolves with the first line it printed */
  readonly firstLine: Promise<string>;
}

export function requireFaketime(): void {
  const probe = spawnSync('faketime', ['-f', '+0', 'true']);
  if (probe.error || probe.status !== 0) throw new Error('faketime is not installed (the skewed-clock host needs it): apt-get install faketime');
}

export function spawnHost(host: string, args: readonly string[], options: { skew?: string; env?: Record<string, string> } = {}): HostProcess {
  const node = [process.execPath, '--import', 'tsx', SCRIPT, ...args];
  const [cmd, ...argv] = options.skew ? ['faketime', '-f', options.skew, ...node] : node;
  const child = spawn(cmd!, argv, {
    cwd: projectRoot,
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, FEATUREFLOW_TEST_HOST_ID: host, FEATUREFLOW_TEST_LOCK_STALE_MS: String(TEST_STALE_MS), ...options.env },
  });
  let out = '';
  let lineSeen: (line: string) => void = () => {};
  const firstLine = new Promise<string>((resolve) => (lineSeen = resolve));
  child.stdout!.on('data', (d) => {
    out += d;
    if (out.includes('\n')) lineSeen(out.slice(0, out.indexOf('\n')));
  });
  child.stderr!.on('data', (d) => (out += d));
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null; out: string }>((resolve) => {
    child.on('close', (code, signal) => {
      lineSeen('');
      resolve({ code, signal, out });
    });
  });
  return { host, child, exited, firstLine };
}
