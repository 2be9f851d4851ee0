/** `run --executor slurm --partition … --time … --mem … --cpus-per-task … --sbatch-arg …` as SlurmSettings. */
import { checkSlurmSettings, type SlurmSettings } from '../executors/slurm/settings.ts';
import { UsageError, type RunCommandOptions } from './options.ts';

type SlurmFlags = Pick<RunCommandOptions, 'executor' | 'partition' | 'time' | 'mem' | 'cpusPerTask' | 'sbatchArg'>;

export function slurmSettingsFromFlags(o: SlurmFlags): SlurmSettings | undefined {
  const given = [
    ['--partition', o.partition],
    ['--time', o.time],
    ['--mem', o.mem],
    ['--cpus-per-task', o.cpusPerTask],
    ['--sbatch-arg', o.sbatchArg?.length ? o.sbatchArg.join(' ') : undefined],
  ].filter(([, v]) => v !== undefined);
  if (o.executor !== 'slurm') {
    if (given.length > 0) throw new UsageError(`${given.map(([f]) => f).join(', ')}: only for --executor slurm (this run uses --executor ${o.executor})`);
    return undefined;
  }
  const cpus = o.cpusPerTask === undefined ? undefined : Number(o.cpusPerTask);
  return checkSlurmSettings({
    ...(o.partition ? { partition: o.partition } : {}),
    ...(o.time ? { time: o.time } : {}),
    ...(o.mem ? { mem: o.mem } : {}),
    ...(cpus !== undefined ? { cpusPerTask: cpus } : {}),
    ...(o.sbatchArg?.length ? { sbatchArgs: o.sbatchArg } : {}),
  });
}
