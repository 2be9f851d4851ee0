/**
 * Cancelled keys, sent in one message per turn of the event loop (a cancelled run cancels
 * hundreds at once), and flushed before the connection closes so none is lost.
 */
export class CancelBatch {
  private readonly keys = new Set<string>();
  private sending: Promise<void> = Promise.resolve();

  constructor(private readonly send: (keys: readonly string[]) => Promise<void>) {}

  add(key: string): void {
    if (this.keys.size === 0) setImmediate(() => void this.flush());
    this.keys.add(key);
  }

  /** Resolves once everything added so far was sent (or failed: the workers' jobs then fail on their own). */
  flush(): Promise<void> {
    const keys = [...this.keys];
    this.keys.clear();
    if (keys.length > 0) this.sending = this.sending.then(() => this.send(keys).catch(() => undefined));
    return this.sending;
  }
}
