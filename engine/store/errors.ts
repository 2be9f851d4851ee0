export class StoreError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'StoreError';
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
