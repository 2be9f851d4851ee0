/**
 * The SLURM commands the executor uses, behind a small interface so the executor can be tested
 * with a fake: `sbatch` (submit an array), `squeue` (the state of its elements), `scancel`.
 * No `sacct`: it needs slurmdbd, which many clusters (and a local one) do not run; `squeue
 * --states=all` still lists finished elements for MinJobAge (300 s by default).
 */
import { execFile } from 'node:child_process';

export interface ArraySubmission {
  /** the batch script, given to sbatch on stdin */
  readonly script: string;
  /** elements 0 … count-1 */
  readonly count: number;
  /** log path; `%a` becomes the element's index */
  readonly output: string;
  /** the directory the elements start in */
  readonly chdir: string;
  /** resources and the user's own sbatch options */
  readonly args: readonly string[];
}

/** One array element as squeue reports it. */
export interface ElementStatus {
  readonly jobId: string;
  /** -1: the whole array (cancelled before SLURM split it into elements, squeue shows N/A) */
  readonly index: number;
  /** PENDING, RUNNING, COMPLETING, COMPLETED, FAILED, CANCELLED, TIMEOUT, NODE_FAIL, OUT_OF_MEMORY, PREEMPTED, REQUEUED, … */
  readonly state: string;
  readonly reason: string;
}

export interface SlurmCommands {
  /** submit an array; resolves to its job id */
  submitArray(s: ArraySubmission): Promise<string>;
  /** the elements of these arrays that SLURM still knows (finished ones until MinJobAge) */
  queue(jobIds: readonly string[]): Promise<ElementStatus[]>;
  /** cancel whole arrays (`123`) or elements (`123_4`) */
  cancel(ids: readonly string[]): Promise<void>;
}

export class SlurmCommandError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'SlurmCommandError';
  }
}

const TIMEOUT_MS = 60_000;

function call(command: string, args: readonly string[], input?: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = execFile(command, args, { timeout: TIMEOUT_MS, maxBuffer: 64 * 1024 * 1024 }, (err, stdout, stderr) => {
      if (!err) return resolve(stdout);
      const e = err as NodeJS.ErrnoException & { killed?: boolean };
      const why =
        e.code === 'ENOENT'
          ? `${command} is not installed here: run featureflow on a SLURM login node (or install slurm-wlm; docs/distributed.md)`
          : e.killed
            ? `${command} did not answer within ${TIMEOUT_MS / 1000} s`
            : `${command} failed: ${(stderr || e.message).trim()}`;
      reject(new SlurmCommandError(why));
    });
    if (input !== undefined) child.stdin?.end(input);
  });
}

/** Parse `squeue -o '%F|%K|%T|%r'` lines (array job id, element index, state, reason). */
export function parseQueue(text: string): ElementStatus[] {
  return text
    .split('\n')
    .filter((l) => l.trim() !== '')
    .flatMap((line) => {
      const [jobId, index, state, reason] = line.trim().split('|');
      const i = Number(index);
      if (index === 'N/A') return [{ jobId: jobId!, index: -1, state: state ?? '', reason: reason ?? '' }];
      // a pending array not yet split shows its range ("0-9"): its elements are all pending
      if (!Number.isInteger(i)) return expandRange(jobId!, index ?? '', state ?? 'PENDING', reason ?? '');
      return [{ jobId: jobId!, index: i, state: state ?? '', reason: reason ?? '' }];
    });
}

function expandRange(jobId: string, spec: string, state: string, reason: string): ElementStatus[] {
  const out: ElementStatus[] = [];
  for (const part of spec.replace(/%\d+$/, '').split(',')) {
    const [a, b] = part.split('-').map(Number);
    if (!Number.isInteger(a)) continue;
    for (let i = a!; i <= (Number.isInteger(b) ? b! : a!); i++) out.push({ jobId, index: i, state, reason });
  }
  return out;
}

/** The real commands, found on PATH. */
export function slurmCommands(): SlurmCommands {
  return {
    async submitArray(s) {
      const out = await call('sbatch', ['--parsable', `--array=0-${s.count - 1}`, `--output=${s.output}`, `--chdir=${s.chdir}`, ...s.args], s.script);
      const id = out.trim().split(';')[0]!;
      if (!/^\d+$/.test(id)) throw new SlurmCommandError(`sbatch answered "${out.trim()}", not a job id`);
      return id;
    },
    async queue(jobIds) {
      if (jobIds.length === 0) return [];
      try {
        return parseQueue(await call('squeue', ['-h', '-r', '--states=all', `--jobs=${jobIds.join(',')}`, '-o', '%F|%K|%T|%r']));
      } catch (err) {
        // one id that SLURM has forgotten (after MinJobAge) makes squeue fail instead of answering nothing
        if (err instanceof SlurmCommandError && /Invalid job id/i.test(err.message)) return [];
        throw err;
      }
    },
    async cancel(ids) {
      if (ids.length > 0) await call('scancel', [...ids]);
    },
  };
}
