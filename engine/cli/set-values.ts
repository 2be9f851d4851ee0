/** `--set step.param=value`: JSON when it parses (numbers, booleans, arrays), comma lists, else text. */
export function parseSetValue(raw: string): unknown {
  try {
    return JSON.parse(raw) as unknown;
  } catch {
    // not JSON
  }
  if (raw.includes(',')) return raw.split(',').map((part) => parseSetValue(part.trim()));
  return raw;
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
