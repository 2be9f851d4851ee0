/** What squeue's job states mean for a task: still going, or ended (and why, in words). */

/** States after which an element runs no more (REQUEUED and the like are not among them). */
const ENDED = new Set(['COMPLETED', 'FAILED', 'CANCELLED', 'TIMEOUT', 'NODE_FAIL', 'OUT_OF_MEMORY', 'PREEMPTED', 'BOOT_FAIL', 'DEADLINE', 'SPECIAL_EXIT', 'REVOKED']);

export function hasEnded(state: string): boolean {
  return ENDED.has(state.replace(/\+$/, ''));
}

export function isRunning(state: string): boolean {
  return state === 'RUNNING' || state === 'COMPLETING';
}

const WHY: Readonly<Record<string, string>> = {
  CANCELLED: 'was cancelled (scancel, or an administrator)',
  TIMEOUT: 'ran out of its time limit: ask for more with --time',
  OUT_OF_MEMORY: 'ran out of memory: ask for more with --mem',
  NODE_FAIL: 'lost its node',
  PREEMPTED: 'was preempted',
  BOOT_FAIL: 'could not start: its node failed to boot',
  DEADLINE: 'missed its deadline',
  FAILED: 'exited with an error before it could report the task',
  COMPLETED: 'ended without writing its result',
};

/** Why an element that left no result ended, for the task's error. */
export function endedWithoutResult(element: string, state: string, reason: string): string {
  const why = WHY[state] ?? `ended in state ${state}`;
  return `SLURM job ${element} ${why}${reason && reason !== 'None' ? ` (${reason})` : ''}`;
}
