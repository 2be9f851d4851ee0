/**
 * `featureflow --help` from a checkout replays what it printed last time (no TypeScript loader),
 * and only while no engine source, package.json, argument or terminal width changed.
 */
import { describe, expect, it } from 'vitest';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
// @ts-expect-error: a plain .mjs module of the bin folder, without declarations
import { helpEntry, recordHelp, replayHelp } from '../../bin/help-cache.mjs';
import { cli, runCli } from '../engine/helpers.ts';

function checkout(): string {
  const root = mkdtempSync(join(tmpdir(), 'ff-help-'));
  mkdirSync(join(root, 'engine', 'cli'), { recursive: true });
  writeFileSync(join(root, 'package.json'), '{"version":"1.0.0"}');
  writeFileSync(join(root, 'engine', 'cli', 'main.ts'), 'export const help = 1;\n');
  return root;
}

describe('the help cache of a checkout', () => {
  it('names a new entry when an engine source, package.json or the arguments change', () => {
    const root = checkout();
    const first = helpEntry(root, ['--help']);
    expect(helpEntry(root, ['--help'])).toBe(first);
    expect(helpEntry(root, ['help', 'run'])).not.toBe(first);
    writeFileSync(join(root, 'engine', 'cli', 'main.ts'), 'export const help = 2;\n');
    const edited = helpEntry(root, ['--help']);
    expect(edited).not.toBe(first);
    writeFileSync(join(root, 'package.json'), '{"version":"1.0.1"}');
    expect(helpEntry(root, ['--help'])).not.toBe(edited);
  });

  it('replays the recorded writes and exit code, and nothing for an entry never recorded', async () => {
    const root = checkout();
    const entry = helpEntry(root, ['--help']);
    expect(replayHelp(entry)).toBe(false);
    const code = await recordHelp(entry, async () => {
      process.stdout.write('');
      return 3;
    });
    expect(code).toBe(3);
    const before = process.exitCode;
    expect(replayHelp(entry)).toBe(true);
    expect(process.exitCode).toBe(3);
    process.exitCode = before;
  });

  it('gives the same text from the cache as from the CLI itself', () => {
    const fresh = runCli(['help', 'plan']);
    const replayed = runCli(['help', 'plan']);
    expect(fresh.code).toBe(0);
    expect(replayed.stdout).toBe(fresh.stdout);
    expect(replayed.stdout).toContain('Usage: featureflow plan');
    expect(cli).toMatch(/featureflow\.mjs$/);
  });
});
