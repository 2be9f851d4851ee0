/**
 * Canonical encoding of params: the same value always gives the same bytes, and different
 * values never do. Keys are sorted; numbers use their shortest round-trip form, which is unique
 * per IEEE-754 double (1 and 1.0 agree; 0.1 + 0.2 and 0.3 do not); −0 becomes 0; typed arrays
 * encode by their bytes. Anything without an unambiguous encoding is rejected with its path.
 */

export class CanonicalEncodingError extends Error {
  constructor(readonly path: string, readonly reason: string) {
    super(`cannot encode ${path || 'value'}: ${reason}`);
    this.name = 'CanonicalEncodingError';
  }
}

function typedArrayName(v: ArrayBufferView): string | undefined {
  const name = v.constructor.name;
  return /^(Float64|Float32|Int8|Int16|Int32|Uint8|Uint8Clamped|Uint16|Uint32|BigInt64|BigUint64)Array$/.test(name) ? name : undefined;
}

function encode(value: unknown, path: string): string {
  switch (typeof value) {
    case 'number':
      if (!Number.isFinite(value)) throw new CanonicalEncodingError(path, `${value} is not a finite number`);
      return Object.is(value, -0) ? '0' : JSON.stringify(value);
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
    if (!name) throw new CanonicalEncodingError(path, `a ${value.constructor.name}`);
    // little-endian on every platform Node supports; the bytes are the value
    const bytes = Buffer.from(value.buffer, value.byteOffset, value.byteLength).toString('base64');
    return `{"$typed":"${name}","bytes":"${bytes}"}`;
  }
  if (Array.isArray(value)) {
    return `[${value.map((v, i) => encode(v, `${path}[${i}]`)).join(',')}]`;
  }
  const proto = Object.getPrototypeOf(value);
  if (proto !== Object.prototype && proto !== null) {
    throw new CanonicalEncodingError(path, `an instance of ${proto?.constructor?.name ?? 'a class'} (only plain objects, arrays, typed arrays and scalars)`);
  }
  const entries = Object.keys(value as object)
    .sort()
    .map((k) => {
      const v = (value as Record<string, unknown>)[k];
      return `${JSON.stringify(k)}:${encode(v, path ? `${path}.${k}` : k)}`;
    });
  return `{${entries.join(',')}}`;
}

/** The canonical JSON text of `value`; throws CanonicalEncodingError naming the offending path. */
export function canonicalJson(value: unknown, path = ''): string {
  return encode(value, path);
}
