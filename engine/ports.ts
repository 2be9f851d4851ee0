import type { Table } from 'apache-arrow';

/** A named bundle of dense tensors; stored as one Arrow IPC table (a row per tensor). */
export interface Tensor {
  readonly shape: readonly number[];
  readonly data: Float64Array | Float32Array | Int32Array;
}
export type TensorBundle = Readonly<Record<string, Tensor>>;

/** Every figure is the picture and the table it plots, so the numbers are never lost. */
export interface Figure {
  readonly svg: string;
  readonly png?: Uint8Array;
  readonly table: Table;
  readonly caption?: string;
}

export type PortKind = 'table' | 'tensors' | 'figure' | 'json';

/**
 * The type of a node's output or input. `V` is the value a node's `run` returns or receives;
 * it exists only for the compiler, so wiring a figure into a table input fails to compile.
 */
export interface Port<V> {
  readonly kind: PortKind;
  readonly __value?: (v: V) => V;
}

/** An input that gathers every cell of an upstream step along some sweep axes. */
export interface ManyPort<V> {
  readonly kind: 'many';
  readonly of: Port<V>;
}

export type AnyPort = Port<any> | ManyPort<any>; // eslint-disable-line @typescript-eslint/no-explicit-any

export type ParamScalar = string | number | boolean | null;

/** One gathered upstream value together with the sweep coordinates of the cell that made it. */
export interface GatheredValue<V> {
  readonly cell: Readonly<Record<string, ParamScalar>>;
  readonly value: V;
}

export type PortValue<P> = P extends ManyPort<infer V>
  ? ReadonlyArray<GatheredValue<V>>
  : P extends Port<infer V>
    ? V
    : never;

export const table: Port<Table> = { kind: 'table' };
export const tensors: Port<TensorBundle> = { kind: 'tensors' };
export const figure: Port<Figure> = { kind: 'figure' };
export function json<T>(): Port<T> {
  return { kind: 'json' };
}
export function many<V>(of: Port<V>): ManyPort<V> {
  return { kind: 'many', of };
}
