import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';

/**
 * The first `dir/<name>`, `dir/../<name>`, … that exists, up to the filesystem root; `name` may
 * be a relative path (`node_modules/zod/package.json`). The module hooks keep their own copy
 * (engine/ts-loader/cache-key.mjs): they run where TypeScript cannot be loaded yet.
 */
export function findUp(dir: string, name: string): string | undefined {
  for (;;) {
    const candidate = join(dir, name);
    if (existsSync(candidate)) return candidate;
    const parent = dirname(dir);
    if (parent === dir) return undefined;
    dir = parent;
  }
}
