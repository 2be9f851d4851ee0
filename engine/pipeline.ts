import type { z } from 'zod';
import type { SlurmSettings } from './executors/slurm/settings.ts';
import type { AnyNode, NodeDefinition } from './node.ts';
import type { AnyPort, ManyPort, ParamScalar, Port } from './ports.ts';

/** A sweep axis used as a param value: the step runs once per value of the axis. */
export interface AxisRef<T extends ParamScalar = ParamScalar> {
  readonly kind: 'axis';
  readonly axis: string;
  /** for zipped axes: which field of each record this param takes */
  readonly field?: string;
  readonly __value?: T;
}

/** The output of a step, to wire into another step's input. */
export interface StepRef<V> {
  readonly kind: 'step';
  readonly step: string;
  readonly __value?: V;
}

/** All cells of a step along `over` axes, collected into one input (a `many(...)` port). */
export interface GatherRef<V> {
  readonly kind: 'gather';
  readonly step: string;
  readonly over: readonly string[];
  readonly __value?: V;
}

export type WiredInputs<I extends Record<string, AnyPort>> = {
  readonly [K in keyof I]: I[K] extends ManyPort<infer V> ? GatherRef<V> : I[K] extends Port<infer V> ? StepRef<V> : never;
};

export type WiredParams<S extends z.ZodObject> = {
  readonly [K in keyof z.input<S>]?: z.input<S>[K] | AxisRef<Extract<z.input<S>[K], ParamScalar>>;
};

export interface AxisDefinition {
  readonly name: string;
  /** zipped axes carry records; a plain axis carries scalars */
  readonly fields: readonly string[] | null;
  readonly values: ReadonlyArray<ParamScalar | Readonly<Record<string, ParamScalar>>>;
}

export interface StepInput {
  readonly step: string;
  /** null: match upstream cells by shared axes; array: gather along these axes */
  readonly gather: readonly string[] | null;
}

export interface StepDefinition {
  readonly name: string;
  readonly node: AnyNode;
  readonly params: Readonly<Record<string, unknown>>;
  readonly inputs: Readonly<Record<string, StepInput>>;
}

/**
 * Named bundles of `--set` overrides, e.g. `paper` for the published sizes; `slurm` gives the
 * sbatch resources a run of that size asks for under `--executor slurm` (flags override it).
 */
export type Profiles = Readonly<Record<string, { readonly description: string; readonly set: Readonly<Record<string, unknown>>; readonly slurm?: SlurmSettings }>>;

export interface Pipeline {
  readonly name: string;
  readonly description: string;
  /** `import.meta.url` of the module that defines the pipeline (workers import it) */
  readonly module: string;
  readonly axes: ReadonlyMap<string, AxisDefinition>;
  readonly steps: ReadonlyMap<string, StepDefinition>;
  /** output name → step name */
  readonly outputs: ReadonlyMap<string, string>;
  readonly profiles: Profiles;
}

export interface PipelineBuilder extends Pipeline {
  /** one axis, swept over an explicit list of values */
  axis<T extends ParamScalar>(name: string, values: readonly T[]): AxisRef<T>;
  /** a grid: one independent axis per key (the Cartesian product when several are used) */
  grid<R extends Record<string, readonly ParamScalar[]>>(axes: R): { readonly [K in keyof R]: AxisRef<R[K][number]> };
  /** a zip: the keys vary together, one cell per index */
  zip<R extends Record<string, readonly ParamScalar[]>>(name: string, fields: R): { readonly [K in keyof R]: AxisRef<R[K][number]> };
  step<S extends z.ZodObject, I extends Record<string, AnyPort>, V>(
    name: string,
    node: NodeDefinition<S, I, Port<V>>,
    wiring: (keyof I extends never ? { inputs?: WiredInputs<I> } : { inputs: WiredInputs<I> }) & { params?: WiredParams<S> },
  ): StepRef<V>;
  output<V>(name: string, ref: StepRef<V>): void;
}

export function gather<V>(ref: StepRef<V>, over: string | readonly string[]): GatherRef<V> {
  return { kind: 'gather', step: ref.step, over: typeof over === 'string' ? [over] : over };
}

const NAME = /^[A-Za-z][A-Za-z0-9_-]*$/;

export function definePipeline(options: { name: string; description: string; module: string; profiles?: Profiles }): PipelineBuilder {
  const axes = new Map<string, AxisDefinition>();
  const steps = new Map<string, StepDefinition>();
  const outputs = new Map<string, string>();

  const checkName = (what: string, name: string) => {
    if (!NAME.test(name)) throw new Error(`pipeline ${options.name}: ${what} name "${name}" must match ${NAME}`);
  };
  const addAxis = (def: AxisDefinition) => {
    checkName('axis', def.name);
    if (axes.has(def.name)) throw new Error(`pipeline ${options.name}: duplicate axis "${def.name}"`);
    if (def.values.length === 0) throw new Error(`pipeline ${options.name}: axis "${def.name}" has no values`);
    axes.set(def.name, def);
  };

  const builder: PipelineBuilder = {
    name: options.name,
    description: options.description ?? '', // a JavaScript caller may leave it out: the report shows none
    module: options.module,
    axes,
    steps,
    outputs,
    profiles: options.profiles ?? {},
    axis(name, values) {
      addAxis({ name, fields: null, values: [...values] });
      return { kind: 'axis', axis: name };
    },
    grid(spec) {
      const refs: Record<string, AxisRef> = {};
      for (const [name, values] of Object.entries(spec)) refs[name] = builder.axis(name, values);
      return refs as never;
    },
    zip(name, fields) {
      const keys = Object.keys(fields);
      const lengths = new Set(keys.map((k) => fields[k]!.length));
      if (lengths.size > 1) {
        throw new Error(`pipeline ${options.name}: zip "${name}" needs equal lengths, got ${keys.map((k) => `${k}: ${fields[k]!.length}`).join(', ')}`);
      }
      const n = fields[keys[0]!]?.length ?? 0;
      const values = Array.from({ length: n }, (_, i) => Object.fromEntries(keys.map((k) => [k, fields[k]![i]!])));
      addAxis({ name, fields: keys, values });
      return Object.fromEntries(keys.map((k) => [k, { kind: 'axis', axis: name, field: k }])) as never;
    },
    step(name, node, wiring) {
      checkName('step', name);
      if (steps.has(name)) throw new Error(`pipeline ${options.name}: duplicate step name "${name}"`);
      const inputs: Record<string, StepInput> = {};
      for (const [input, ref] of Object.entries((wiring.inputs ?? {}) as Record<string, StepRef<unknown> | GatherRef<unknown>>)) {
        inputs[input] = { step: ref.step, gather: ref.kind === 'gather' ? ref.over : null };
      }
      steps.set(name, { name, node: node as unknown as AnyNode, params: { ...(wiring.params ?? {}) }, inputs });
      return { kind: 'step', step: name };
    },
    output(name, ref) {
      if (outputs.has(name)) throw new Error(`pipeline ${options.name}: duplicate output "${name}"`);
      outputs.set(name, ref.step);
    },
  };
  return builder;
}

export function isAxisRef(v: unknown): v is AxisRef {
  return typeof v === 'object' && v !== null && (v as { kind?: unknown }).kind === 'axis' && typeof (v as { axis?: unknown }).axis === 'string';
}
