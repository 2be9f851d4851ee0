/**
 * Sweep expansion: a pipeline plus overrides becomes the list of tasks (one per step × cell) in
 * dependency order, every param validated. Every mistake is found here, before anything runs.
 */
import type { z } from 'zod';
import { checkParams, paramNames, unknownParamProblems, type ContentHashCache } from './params.ts';
import { PipelineError } from './errors.ts';
import type { AnyNode } from './node.ts';
import { isAxisRef, type AxisDefinition, type Pipeline, type StepDefinition } from './pipeline.ts';
import type { ParamScalar } from './ports.ts';

export type AxisValue = ParamScalar | Readonly<Record<string, ParamScalar>>;

export interface TaskInput {
  /** upstream task ids; one for a plain input, the gathered cells in order for a many-input */
  readonly tasks: readonly number[];
  readonly gather: boolean;
}

export interface TaskSpec {
  readonly id: number;
  /** `<step>[axis=value,…]` */
  readonly name: string;
  readonly step: string;
  readonly node: AnyNode;
  /** axis name → value for this cell */
  readonly cell: Readonly<Record<string, AxisValue>>;
  readonly params: unknown;
  readonly paramsCanonical: string;
  readonly inputs: Readonly<Record<string, TaskInput>>;
}

export interface ExpandedPipeline {
  readonly pipeline: Pipeline;
  readonly axes: ReadonlyMap<string, AxisDefinition>;
  readonly tasks: readonly TaskSpec[];
  /** output name → task ids */
  readonly outputs: ReadonlyMap<string, readonly number[]>;
}

/** `--set` overrides: `step.param` or a bare axis name → value or list. */
export type Overrides = ReadonlyMap<string, unknown>;

function formatScalar(v: ParamScalar): string {
  return typeof v === 'string' ? v : String(v);
}

function cellLabel(axes: readonly AxisDefinition[], values: readonly AxisValue[]): string {
  const parts: string[] = [];
  axes.forEach((axis, i) => {
    const v = values[i]!;
    if (axis.fields) for (const f of axis.fields) parts.push(`${f}=${formatScalar((v as Record<string, ParamScalar>)[f]!)}`);
    else parts.push(`${axis.name}=${formatScalar(v as ParamScalar)}`);
  });
  return parts.join(',');
}


function isScalar(v: unknown): v is ParamScalar {
  return v === null || ['string', 'number', 'boolean'].includes(typeof v);
}

/** Apply overrides to axes and step params; every bad name is reported with the valid ones. */
function applyOverrides(pipeline: Pipeline, overrides: Overrides, problems: string[]) {
  const axes = new Map(pipeline.axes);
  const steps = new Map<string, StepDefinition>(pipeline.steps);
  const replaceAxis = (axisName: string, field: string | undefined, value: unknown, what: string) => {
    const axis = axes.get(axisName)!;
    const list = Array.isArray(value) ? value : [value];
    if (list.length === 0 || !list.every(isScalar)) {
      problems.push(`--set ${what}: expected a value or a non-empty list of scalars, got ${JSON.stringify(value)}`);
      return;
    }
    if (!axis.fields) {
      axes.set(axisName, { ...axis, values: list });
      return;
    }
    const old = axis.values as Readonly<Record<string, ParamScalar>>[];
    if (list.length !== 1 && list.length !== old.length) {
      problems.push(`--set ${what}: "${axisName}" is zipped with ${axis.fields.join(', ')} (${old.length} values); give 1 or ${old.length} values, got ${list.length}`);
      return;
    }
    axes.set(axisName, { ...axis, values: old.map((rec, i) => ({ ...rec, [field!]: (list.length === 1 ? list[0] : list[i]) as ParamScalar })) });
  };

  for (const [target, value] of overrides) {
    const dot = target.indexOf('.');
    if (dot < 0) {
      if (!axes.has(target)) {
        problems.push(`--set ${target}: no step parameter or axis named "${target}" (use step.param=value; axes: ${[...axes.keys()].join(', ') || 'none'})`);
        continue;
      }
      replaceAxis(target, undefined, value, target);
      continue;
    }
    const stepName = target.slice(0, dot);
    const param = target.slice(dot + 1);
    const step = steps.get(stepName);
    if (!step) {
      problems.push(`--set ${target}: pipeline ${pipeline.name} has no step "${stepName}" (steps: ${[...steps.keys()].join(', ')})`);
      continue;
    }
    const keys = paramNames(step.node);
    if (!keys.includes(param)) {
      problems.push(`--set ${target}: node ${step.node.name} (step ${stepName}) has no parameter "${param}" (parameters: ${keys.join(', ')})`);
      continue;
    }
    const bound = step.params[param];
    if (isAxisRef(bound)) {
      replaceAxis(bound.axis, bound.field, value, target);
      continue;
    }
    const schema = (step.node.params as z.ZodObject).shape[param] as z.ZodType;
    if (Array.isArray(value) && !schema.safeParse(value).success) {
      // a list for a scalar parameter: sweep it on a new axis named after the step and param
      const axisName = `${stepName}.${param}`;
      axes.set(axisName, { name: axisName, fields: null, values: value as ParamScalar[] });
      steps.set(stepName, { ...step, params: { ...step.params, [param]: { kind: 'axis', axis: axisName } } });
    } else {
      steps.set(stepName, { ...step, params: { ...step.params, [param]: value } });
    }
  }
  return { axes, steps };
}

function topologicalOrder(pipeline: Pipeline, steps: ReadonlyMap<string, StepDefinition>, problems: string[]): StepDefinition[] {
  const indegree = new Map<string, number>();
  const children = new Map<string, string[]>();
  for (const s of steps.values()) {
    indegree.set(s.name, 0);
    children.set(s.name, []);
  }
  for (const s of steps.values()) {
    for (const [input, wire] of Object.entries(s.inputs)) {
      if (!steps.has(wire.step)) {
        problems.push(`step ${s.name}: input "${input}" refers to unknown step "${wire.step}"`);
        continue;
      }
      indegree.set(s.name, indegree.get(s.name)! + 1);
      children.get(wire.step)!.push(s.name);
    }
  }
  const ready = [...steps.keys()].filter((n) => indegree.get(n) === 0);
  const order: StepDefinition[] = [];
  while (ready.length > 0) {
    const n = ready.shift()!;
    order.push(steps.get(n)!);
    for (const c of children.get(n)!) {
      indegree.set(c, indegree.get(c)! - 1);
      if (indegree.get(c) === 0) ready.push(c);
    }
  }
  if (order.length < steps.size && problems.length === 0) {
    const stuck = [...steps.keys()].filter((n) => !order.some((s) => s.name === n));
    problems.push(`pipeline ${pipeline.name}: cycle among steps ${stuck.join(' → ')}`);
  }
  return order;
}

function checkWiring(step: StepDefinition, steps: ReadonlyMap<string, StepDefinition>, problems: string[]): void {
  const declared = step.node.inputs;
  for (const name of Object.keys(declared)) {
    if (!(name in step.inputs)) problems.push(`step ${step.name}: missing input "${name}" (node ${step.node.name} needs: ${Object.keys(declared).join(', ')})`);
  }
  for (const [name, wire] of Object.entries(step.inputs)) {
    const port = declared[name];
    if (!port) {
      problems.push(`step ${step.name}: node ${step.node.name} has no input "${name}" (inputs: ${Object.keys(declared).join(', ') || 'none'})`);
      continue;
    }
    const upstream = steps.get(wire.step);
    if (!upstream) continue;
    const wantKind = port.kind === 'many' ? port.of.kind : port.kind;
    if (upstream.node.output.kind !== wantKind) {
      problems.push(`step ${step.name}: input "${name}" expects ${wantKind}, but step ${wire.step} outputs ${upstream.node.output.kind}`);
    }
    if ((port.kind === 'many') !== (wire.gather !== null)) {
      problems.push(`step ${step.name}: input "${name}" ${port.kind === 'many' ? 'gathers many cells: wire it with gather(ref, axes)' : 'takes one value: wire it without gather()'}`);
    }
  }
}

/** One name, one node: two different definitions under one name would share task keys. */
function checkNodeIdentity(steps: readonly StepDefinition[], problems: string[]): void {
  const seen = new Map<string, StepDefinition>();
  for (const step of steps) {
    const first = seen.get(step.node.name);
    if (!first) seen.set(step.node.name, step);
    else if (first.node !== step.node) {
      problems.push(
        `steps ${first.name} and ${step.name} use two different nodes named "${step.node.name}" (from ${first.node.module} and ${step.node.module}): ` +
          'a node name identifies the node in every task key; give each definition its own name',
      );
    }
  }
}

export function expandPipeline(pipeline: Pipeline, overrides: Overrides = new Map()): ExpandedPipeline {
  const problems: string[] = [];
  const { axes, steps } = applyOverrides(pipeline, overrides, problems);
  const order = topologicalOrder(pipeline, steps, problems);
  for (const s of order) checkWiring(s, steps, problems);
  checkNodeIdentity(order, problems);
  if (problems.length > 0) throw new PipelineError(problems);

  const axisOrder = [...axes.keys()];
  const contentHashes: ContentHashCache = new Map(); // per expansion: files may change between runs
  // upstream cells grouped by the axes a gather keeps: one pass per (step, input), not a scan per cell
  const groups = new Map<string, Map<string, number[]>>();
  const gatherGroups = (upStep: string, over: readonly string[]): Map<string, number[]> => {
    const k = `${upStep}\0${over.join('\0')}`;
    let g = groups.get(k);
    if (!g) {
      g = new Map();
      const upAxes = stepAxes.get(upStep)!;
      const kept = upAxes.filter((a) => !over.includes(a));
      for (const id of tasksByStep.get(upStep)!.ids) {
        const key = JSON.stringify(kept.map((a) => tasks[id]!.cell[a]));
        const list = g.get(key) ?? [];
        list.push(id);
        g.set(key, list);
      }
      groups.set(k, g);
    }
    return g;
  };
  const stepAxes = new Map<string, string[]>();
  const tasks: TaskSpec[] = [];
  const tasksByStep = new Map<string, { ids: number[]; byCoords: Map<string, number> }>();

  for (const step of order) {
    const own = new Set<string>();
    for (const [param, v] of Object.entries(step.params)) {
      if (!isAxisRef(v)) continue;
      if (!axes.has(v.axis)) problems.push(`step ${step.name}: parameter ${param} uses unknown axis "${v.axis}"`);
      else own.add(v.axis);
    }
    for (const [input, wire] of Object.entries(step.inputs)) {
      const up = stepAxes.get(wire.step) ?? [];
      for (const g of wire.gather ?? []) {
        if (!up.includes(g)) problems.push(`step ${step.name}: input "${input}" gathers over axis "${g}", but step ${wire.step} does not vary along it (its axes: ${up.join(', ') || 'none'})`);
      }
      for (const a of up) if (!(wire.gather ?? []).includes(a)) own.add(a);
    }
    const mine = axisOrder.filter((a) => own.has(a));
    stepAxes.set(step.name, mine);
    if (problems.length > 0) continue;

    problems.push(...unknownParamProblems(step.node, step.params, `step ${step.name}`));
    const axisDefs = mine.map((a) => axes.get(a)!);
    const sizes = axisDefs.map((a) => a.values.length);
    const count = sizes.reduce((a, b) => a * b, 1);
    const ids: number[] = [];
    const byCoords = new Map<string, number>();
    const idx = new Array<number>(mine.length).fill(0);
    for (let c = 0; c < count; c++) {
      let rem = c;
      for (let i = mine.length - 1; i >= 0; i--) {
        idx[i] = rem % sizes[i]!;
        rem = Math.floor(rem / sizes[i]!);
      }
      const values = idx.map((k, i) => axisDefs[i]!.values[k]!);
      const cell: Record<string, AxisValue> = {};
      mine.forEach((a, i) => (cell[a] = values[i]!));
      const label = cellLabel(axisDefs, values);
      const name = label ? `${step.name}[${label}]` : step.name;

      const raw: Record<string, unknown> = {};
      for (const [param, v] of Object.entries(step.params)) {
        raw[param] = isAxisRef(v) ? (v.field ? (cell[v.axis] as Record<string, ParamScalar>)[v.field] : cell[v.axis]) : v;
      }
      const checked = checkParams(step.node, raw, name, contentHashes);
      if (!checked.ok) {
        problems.push(...checked.problems);
        continue;
      }
      const { params, canonical: paramsCanonical } = checked;

      const inputs: Record<string, TaskInput> = {};
      for (const [input, wire] of Object.entries(step.inputs)) {
        const up = tasksByStep.get(wire.step)!;
        const upAxes = stepAxes.get(wire.step)!;
        if (wire.gather === null) {
          const coordKey = JSON.stringify(upAxes.map((a) => cell[a]));
          inputs[input] = { tasks: [up.byCoords.get(coordKey)!], gather: false };
        } else {
          const kept = upAxes.filter((a) => !wire.gather!.includes(a));
          inputs[input] = { tasks: gatherGroups(wire.step, wire.gather).get(JSON.stringify(kept.map((a) => cell[a]))) ?? [], gather: true };
        }
      }
      const id = tasks.length;
      tasks.push({ id, name, step: step.name, node: step.node, cell, params, paramsCanonical, inputs });
      ids.push(id);
      byCoords.set(JSON.stringify(mine.map((a) => cell[a])), id);
    }
    tasksByStep.set(step.name, { ids, byCoords });
  }
  if (problems.length > 0) throw new PipelineError(problems);

  const outputs = new Map<string, number[]>();
  for (const [out, stepName] of pipeline.outputs) outputs.set(out, tasksByStep.get(stepName)?.ids ?? []);
  return { pipeline, axes, tasks, outputs };
}
