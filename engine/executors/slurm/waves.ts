/**
 * Ready tasks gather into waves: the scheduler starts downstream tasks in a burst when the poll
 * that saw their inputs finish settles them, so a short quiet window collects that burst into
 * one array (one sbatch, one line in squeue) instead of one job per task.
 */
export class WaveBatcher<T> {
  private wave: T[] = [];
  private quiet: NodeJS.Timeout | undefined;
  private deadline: NodeJS.Timeout | undefined;

  constructor(
    private readonly submit: (wave: T[]) => void,
    private readonly options: { readonly quietMs: number; readonly maxWaitMs: number; readonly maxSize: number },
  ) {}

  add(item: T): void {
    this.wave.push(item);
    if (this.wave.length >= this.options.maxSize) return this.flush();
    clearTimeout(this.quiet);
    this.quiet = setTimeout(() => this.flush(), this.options.quietMs);
    this.deadline ??= setTimeout(() => this.flush(), this.options.maxWaitMs);
  }

  /** take an item back before its wave leaves (its task was cancelled); false when it has left */
  remove(item: T): boolean {
    const i = this.wave.indexOf(item);
    if (i < 0) return false;
    this.wave.splice(i, 1);
    return true;
  }

  /** the items not yet sent (the run is over) */
  drain(): T[] {
    clearTimeout(this.quiet);
    clearTimeout(this.deadline);
    this.quiet = this.deadline = undefined;
    return this.wave.splice(0);
  }

  flush(): void {
    clearTimeout(this.quiet);
    clearTimeout(this.deadline);
    this.quiet = this.deadline = undefined;
    const wave = this.wave;
    this.wave = [];
    if (wave.length > 0) this.submit(wave);
  }
}
