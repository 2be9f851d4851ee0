/**
 * Thrown by a backend's loader when it cannot run here; `reason` is shown to the user. In its own
 * module so that backend implementations do not import the selection list (backends.ts), which
 * would put every backend's code into every backend-using node's fingerprint.
 */
export class BackendUnavailable extends Error {
  constructor(readonly backend: string, readonly reason: string) {
    super(`backend ${backend} unavailable: ${reason}`);
    this.name = 'BackendUnavailable';
  }
}
