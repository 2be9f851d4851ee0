/**
 * Canonical encoding (docs/key-spec.md, "canonical JSON"): the same value always gives the same
 * bytes, and different values never do. Keys are sorted; numbers use their shortest round-trip
 * form, which is unique per IEEE-754 double (1 and 1.0 agree; 0.1 + 0.2 and 0.3 do not); typed
 * arrays and bigints become tag objects. Tags are objects whose keys start with one `$`; every
 * key of a user's object that starts with `$` gets one more `$`, so no user object can ever
 * encode like a tag. Anything without an unambiguous encoding is rejected with its path.
 *
 * Two flavours share this code. Params (`canonicalJson`) follow the key's rules: −0 is 0, and
 * NaN/±Infinity are rejected. Stored JSON values (`encodeJsonValue`, read back with
 * `decodeJsonValue`) must round-trip, so −0, NaN and ±Infinity become tags too.
 */

export class CanonicalEncodingError extends Error {
  constructor(readonly path: string, readonly reason: string) {
    super(`cannot encode ${path || 'value'}: ${reason}`);
    this.name = 'CanonicalEncodingError';
  }
}

const TYPED_ARRAYS = {
  Float64Array,
  Float32Array,
  Int8Array,
  Int16Array,
  Int32Array,
  Uint8Array,
  Uint8ClampedArray,
  Uint16Array,
  Uint32Array,
  BigInt64Array,
  BigUint64Array,
} as const;
type TypedArrayName = keyof typeof TYPED_ARRAYS;

function typedArrayName(v: ArrayBufferView): TypedArrayName | undefined {
  const name = v.constructor.name;
  return Object.hasOwn(TYPED_ARRAYS, name) ? (name as TypedArrayName) : undefined;
}

/** A user's key `$x` is written `$$x`; a single leading `$` is reserved for tags. */
const escapeKey = (k: string) => (k.startsWith('$') ? `$${k}` : k);
const unescapeKey = (k: string) => k.slice(1);

interface Flavour {
  /** values must round-trip: tag −0 and non-finite numbers instead of folding or rejecting them */
  readonly roundTrip: boolean;
}

function encodeNumber(value: number, path: string, f: Flavour): string {
  if (Number.isFinite(value)) {
    if (Object.is(value, -0)) return f.roundTrip ? '{"$number":"-0"}' : '0';
    return JSON.stringify(value);
  }
  if (!f.roundTrip) throw new CanonicalEncodingError(path, `${value} is not a finite number`);
  return `{"$number":"${String(value)}"}`;
}

function encode(value: unknown, path: string, f: Flavour): string {
  switch (typeof value) {
    case 'number':
      return encodeNumber(value, path, f);
    case 'string':
      return JSON.stringify(value);
    case 'boolean':
      return value ? 'true' : 'false';
    case 'undefined':
      throw new CanonicalEncodingError(path, 'undefined (omit the key or use null)');
    case 'function':
      throw new CanonicalEncodingError(path, 'a function');
    case 'bigint':
      return `{"$bigint":"${value.toString()}"}`;
    case 'symbol':
      throw new CanonicalEncodingError(path, 'a symbol');
  }
  if (value === null) return 'null';
  if (ArrayBuffer.isView(value)) {
    const name = typedArrayName(value);
    if (!name) throw new CanonicalEncodingError(path, `a ${value.constructor.name} (only typed arrays, plain objects, arrays and scalars)`);
    // little-endian on every platform Node supports; the bytes are the value
    const bytes = Buffer.from(value.buffer, value.byteOffset, value.byteLength).toString('base64');
    return `{"$bytes":"${bytes}","$typed":"${name}"}`;
  }
  if (Array.isArray(value)) {
    // by index: a hole in a sparse array is undefined (refused), never skipped into invalid JSON
    const items: string[] = [];
    for (let i = 0; i < value.length; i++) items.push(encode(value[i], `${path}[${i}]`, f));
    return `[${items.join(',')}]`;
  }
  const proto = Object.getPrototypeOf(value) as object | null;
  if (proto !== Object.prototype && proto !== null) {
    const name = (proto as { constructor?: { name?: string } }).constructor?.name ?? 'a class';
    throw new CanonicalEncodingError(path, `an instance of ${name} (only plain objects, arrays, typed arrays and scalars)`);
  }
  const entries = Object.keys(value as object)
    .map((k) => [escapeKey(k), k] as const)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([escaped, k]) => `${JSON.stringify(escaped)}:${encode((value as Record<string, unknown>)[k], path ? `${path}.${k}` : k, f)}`);
  return `{${entries.join(',')}}`;
}

/** The canonical JSON text of params; throws CanonicalEncodingError naming the offending path. */
export function canonicalJson(value: unknown, path = ''): string {
  return encode(value, path, { roundTrip: false });
}

/**
 * Params plus engine tags (e.g. `$contents`, the hashes of file params). The tags are written
 * first, unescaped; user keys that start with `$` are escaped, so the two never meet.
 */
export function canonicalJsonWithTags(value: Readonly<Record<string, unknown>>, tags: Readonly<Record<string, unknown>>, path = ''): string {
  const body = canonicalJson(value, path);
  const tagEntries = Object.keys(tags)
    .sort()
    .map((t) => {
      if (!/^\$[^$]/.test(t)) throw new Error(`internal: tag ${t} must start with exactly one $`);
      return `${JSON.stringify(t)}:${canonicalJson(tags[t], `${path}.${t}`)}`;
    });
  if (tagEntries.length === 0) return body;
  return `{${tagEntries.join(',')}${body === '{}' ? '' : ','}${body.slice(1)}`;
}

/** Canonical JSON of a stored value: like params, but −0, NaN and ±Infinity round-trip. */
export function encodeJsonValue(value: unknown, path = ''): string {
  return encode(value, path, { roundTrip: true });
}

function revive(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(revive);
  if (value === null || typeof value !== 'object') return value;
  const o = value as Record<string, unknown>;
  if ('$bigint' in o) return BigInt(o.$bigint as string);
  if ('$number' in o) return Number(o.$number as string);
  if ('$typed' in o) {
    const Ctor = TYPED_ARRAYS[o.$typed as TypedArrayName];
    if (!Ctor) throw new Error(`stored JSON names an unknown typed array ${String(o.$typed)}`);
    const bytes = Buffer.from(o.$bytes as string, 'base64');
    const copy = new ArrayBuffer(bytes.byteLength);
    new Uint8Array(copy).set(bytes);
    return new Ctor(copy);
  }
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(o)) {
    // defineProperty: a key named __proto__ is data, not the prototype
    Object.defineProperty(out, k.startsWith('$') ? unescapeKey(k) : k, { value: revive(v), enumerable: true, writable: true, configurable: true });
  }
  return out;
}

/** Read back what `encodeJsonValue` wrote: typed arrays, bigints and special numbers included. */
export function decodeJsonValue(text: string): unknown {
  return revive(JSON.parse(text) as unknown);
}
