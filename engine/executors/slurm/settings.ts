/**
 * What a SLURM run asks of the cluster: the `sbatch` resources of every array it submits, and
 * how the coordinator follows them. Set by `run --executor slurm --partition … --sbatch-arg …`,
 * by a profile's `slurm` entry, or by `run(p, { executor: 'slurm', slurm: {...} })`.
 */

export interface SlurmSettings {
  /** `--partition` */
  readonly partition?: string;
  /** `--time` per task, in any form sbatch takes (`30`, `1:00:00`, `2-00:00:00`) */
  readonly time?: string;
  /** `--mem` per task (`4G`, `500M`) */
  readonly mem?: string;
  /** `--cpus-per-task` (default 1) */
  readonly cpusPerTask?: number;
  /** anything else, passed to sbatch as given (e.g. `--account=lab`, `--qos=short`) */
  readonly sbatchArgs?: readonly string[];
  /** how often squeue is asked about the run's arrays (default 500 ms) */
  readonly pollMs?: number;
  /** how long ready tasks gather into one array before it is submitted (default 200 ms) */
  readonly gatherMs?: number;
  /** the most elements one array gets (default 1000, SLURM's default MaxArraySize is 1001) */
  readonly maxArraySize?: number;
  /** `--job-name` of the arrays (default `featureflow`) */
  readonly jobName?: string;
}

export class SlurmSettingsError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'SlurmSettingsError';
  }
}

const TIME = /^(\d+-)?\d+(:\d{1,2}){0,2}$|^\d+-\d+$/;
const MEM = /^\d+[KMGT]?$/i;

/** Settings checked before anything is submitted: a bad value names its flag and the fix. */
export function checkSlurmSettings(s: SlurmSettings): SlurmSettings {
  const problems: string[] = [];
  if (s.time !== undefined && !TIME.test(s.time)) problems.push(`--time ${s.time}: expected minutes, H:MM:SS or D-HH:MM:SS (e.g. 30, 1:00:00, 2-00:00:00)`);
  if (s.mem !== undefined && !MEM.test(s.mem)) problems.push(`--mem ${s.mem}: expected a size such as 500M or 4G`);
  if (s.cpusPerTask !== undefined && !(Number.isInteger(s.cpusPerTask) && s.cpusPerTask >= 1)) problems.push(`--cpus-per-task ${s.cpusPerTask}: expected a positive integer`);
  if (s.partition !== undefined && !/^[\w.,-]+$/.test(s.partition)) problems.push(`--partition ${s.partition}: expected a partition name (letters, digits, . _ -)`);
  for (const a of s.sbatchArgs ?? []) {
    if (!a.startsWith('-')) problems.push(`--sbatch-arg ${a}: expected an sbatch option such as --account=lab (write it with = so it stays one argument)`);
    if (/^--?(array|output|error|wrap|parsable|chdir)\b|^-[aoeD]$/.test(a)) problems.push(`--sbatch-arg ${a}: featureflow sets this option itself`);
  }
  for (const [name, v, min] of [['pollMs', s.pollMs, 10], ['gatherMs', s.gatherMs, 0], ['maxArraySize', s.maxArraySize, 1]] as const) {
    if (v !== undefined && !(Number.isFinite(v) && v >= min)) problems.push(`slurm.${name} ${v}: expected a number >= ${min}`);
  }
  if (problems.length > 0) throw new SlurmSettingsError(problems.join('\n'));
  return s;
}

/** Later settings win, key by key; `sbatchArgs` add up (a profile's, then the command line's). */
export function mergeSlurmSettings(...layers: ReadonlyArray<SlurmSettings | undefined>): SlurmSettings {
  const out: Record<string, unknown> = {};
  const args: string[] = [];
  for (const layer of layers) {
    for (const [k, v] of Object.entries(layer ?? {})) {
      if (v === undefined) continue;
      if (k === 'sbatchArgs') args.push(...(v as string[]));
      else out[k] = v;
    }
  }
  return { ...out, ...(args.length > 0 ? { sbatchArgs: args } : {}) } as SlurmSettings;
}

/** The sbatch options these settings stand for (the array, output and command come elsewhere). */
export function resourceArgs(s: SlurmSettings): string[] {
  return [
    ...(s.partition ? [`--partition=${s.partition}`] : []),
    ...(s.time ? [`--time=${s.time}`] : []),
    ...(s.mem ? [`--mem=${s.mem}`] : []),
    `--cpus-per-task=${s.cpusPerTask ?? 1}`,
    `--job-name=${s.jobName ?? 'featureflow'}`,
    ...(s.sbatchArgs ?? []),
  ];
}
