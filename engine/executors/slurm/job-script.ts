/**
 * The script every element of an array runs: `featureflow exec` on its own index of the batch
 * file. The node binary and the featureflow entry are the coordinator's own absolute paths: the
 * cluster sees the project (and its node_modules) on the shared filesystem, as it sees the store.
 */
import { join } from 'node:path';
import { projectRoot } from '../../project.ts';

const quote = (s: string) => `'${s.replace(/'/g, `'\\''`)}'`;

export interface ElementCommand {
  /** the program and its first arguments, e.g. [node, featureflow.mjs] */
  readonly argv: readonly string[];
}

/** This installation's `featureflow`, run by this Node. */
export function ownCommand(): ElementCommand {
  return { argv: [process.execPath, join(projectRoot, 'bin', 'featureflow.mjs')] };
}

export function elementScript(command: ElementCommand, batchFile: string, storeRoot: string): string {
  return [
    '#!/bin/sh',
    '# written by featureflow (run --executor slurm): element $SLURM_ARRAY_TASK_ID runs task $SLURM_ARRAY_TASK_ID of the batch file',
    `exec ${command.argv.map(quote).join(' ')} exec --batch ${quote(batchFile)} --index "$SLURM_ARRAY_TASK_ID" --store ${quote(storeRoot)}`,
    '',
  ].join('\n');
}
