/** What the supervisor tells a live-run child: passed as JSON in its environment. */
export interface LiveChildOptions {
  readonly pipeline: string;
  readonly store: string;
  readonly overrides: readonly (readonly [string, unknown])[];
  readonly profile?: string;
  readonly backend?: readonly string[];
  readonly until?: readonly string[];
  readonly executor: string;
  readonly concurrency?: number;
  readonly failFast?: boolean;
  readonly durability: string;
  readonly runNumber: number;
  /** 'page': send LiveMessages to the parent; 'console': print progress (run --watch) */
  readonly mode: 'page' | 'console';
  readonly quiet?: boolean;
  /** run --watch: where each run writes its named outputs (as `run` does); absent: none */
  readonly results?: string;
  /** the `--set` flags as given, for writing the outputs with the same settings */
  readonly set?: readonly string[];
  readonly verbose?: boolean;
}

export const CHILD_OPTIONS_ENV = 'FEATUREFLOW_LIVE_RUN';
