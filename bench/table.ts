/**
 * The row every benchmark returns and the one table `npm run bench` prints. Times are seconds;
 * `ratio` is ours / peer (below 1: we are faster). Bench modules written with their own row
 * shapes are adapted by `toBenchRows`, so a new bench only has to return objects with a name
 * and some timing fields.
 */
export interface BenchRow {
  readonly group: string;
  readonly name: string;
  /** our time in seconds (a per-task figure is still seconds: 0.0008 = 0.8 ms) */
  readonly ours_s: number;
  /** what we compare with, e.g. `joblib 1.2.0` or `-` */
  readonly peer: string;
  readonly peer_s: number | null;
  /** ours_s / peer_s; null when there is no peer figure */
  readonly ratio: number | null;
  readonly note?: string;
}

export function benchRow(group: string, name: string, ours_s: number, peer: string, peer_s: number | null, note?: string): BenchRow {
  const ratio = peer_s !== null && peer_s > 0 && Number.isFinite(ours_s) ? ours_s / peer_s : null;
  return { group, name, ours_s, peer, peer_s, ratio, ...(note ? { note } : {}) };
}

/** Seconds in a readable unit: µs, ms or s, three significant digits. */
export function formatSeconds(s: number | null | undefined): string {
  if (s === null || s === undefined || !Number.isFinite(s)) return '-';
  const abs = Math.abs(s);
  if (abs === 0) return '0';
  // thresholds at 0.9995 of the next unit, so 0.99999 s prints as 1.00 s, not 1.00e+3 ms
  if (abs < 0.9995e-3) return `${(s * 1e6).toPrecision(3)} µs`;
  if (abs < 0.9995) return `${(s * 1e3).toPrecision(3)} ms`;
  return `${s.toPrecision(3)} s`;
}

function formatRatio(r: number | null): string {
  if (r === null || !Number.isFinite(r)) return '-';
  return r >= 100 ? `${r.toFixed(0)}×` : `${r.toPrecision(2)}×`;
}

// Field names other helpers may have chosen for the same idea, most specific first.
const OURS_FIELDS = ['ours_s', 'oursS', 'ours', 'featureflow_s', 'featureflow', 'ours_ms', 'oursMs', 'time_s', 'seconds', 'ms'];
const PEER_FIELDS = ['peer_s', 'peerS', 'peer_time', 'peerTime', 'peer_ms', 'peerMs', 'baseline_s', 'baseline', 'reference_s'];
const PEER_NAME_FIELDS = ['peer', 'peer_name', 'peerName', 'baseline_name', 'against', 'vs'];
const NAME_FIELDS = ['name', 'task', 'case', 'label', 'what', 'metric'];

/** A number found under one of `fields`, converted to seconds when the field name says ms. */
function timing(row: Record<string, unknown>, fields: readonly string[]): number | null | undefined {
  for (const f of fields) {
    if (!(f in row)) continue;
    const v = row[f];
    if (v === null) return null;
    if (typeof v === 'number' && Number.isFinite(v)) return /ms$|Ms$|^ms$/.test(f) ? v / 1000 : v;
    if (typeof v === 'object' && v !== null) {
      // a nested { s } / { ms } / { seconds } timing
      const nested = v as Record<string, unknown>;
      if (typeof nested.s === 'number') return nested.s;
      if (typeof nested.seconds === 'number') return nested.seconds;
      if (typeof nested.ms === 'number') return nested.ms / 1000;
    }
  }
  return undefined;
}

function text(row: Record<string, unknown>, fields: readonly string[]): string | undefined {
  for (const f of fields) {
    const v = row[f];
    if (typeof v === 'string' && v.length > 0) return v;
  }
  return undefined;
}

/**
 * Rows from whatever a bench module returned: BenchRows pass through; other objects are read
 * tolerantly (see the field lists above); anything else becomes a row that says what was wrong.
 */
export function toBenchRows(group: string, result: unknown): BenchRow[] {
  const list = Array.isArray(result) ? result : result && typeof result === 'object' && Array.isArray((result as { rows?: unknown }).rows) ? (result as { rows: unknown[] }).rows : [result];
  const rows: BenchRow[] = [];
  for (const item of list) {
    if (item === null || typeof item !== 'object') {
      rows.push({ group, name: `(unreadable row: ${String(item)})`, ours_s: Number.NaN, peer: '-', peer_s: null, ratio: null });
      continue;
    }
    const r = item as Record<string, unknown>;
    const ours = timing(r, OURS_FIELDS);
    const peer = timing(r, PEER_FIELDS);
    const peerName = text(r, PEER_NAME_FIELDS) ?? (peer === undefined || peer === null ? '-' : 'peer');
    const name = text(r, NAME_FIELDS) ?? JSON.stringify(r).slice(0, 60);
    const rowGroup = typeof r.group === 'string' ? r.group : group;
    const known = new Set([...OURS_FIELDS, ...PEER_FIELDS, ...PEER_NAME_FIELDS, ...NAME_FIELDS, 'group', 'ratio', 'note']);
    const extras = Object.entries(r).filter(([k, v]) => !known.has(k) && v !== undefined && typeof v !== 'object');
    const noteParts = [typeof r.note === 'string' ? r.note : undefined, ...extras.map(([k, v]) => `${k}=${String(v)}`)].filter(Boolean);
    const base = benchRow(rowGroup, name, ours ?? Number.NaN, peerName, peer ?? null, noteParts.join('; ') || undefined);
    const givenRatio = typeof r.ratio === 'number' && Number.isFinite(r.ratio) ? r.ratio : null;
    rows.push({ ...base, ratio: base.ratio ?? givenRatio });
  }
  return rows;
}

/** One aligned plain-text table (it reads the same in a terminal, a log and docs). */
export function formatTable(rows: readonly BenchRow[]): string {
  const header = ['group', 'benchmark', 'ours', 'peer', 'peer time', 'ours/peer', 'note'];
  const body = rows.map((r) => [r.group, r.name, formatSeconds(r.ours_s), r.peer, formatSeconds(r.peer_s), formatRatio(r.ratio), r.note ?? '']);
  const all = [header, ...body];
  const widths = header.map((_, i) => Math.max(...all.map((line) => line[i]!.length)));
  const line = (cells: readonly string[]) =>
    cells
      .map((c, i) => (i === 2 || i === 4 || i === 5 ? c.padStart(widths[i]!) : c.padEnd(widths[i]!)))
      .join('  ')
      .trimEnd();
  return [line(header), widths.map((w) => '-'.repeat(w)).join('  '), ...body.map(line)].join('\n');
}

export function printTable(rows: readonly BenchRow[]): void {
  process.stdout.write(`${formatTable(rows)}\n`);
}
