import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { spawn, spawnSync } from 'node:child_process';
import { lastValueFrom, toArray } from 'rxjs';
import { run, type RunOptions } from '../../engine/run.ts';
import type { RunEvent, SummaryEvent } from '../../engine/events.ts';
import type { Pipeline } from '../../engine/pipeline.ts';
import { projectRoot } from '../../engine/project.ts';

export const tinyPipelinePath = join(projectRoot, 'test/fixtures/pipelines/tiny.ts');
export const slowPipelinePath = join(projectRoot, 'test/fixtures/pipelines/slow.ts');
export const cli = join(projectRoot, 'bin/featureflow.mjs');

export function tempStore(): string {
  return mkdtempSync(join(tmpdir(), 'ff-store-'));
}

export async function runAll(pipeline: Pipeline | string, options: RunOptions): Promise<RunEvent[]> {
  return lastValueFrom(run(pipeline, { fsync: false, ...options }).pipe(toArray()));
}

export function summaryOf(events: readonly RunEvent[]): SummaryEvent {
  const s = events.find((e) => e.type === 'summary');
  if (!s || s.type !== 'summary') throw new Error('no summary event');
  return s;
}

export function ofType<T extends RunEvent['type']>(events: readonly RunEvent[], type: T): Extract<RunEvent, { type: T }>[] {
  return events.filter((e) => e.type === type) as Extract<RunEvent, { type: T }>[];
}

export function runCli(args: string[], options: { cwd?: string } = {}) {
  const r = spawnSync(process.execPath, [cli, ...args], { cwd: options.cwd ?? projectRoot, encoding: 'utf8', timeout: 120_000 });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

export function spawnCli(args: string[]) {
  return spawn(process.execPath, [cli, ...args], { cwd: projectRoot, stdio: ['ignore', 'pipe', 'pipe'] });
}

export function jsonLines(stdout: string): RunEvent[] {
  return stdout
    .split('\n')
    .filter((l) => l.startsWith('{'))
    .map((l) => JSON.parse(l) as RunEvent);
}
