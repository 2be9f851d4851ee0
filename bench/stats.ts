/**
 * The statistics nodes per call against scipy in the same run (Debian's /usr/bin/python3,
 * bench/peers/stats_scipy.py): the Alexander–Govern test on 7 groups × 5 values (the thesis'
 * seven methods × five seeds) and Welch's t-test on two of them. Goal: 10× faster than scipy.
 * Runnable alone: `npx tsx bench/stats.ts`.
 */
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { randomSourceFromSeed } from '../engine/random.ts';
import { alexanderGovern, welchTTest } from '../nodes/stats/index.ts';

const PYTHON = '/usr/bin/python3';
const PEER = fileURLToPath(new URL('./peers/stats_scipy.py', import.meta.url));

export interface StatsBenchRow {
  readonly name: string;
  readonly ours_s: number;
  readonly peer_s: number | null;
  readonly ratio: number | null;
  readonly peer: string;
}

function perCall(f: () => unknown, calls: number): number {
  for (let i = 0; i < calls; i++) f(); // warm-up
  let best = Infinity;
  for (let rep = 0; rep < 3; rep++) {
    const t0 = process.hrtime.bigint();
    for (let i = 0; i < calls; i++) f();
    best = Math.min(best, Number(process.hrtime.bigint() - t0) / 1e9 / calls);
  }
  return best;
}

export async function benchStats(): Promise<StatsBenchRow[]> {
  const r = randomSourceFromSeed('bench/stats');
  const groups = Array.from({ length: 7 }, (_, g) => Array.from({ length: 5 }, () => 0.7 + 0.02 * g + 0.03 * r.normal()));
  const calls = 20000;
  const oursAg = perCall(() => alexanderGovern(groups), calls);
  const oursT = perCall(() => welchTTest(groups[0]!, groups[1]!), calls);
  let peer: { scipy: string; alexandergovern_s: number; ttest_ind_welch_s: number; statistic: number } | undefined;
  const p = spawnSync(PYTHON, [PEER], { input: JSON.stringify({ groups, calls: 2000 }), encoding: 'utf8' });
  if (p.status === 0) peer = JSON.parse(p.stdout);
  else console.error(`stats bench: scipy peer failed: ${p.stderr || p.error}`);
  if (peer && Math.abs(peer.statistic - alexanderGovern(groups).statistic) > 1e-9 * peer.statistic) {
    throw new Error(`stats bench: our statistic ${alexanderGovern(groups).statistic} differs from scipy's ${peer.statistic}`);
  }
  const row = (name: string, ours: number, theirs: number | undefined, what: string): StatsBenchRow => ({
    name,
    ours_s: ours,
    peer_s: theirs ?? null,
    ratio: theirs ? ours / theirs : null,
    peer: peer ? `scipy ${peer.scipy} ${what}` : 'scipy (unavailable)',
  });
  return [
    row('alexander-govern 7 groups × 5 values, per call', oursAg, peer?.alexandergovern_s, 'alexandergovern'),
    row("welch t-test 5 vs 5 values, per call", oursT, peer?.ttest_ind_welch_s, 'ttest_ind(equal_var=False)'),
  ];
}

export default benchStats;

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  for (const row of await benchStats()) {
    console.log(`${row.name}: ours ${(row.ours_s * 1e6).toFixed(2)} µs, ${row.peer} ${row.peer_s === null ? '-' : (row.peer_s * 1e6).toFixed(1) + ' µs'}, ratio ${row.ratio?.toFixed(4) ?? '-'}`);
  }
}
