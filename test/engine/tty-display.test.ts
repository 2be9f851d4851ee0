/**
 * Issue 13, point 7: on a terminal, the live display shows an overall bar and a bar for each task
 * that is really running — never bars of queued or finished tasks. Checked on a real
 * pseudo-terminal (`script`), rendered by a headless terminal emulator (@xterm/headless) mid-run.
 */
import { describe, expect, it } from 'vitest';
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import xterm from '@xterm/headless';
import { cli, slowPipelinePath, tempStore } from './helpers.ts';

function screenOf(term: InstanceType<typeof xterm.Terminal>): string[] {
  const buf = term.buffer.active;
  const lines: string[] = [];
  for (let i = 0; i < buf.length; i++) lines.push(buf.getLine(i)?.translateToString(true) ?? '');
  return lines.filter((l) => l.trim() !== '');
}

describe.runIf(existsSync('/usr/bin/script'))('the live display on a terminal', () => {
  it('shows a bar only for each running task, and clears them at the end', async () => {
    const term = new xterm.Terminal({ cols: 120, rows: 40, allowProposedApi: true });
    const cmd = `${process.execPath} ${cli} run ${slowPipelinePath} --store ${tempStore()} --no-results -j 2 --set noise.sleepMs=400`;
    const child = spawn('script', ['-qfec', cmd, '/dev/null'], { stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, COLUMNS: '120', LINES: '40' } });
    const snapshots: string[][] = [];
    let pending = Promise.resolve();
    child.stdout.on('data', (d: Buffer) => {
      pending = pending.then(() => new Promise<void>((r) => term.write(d, r)));
    });
    const timer = setInterval(() => void pending.then(() => snapshots.push(screenOf(term))), 150);
    await new Promise<void>((r) => child.on('exit', () => r()));
    clearInterval(timer);
    await pending;
    const taskBar = /\| \d+\/100 \| noise\[/;
    const midRun = snapshots.filter((s) => s.some((l) => /\| \d+\/13 \| all tasks/.test(l)));
    expect(midRun.length, 'the overall bar was never on screen').toBeGreaterThan(0);
    for (const s of midRun) expect(s.filter((l) => taskBar.test(l)).length, s.join('\n')).toBeLessThanOrEqual(2);
    expect(midRun.some((s) => s.some((l) => taskBar.test(l)))).toBe(true);
    const end = screenOf(term);
    expect(end.some((l) => taskBar.test(l))).toBe(false);
    expect(end.join('\n')).toMatch(/slow: 13 computed, 0 cached, 0 failed, 0 skipped/);
  }, 60_000);
});
