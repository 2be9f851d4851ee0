/**
 * Every failure of the store is a StoreError that names the path, the store and the fix: a full
 * disk or a directory where a file belongs is the user's to repair, and "ENOSPC" alone says
 * neither where nor how.
 */
export interface StoreErrorDetails {
  /** the file or directory the store failed on */
  readonly path?: string;
  /** the store's root directory */
  readonly store?: string;
  /** the errno code (ENOSPC, EACCES, EISDIR, ELOOP, …) when an OS call failed */
  readonly code?: string;
}

export class StoreError extends Error {
  readonly path: string | undefined;
  readonly store: string | undefined;
  readonly code: string | undefined;
  constructor(message: string, details: StoreErrorDetails = {}) {
    super(message);
    this.name = 'StoreError';
    this.path = details.path;
    this.store = details.store;
    this.code = details.code;
  }
}

/** What the user can do about an errno on a store path. */
export function fixFor(code: string | undefined, path: string): string {
  switch (code) {
    case 'ENOSPC':
    case 'EDQUOT':
      return 'the disk (or quota) holding the store is full: free space, or choose another store with --store DIR';
    case 'EACCES':
    case 'EPERM':
    case 'EROFS':
      return `fix the permissions of ${path}, or choose another store with --store DIR`;
    case 'EISDIR':
    case 'ENOTDIR':
    case 'ELOOP':
      return `the store expected a plain file or directory at ${path}: remove that entry (what it stood for is recomputed)`;
    case 'EMFILE':
    case 'ENFILE':
      return 'too many open files: raise the limit (ulimit -n) or lower --concurrency';
    default:
      return 'check the disk and the store directory, or choose another store with --store DIR';
  }
}

/** Wrap an OS error from `action` on `path` of the store at `store` (a StoreError passes through). */
export function storeFailure(err: unknown, action: string, path: string, store: string): StoreError {
  if (err instanceof StoreError) return err;
  const code = (err as NodeJS.ErrnoException | undefined)?.code;
  const why = code ?? (err instanceof Error ? err.message : String(err));
  return new StoreError(`store ${store}: cannot ${action} ${path} (${why}): ${fixFor(code, path)}`, { path, store, code });
}

/** gc or a run found the other one working on the store. */
export class StoreBusyError extends StoreError {
  constructor(message: string, store: string) {
    super(message, { store });
    this.name = 'StoreBusyError';
  }
}

/** An object whose bytes no longer hash to its name: never used, always recomputed. */
export class CorruptObjectError extends StoreError {
  constructor(readonly hash: string, readonly actual: string) {
    super(`object ${hash.slice(0, 12)}… is corrupt (its bytes hash to ${actual.slice(0, 12)}…)`);
    this.name = 'CorruptObjectError';
  }
}

export class MissingObjectError extends StoreError {
  constructor(readonly hash: string) {
    super(`object ${hash.slice(0, 12)}… is missing from the store`);
    this.name = 'MissingObjectError';
  }
}
