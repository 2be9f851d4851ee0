/**
 * `--set step.param=value`: JSON when it parses (numbers, booleans, arrays), a bracketed or bare
 * comma list whose items are JSON or plain words (`[notebook,elementwise]`, `0,1,2`), else text.
 */
export function parseSetValue(raw: string): unknown {
  try {
    return JSON.parse(raw) as unknown;
  } catch {
    // not JSON
  }
  const opens = raw.startsWith('[');
  const closes = raw.endsWith(']');
  if (opens !== closes) throw new SetSyntaxError(`--set value ${raw}: a list needs both brackets, e.g. [a,b] or a,b`);
  if (opens) {
    const inner = raw.slice(1, -1).trim();
    return inner === '' ? [] : inner.split(',').map((part) => parseSetItem(part.trim(), raw));
  }
  if (raw.includes(',')) return raw.split(',').map((part) => parseSetItem(part.trim(), raw));
  return raw;
}

function parseSetItem(item: string, whole: string): unknown {
  if (item === '') throw new SetSyntaxError(`--set value ${whole}: an empty list item`);
  if (/[[\]]/.test(item)) throw new SetSyntaxError(`--set value ${whole}: nested lists must be written as JSON, e.g. [[1,2],[3]]`);
  try {
    return JSON.parse(item) as unknown;
  } catch {
    return item;
  }
}

export function parseSetOptions(sets: readonly string[]): Map<string, unknown> {
  const out = new Map<string, unknown>();
  for (const s of sets) {
    const eq = s.indexOf('=');
    if (eq <= 0) throw new SetSyntaxError(`--set "${s}": expected step.param=value (e.g. --set fig3.kappa=50 or --set data.seed=[0,1,2])`);
    out.set(s.slice(0, eq).trim(), parseSetValue(s.slice(eq + 1).trim()));
  }
  return out;
}

export class SetSyntaxError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'SetSyntaxError';
  }
}
