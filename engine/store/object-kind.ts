/**
 * Does an object's content look like the kind its record claims? A cheap structural check (magic
 * bytes, a JSON parse), not a full decode: it catches a record naming an object of another kind
 * (a figure manifest where a table belongs), which the content hash alone cannot.
 */
import type { PortKind } from '../ports.ts';

const ARROW_MAGIC = 'ARROW1';

function parsesAsJson(bytes: Uint8Array): unknown {
  try {
    return JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(bytes)) as unknown;
  } catch {
    return undefined;
  }
}

/** undefined when the bytes can be an object of `kind`; else what they are not. */
export function objectKindProblem(kind: PortKind, bytes: Uint8Array): string | undefined {
  switch (kind) {
    case 'table':
    case 'tensors': {
      const head = new TextDecoder().decode(bytes.subarray(0, ARROW_MAGIC.length));
      return head === ARROW_MAGIC ? undefined : `is not an Arrow IPC file (a ${kind} object)`;
    }
    case 'json':
      return parsesAsJson(bytes) === undefined && new TextDecoder().decode(bytes) !== 'null' ? 'is not JSON' : undefined;
    case 'figure': {
      const m = parsesAsJson(bytes) as { format?: unknown; svg?: unknown; table?: unknown } | undefined;
      return m?.format === 'featureflow-figure/1' && typeof m.svg === 'string' && typeof m.table === 'string' ? undefined : 'is not a figure manifest';
    }
    default:
      return `has an unknown kind "${String(kind)}"`;
  }
}
