/**
 * The one-node SLURM the distributed tests use, started by .ci/slurm-localhost.sh. Missing
 * binaries or a cluster that will not start skip a test here and fail it in CI (CI=1), with why.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { projectRoot } from '../../engine/project.ts';

export type Cluster = { readonly ready: true } | { readonly ready: false; readonly why: string };

const onPath = (cmd: string) => spawnSync('sh', ['-c', `command -v ${cmd}`]).status === 0;

export function startLocalSlurm(): Cluster {
  const missing = ['sbatch', 'squeue', 'scancel', 'scontrol', 'slurmctld', 'slurmd', 'munged'].filter((c) => !onPath(c) && !existsSync(`/usr/sbin/${c}`));
  if (missing.length > 0) return { ready: false, why: `SLURM is not installed here (${missing.join(', ')} missing): apt-get install slurm-wlm munge, or run .ci/run` };
  const r = spawnSync('bash', [join(projectRoot, '.ci/slurm-localhost.sh'), 'start'], { encoding: 'utf8', timeout: 120_000 });
  if (r.status !== 0) return { ready: false, why: `.ci/slurm-localhost.sh could not start SLURM: ${(r.stderr || r.stdout || String(r.error)).trim()}` };
  return { ready: true };
}

/** Skip without a cluster, but fail in CI: the reliability tests must run there. */
export function needCluster(cluster: Cluster | undefined, skip: (why: string) => void): void {
  if (cluster?.ready) return;
  const why = cluster && !cluster.ready ? cluster.why : 'the cluster was not started';
  if (process.env.CI) throw new Error(why);
  skip(why);
}

/** The elements SLURM lists for arrays of this job name: `jobId_index` → state. */
export function elementsNamed(name: string): Map<string, string> {
  const out = execFileSync('squeue', ['-h', '-r', '--states=all', `--name=${name}`, '-o', '%F_%K|%T'], { encoding: 'utf8' });
  return new Map(out.split('\n').filter(Boolean).map((l) => l.split('|') as [string, string]));
}

export const slurmdPid = (): number | undefined => {
  try {
    return Number(readFileSync('/run/slurm/slurmd.pid', 'utf8'));
  } catch {
    return undefined;
  }
};
