/**
 * Real filesystems for fault tests: a tiny tmpfs (a full disk) and a read-only bind mount. Both
 * need root (CI runs as root); `mounted` is false, with the reason, where mounting is not allowed,
 * and the test that needs it says so and skips.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface Mount {
  readonly mounted: boolean;
  readonly dir: string;
  readonly reason: string;
  unmount(): void;
}

function mountWith(dir: string, steps: string[][]): Mount {
  for (const args of steps) {
    const r = spawnSync('mount', args, { encoding: 'utf8' });
    if (r.status !== 0) {
      spawnSync('umount', [dir]);
      return { mounted: false, dir, reason: `mount ${args.join(' ')}: ${(r.stderr || r.error?.message || 'failed').trim()}`, unmount() {} };
    }
  }
  return {
    mounted: true,
    dir,
    reason: '',
    unmount() {
      spawnSync('umount', ['-l', dir]);
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** A tmpfs of `size` (e.g. '2m') at a fresh directory. */
export function smallTmpfs(size: string): Mount {
  const dir = mkdtempSync(join(tmpdir(), 'ff-tmpfs-'));
  return mountWith(dir, [['-t', 'tmpfs', '-o', `size=${size}`, 'tmpfs', dir]]);
}

/** A tmpfs for a test, or the test skipped with a line saying why (mount it inside the test: a skipped suite runs no afterAll). */
export function tmpfsOrSkip(ctx: { skip(): void }, size: string, what: string): Mount {
  const disk = smallTmpfs(size);
  if (!disk.mounted) {
    console.warn(`skipped: ${what} mounts a tmpfs, which needs root (CI runs as root): ${disk.reason}`);
    ctx.skip();
  }
  return disk;
}

/** `source` again, read-only, at a fresh directory. */
export function readOnlyView(source: string): Mount {
  const dir = mkdtempSync(join(tmpdir(), 'ff-ro-'));
  return mountWith(dir, [['--bind', source, dir], ['-o', 'remount,ro,bind', dir]]);
}
