/**
 * A private redis-server per test file (random port, no persistence), and `featureflow worker`
 * processes. Without redis-server the Redis tests say so: they fail in CI (process.env.CI) and
 * are skipped elsewhere.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { appendFileSync, readFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { cli } from '../engine/helpers.ts';
import { projectRoot } from '../../engine/project.ts';

export const haveRedis = spawnSync('redis-server', ['--version']).status === 0;
export const REDIS_MISSING = 'redis-server is not installed (Debian/Ubuntu: apt-get install redis-server): the Redis pool tests cannot run';

/** In CI a missing redis-server fails the suite; elsewhere the Redis tests are skipped. */
export function requireRedisInCi(): void {
  if (!haveRedis && process.env.CI) throw new Error(REDIS_MISSING);
  if (!haveRedis) console.warn(`skipped: ${REDIS_MISSING}`);
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.listen(0, '127.0.0.1', () => {
      const port = (s.address() as { port: number }).port;
      s.close(() => resolve(port));
    });
    s.on('error', reject);
  });
}

export interface TestRedis {
  readonly url: string;
  /** kill -9 and start again on the same port, empty (no persistence): what a crash loses */
  restart(downMs: number): Promise<void>;
  stop(): void;
}

async function untilPong(port: number): Promise<void> {
  for (let i = 0; i < 100; i++) {
    if (spawnSync('redis-cli', ['-p', String(port), 'ping'], { encoding: 'utf8' }).stdout?.trim() === 'PONG') return;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`redis-server on port ${port} did not answer`);
}

export async function startRedis(): Promise<TestRedis> {
  const port = await freePort();
  let server: ChildProcess;
  const start = async () => {
    server = spawn('redis-server', ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'], { stdio: 'ignore' });
    await untilPong(port);
  };
  await start();
  return {
    url: `redis://127.0.0.1:${port}`,
    async restart(downMs: number) {
      const exited = new Promise((r) => server.once('exit', r));
      server.kill('SIGKILL');
      await exited;
      await new Promise((r) => setTimeout(r, downMs));
      await start();
    },
    stop: () => server.kill('SIGKILL'),
  };
}

export interface TestWorker {
  readonly child: ChildProcess;
  /** resolves once the worker listens */
  readonly ready: Promise<void>;
  log(): string;
  stop(): Promise<void>;
}

/** `featureflow worker` in its own process; its lines go to a log file the test can read. */
export function startWorker(o: { url: string; store: string; project?: string; jobs?: number; lockMs?: number; logFile: string }): TestWorker {
  const args = [cli, 'worker', '--redis', o.url, '--store', o.store, '-j', String(o.jobs ?? 1), ...(o.project ? ['--project', o.project] : [])];
  const child = spawn(process.execPath, args, {
    cwd: projectRoot,
    stdio: ['ignore', 'ignore', 'pipe'],
    env: { ...process.env, ...(o.lockMs ? { FEATUREFLOW_REDIS_LOCK_MS: String(o.lockMs) } : {}) },
  });
  const ready = new Promise<void>((resolve, reject) => {
    child.stderr!.on('data', (d: Buffer) => {
      appendFileSync(o.logFile, d);
      if (d.toString().includes('listening on')) resolve();
    });
    child.once('exit', (code) => reject(new Error(`worker exited with ${code}: ${readFileSync(o.logFile, 'utf8')}`)));
  });
  return {
    child,
    ready,
    log: () => readFileSync(o.logFile, 'utf8'),
    async stop() {
      if (child.exitCode !== null || child.signalCode !== null) return;
      const exited = new Promise((r) => child.once('exit', r));
      child.kill('SIGTERM');
      // a worker whose Redis is gone cannot finish closing: the test does not wait for it
      const timer = setTimeout(() => child.kill('SIGKILL'), 3_000);
      await exited;
      clearTimeout(timer);
    },
  };
}

/** How often each cell of the counted fixture started and ended, from its side file. */
export function computations(logFile: string): { starts: Map<number, number>; ends: Map<number, number> } {
  const starts = new Map<number, number>();
  const ends = new Map<number, number>();
  let text = '';
  try {
    text = readFileSync(logFile, 'utf8');
  } catch {
    // nothing computed yet
  }
  for (const line of text.split('\n')) {
    const [what, i] = line.split(' ');
    const m = what === 'start' ? starts : what === 'end' ? ends : undefined;
    m?.set(Number(i), (m.get(Number(i)) ?? 0) + 1);
  }
  return { starts, ends };
}
