/**
 * Worker mode. A worker imports the module that defines a node to find it; that import runs the
 * module's top-level code, which in a script may build a pipeline and call `run()`. Inside a
 * worker such a `run()` must start nothing: it returns a stream that never emits, and tells the
 * node lookup that the module has got as far as it will (every node it defines is registered).
 */
// kept on globalThis: a copy of featureflow loaded twice (sources and a build) must agree
interface WorkerModeState {
  on: boolean;
  readonly inertRunListeners: Set<() => void>;
  /** the pipelines that inert runs were given, by name */
  readonly inertPipelines: Map<string, InertPipeline>;
  /** how many inert runs there have been (a lookup compares before and after its import) */
  inertRuns: number;
}

/** What a node lookup needs of a pipeline an inert run was given: its steps' nodes. */
export interface InertPipeline {
  readonly name: string;
  readonly steps: ReadonlyMap<string, { readonly node: { readonly name: string } }>;
}
const state: WorkerModeState = ((globalThis as Record<symbol, unknown>)[Symbol.for('featureflow.workerMode')] ??= {
  on: false,
  inertRunListeners: new Set(),
  inertPipelines: new Map(),
  inertRuns: 0,
}) as WorkerModeState;
const inertRunListeners = state.inertRunListeners;

/** Called once by every worker entry point, before it imports any user code. */
export function enterWorkerMode(): void {
  state.on = true;
}

/** For `verify --recompute` in the CLI's own process: worker mode only while it looks nodes up. */
export function leaveWorkerMode(): void {
  state.on = false;
}

export function inWorkerMode(): boolean {
  return state.on;
}

/** `run()` calls this instead of running, when in worker mode. */
export function noteInertRun(pipeline?: InertPipeline): void {
  state.inertRuns++;
  if (pipeline) state.inertPipelines.set(pipeline.name, pipeline);
  for (const listener of [...inertRunListeners]) listener();
}

/** Resolves at the next inert `run()`; `cancel` removes the listener. */
export function nextInertRun(): { promise: Promise<void>; cancel(): void } {
  let listener!: () => void;
  const promise = new Promise<void>((resolve) => {
    listener = () => {
      inertRunListeners.delete(listener);
      resolve();
    };
    inertRunListeners.add(listener);
  });
  return { promise, cancel: () => inertRunListeners.delete(listener) };
}

/** The pipeline of that name that an inert run was given in this worker, if any. */
export function inertPipeline(name: string): InertPipeline | undefined {
  return state.inertPipelines.get(name);
}

/** How many inert runs have happened in this process so far. */
export function inertRunCount(): number {
  return state.inertRuns;
}
