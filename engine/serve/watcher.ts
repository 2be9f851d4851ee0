/**
 * Saves in a project, coalesced: node's recursive fs.watch (no dependency; Linux since Node 20)
 * with a debounce, since an editor's save is several events (write, rename, chmod). What the
 * engine writes (the store, results, node_modules, .git) is ignored.
 */
import { watch, type FSWatcher } from 'node:fs';
import { join, relative, resolve, sep } from 'node:path';

export interface ProjectWatcher {
  close(): void;
}

export function watchProject(root: string, ignore: readonly string[], onChange: (paths: string[]) => void, debounceMs = 200): ProjectWatcher {
  const ignored = [...ignore.map((p) => resolve(p)), ...['node_modules', '.git', 'test-output'].map((d) => join(root, d))];
  const isIgnored = (abs: string) => ignored.some((i) => abs === i || abs.startsWith(i + sep)) || /(^|[/\\])(\.#|#|~$)|\.swp$|~$/.test(abs);
  let pending = new Set<string>();
  let timer: NodeJS.Timeout | undefined;
  const watcher: FSWatcher = watch(root, { recursive: true }, (_event, name) => {
    if (!name) return;
    const abs = join(root, name.toString());
    if (isIgnored(abs)) return;
    pending.add(relative(root, abs));
    clearTimeout(timer);
    timer = setTimeout(() => {
      const paths = [...pending];
      pending = new Set();
      onChange(paths);
    }, debounceMs);
  });
  return {
    close() {
      clearTimeout(timer);
      watcher.close();
    },
  };
}
