/**
 * How each port kind becomes store objects. Tables and tensor bundles are Arrow IPC files;
 * JSON is canonical JSON; a figure is a small JSON manifest naming its SVG, PNG and table
 * objects, so each part is a plain file a user can open. JSON values round-trip typed arrays,
 * bigints, −0, NaN and ±Infinity (engine/canonical.ts). Nothing host- or time-dependent is
 * ever written into an object.
 */
import { arrow } from '../arrow.ts';
import { canonicalJson, decodeJsonValue, encodeJsonValue } from '../canonical.ts';
import type { Figure, PortKind, Tensor, TensorBundle } from '../ports.ts';
import { tableFromBytes, tableToBytes } from '../table.ts';

export type PutObject = (bytes: Uint8Array) => Promise<string>;
export type GetObject = (hash: string) => Promise<Uint8Array>;

interface FigureManifest {
  readonly format: 'featureflow-figure/1';
  readonly svg: string;
  readonly png: string | null;
  readonly table: string;
  readonly caption: string | null;
}

const DTYPES = { Float64Array, Float32Array, Int32Array } as const;
type DtypeName = keyof typeof DTYPES;

function encodeTensors(bundle: TensorBundle): Uint8Array {
  const names = Object.keys(bundle).sort();
  const tensorsInOrder: Tensor[] = names.map((n) => bundle[n]!);
  for (const [i, t] of tensorsInOrder.entries()) {
    const size = t.shape.reduce((a, b) => a * b, 1);
    if (size !== t.data.length) throw new RangeError(`tensor "${names[i]}": shape [${t.shape.join(', ')}] needs ${size} values, data has ${t.data.length}`);
  }
  const { Binary, Table, Utf8, vectorFromArray } = arrow();
  const table = new Table({
    name: vectorFromArray(names, new Utf8()),
    dtype: vectorFromArray(tensorsInOrder.map((t) => t.data.constructor.name), new Utf8()),
    shape: vectorFromArray(tensorsInOrder.map((t) => JSON.stringify(t.shape)), new Utf8()),
    data: vectorFromArray(
      tensorsInOrder.map((t) => new Uint8Array(t.data.buffer, t.data.byteOffset, t.data.byteLength)),
      new Binary(),
    ),
  });
  return tableToBytes(table);
}

function decodeTensors(bytes: Uint8Array): TensorBundle {
  const table = tableFromBytes(bytes);
  const out: Record<string, Tensor> = {};
  for (let i = 0; i < table.numRows; i++) {
    const row = table.get(i)!;
    const dtype = String(row.dtype) as DtypeName;
    const Ctor = DTYPES[dtype];
    if (!Ctor) throw new Error(`tensor bundle: unknown dtype ${dtype}`);
    const raw = row.data as Uint8Array;
    const copy = new Uint8Array(raw.byteLength);
    copy.set(raw);
    out[String(row.name)] = { shape: JSON.parse(String(row.shape)) as number[], data: new Ctor(copy.buffer) };
  }
  return out;
}

export async function encodeValue(kind: PortKind, value: unknown, put: PutObject): Promise<Uint8Array> {
  switch (kind) {
    case 'table':
      if (!(value instanceof arrow().Table)) throw new TypeError(`expected an Arrow Table output, got ${describe(value)}`);
      return tableToBytes(value);
    case 'tensors':
      return encodeTensors(value as TensorBundle);
    case 'json':
      return new TextEncoder().encode(encodeJsonValue(value, 'output'));
    case 'figure': {
      const fig = value as Figure;
      if (typeof fig?.svg !== 'string' || !(fig.table instanceof arrow().Table)) {
        throw new TypeError(`expected a Figure output ({ svg, png?, table }), got ${describe(value)}`);
      }
      const manifest: FigureManifest = {
        format: 'featureflow-figure/1',
        svg: await put(new TextEncoder().encode(fig.svg)),
        png: fig.png ? await put(fig.png) : null,
        table: await put(tableToBytes(fig.table)),
        caption: fig.caption ?? null,
      };
      return new TextEncoder().encode(canonicalJson(manifest));
    }
  }
}

export async function decodeValue(kind: PortKind, bytes: Uint8Array, get: GetObject): Promise<unknown> {
  switch (kind) {
    case 'table':
      return tableFromBytes(bytes);
    case 'tensors':
      return decodeTensors(bytes);
    case 'json':
      return decodeJsonValue(new TextDecoder().decode(bytes));
    case 'figure': {
      const m = JSON.parse(new TextDecoder().decode(bytes)) as FigureManifest;
      const fig: Figure = {
        svg: new TextDecoder().decode(await get(m.svg)),
        table: tableFromBytes(await get(m.table)),
        ...(m.png ? { png: await get(m.png) } : {}),
        ...(m.caption !== null ? { caption: m.caption } : {}),
      };
      return fig;
    }
  }
}

/** Objects an object refers to (a figure's parts): gc keeps them, verify checks them. */
export function childObjects(kind: PortKind, bytes: Uint8Array): string[] {
  if (kind !== 'figure') return [];
  const m = JSON.parse(new TextDecoder().decode(bytes)) as FigureManifest;
  return [m.svg, m.table, ...(m.png ? [m.png] : [])];
}

/** The figure's parts by role, for export. */
export function figureParts(bytes: Uint8Array): { svg: string; png: string | null; table: string } {
  const m = JSON.parse(new TextDecoder().decode(bytes)) as FigureManifest;
  return { svg: m.svg, png: m.png, table: m.table };
}

function describe(v: unknown): string {
  if (v === null) return 'null';
  if (typeof v !== 'object') return typeof v;
  return (v as object).constructor?.name ?? 'object';
}
