/**
 * The `featureflow` command line: run · plan · explain · export · report · serve · list · gc · verify · reproduce · worker.
 * Exit codes: 0 ok, 1 a task failed (or verify found a problem), 2 bad input, 130 interrupted.
 * Each command's module loads when the command runs, so `--help` and `--version` load little.
 */
import { Command, Option } from 'commander';
import { CanonicalEncodingError } from '../canonical.ts';
import { BackendSelectionError, BackendUnavailable } from '../compute/backends.ts';
import { PipelineError } from '../errors.ts';
import { EXECUTOR_KINDS } from '../executors/kinds.ts';
import { RedisUnreachableError } from '../executors/redis/protocol.ts';
import { UnknownPipelineError } from '../load.ts';
import { packageVersion } from '../project.ts';
import { NodeIdentityError } from '../registry/registry.ts';
import { StoreError } from '../store/errors.ts';
import { BatchFileError } from '../executors/slurm/batch-file.ts';
import { SlurmSettingsError } from '../executors/slurm/settings.ts';
import { UsageError } from './options.ts';
import { SetSyntaxError } from './set-values.ts';

const collect = (v: string, prev: string[]) => [...prev, v];

function withCommon(cmd: Command): Command {
  return cmd
    .option('--store <dir>', 'store directory', 'artifacts')
    .option('--set <step.param=value>', 'override a parameter (repeatable); a list replaces a sweep', collect, [])
    .option('--profile <name>', "a pipeline's named bundle of overrides (e.g. paper)")
    .option('--backend <names>', 'force compute backends, comma-separated (e.g. native, ml-matrix, wasm, cpu)')
    .option('--until <step>', 'only this step and what it needs, nothing after (repeatable)', collect, [])
    .option('--json', 'print events as NDJSON on stdout');
}

function withRunOptions(cmd: Command): Command {
  return cmd
    .addOption(new Option('--executor <kind>', 'processes (a crashing task fails alone), threads, in-process, redis (a worker pool: --redis) or slurm (sbatch job arrays)').choices([...EXECUTOR_KINDS]).default('processes'))
    .option('--redis <url>', 'with --executor redis: the Redis that `featureflow worker`s listen on (redis://host:6379)')
    .option('-j, --jobs <n>', 'worker processes or threads (default: one per core); with redis, tasks kept queued or running (default 256)')
    .option('--partition <name>', 'slurm: the partition every array goes to')
    .option('--time <limit>', 'slurm: time limit per task (30, 1:00:00, 2-00:00:00)')
    .option('--mem <size>', 'slurm: memory per task (500M, 4G)')
    .option('--cpus-per-task <n>', 'slurm: cores per task (default 1)')
    .option('--sbatch-arg <option>', 'slurm: any other sbatch option, e.g. --sbatch-arg=--account=lab (repeatable)', collect, [])
    .option('--fail-fast', 'stop scheduling after the first failed task')
    .option('--results <dir>', 'where the named outputs are written as Parquet/SVG/PNG', 'results')
    .option('--no-results', 'do not write the outputs')
    .option('--durability <mode>', 'each (fsync every write), batch (fsync together, shortly after), none', 'batch')
    .option('--no-fsync', 'same as --durability none')
    .option('-n, --dry-run', 'show what would run and why, run nothing (the same as `plan`)')
    .option('--force <step>', "recompute this step's tasks even if cached (repeatable); downstream follows early cutoff", collect, [])
    .option('--forceall', 'recompute every task')
    .option('-q, --quiet', 'print only failures and the summary')
    .option('-v, --verbose', "print a failed task's stack")
    .option('--watch', 'rerun on every save of a node, pipeline or data file; only what changed recomputes (Ctrl-C ends)');
}

/**
 * Each command's module, imported when the command runs. The installed CLI imports it before the
 * TypeScript hooks are registered (preloadCommand), so the engine's own JavaScript loads without them.
 */
const commandModules = {
  run: () => import('./commands/run.ts'),
  plan: () => import('./commands/plan.ts'),
  explain: () => import('./commands/explain.ts'),
  export: () => import('./commands/export.ts'),
  serve: () => import('./commands/serve.ts'),
  '__live-run': () => import('../serve/child.ts'),
  report: () => import('./commands/report.ts'),
  list: () => import('./commands/list.ts'),
  init: () => import('./init.ts'),
  exec: () => import('./commands/exec.ts'),
  gc: () => import('./commands/gc.ts'),
  verify: () => import('./commands/verify.ts'),
  worker: () => import('./commands/worker.ts'),
  reproduce: () => import('./commands/run.ts'),
} as const;

/** Import what `argv`'s command will need (nothing for an unknown one, which commander reports). */
export async function preloadCommand(argv: readonly string[]): Promise<void> {
  const name = argv[0];
  if (name !== undefined && Object.hasOwn(commandModules, name)) await commandModules[name as keyof typeof commandModules]();
}

/** What one invocation of the CLI decided: its exit code. Never module-global. */
interface CliState {
  exitCode: number;
}

export function buildCli(state: CliState = { exitCode: 0 }): Command {
  const setExit = (code: number) => {
    state.exitCode = code;
  };
  const program = new Command('featureflow')
    .description('typed ML experiment pipelines with a content-addressed cache')
    .version(packageVersion(), '-V, --version')
    .showHelpAfterError()
    .exitOverride();

  withRunOptions(withCommon(program.command('run <pipeline>').description('run a pipeline (a built-in name or a module path), computing only what changed'))).action(
    async (p: string, o) => setExit(await (await commandModules.run()).runCommand(p, o)),
  );

  withRunOptions(withCommon(program.command('reproduce <pipeline>').description("run a pipeline at the paper's sizes (its `paper` profile)"))).action(
    async (p: string, o) => {
      // a pipeline whose default already is the paper's size has no `paper` profile
      const { loadPipeline } = await import('../load.ts');
      const hasPaper = 'paper' in (await loadPipeline(p)).profiles;
      if (!hasPaper && !o.profile) process.stderr.write(`info: pipeline ${p} has no paper profile: its default run is the paper's size\n`);
      setExit(await (await commandModules.run()).runCommand(p, { ...o, profile: o.profile ?? (hasPaper ? 'paper' : undefined) }));
    },
  );

  withCommon(program.command('plan <pipeline>').description('dry run: every task as cached or to compute, with the reason')).action(async (p: string, o) => setExit(await (await commandModules.plan()).planCommand(p, o)));

  withCommon(program.command('explain <pipeline> <task>').description('why a task is stale: which key component changed since its last run')).action(async (p: string, t: string, o) =>
    setExit(await (await commandModules.explain()).explainCommand(p, t, o)),
  );

  withCommon(program.command('export <pipeline>').description('write outputs (or one step) as Parquet, CSV or Arrow'))
    .option('--output <name>', 'one named output or step (default: all named outputs)')
    .option('--format <list>', 'parquet, csv, arrow (comma-separated)', 'parquet')
    .option('--out <dir>', 'destination', 'exports')
    .option('--hive', 'also write a Hive-partitioned folder per output (<axis>=<value>/part.<format>)')
    .action(async (p: string, o) => setExit(await (await commandModules.export()).exportCommand(p, o)));

  withRunOptions(withCommon(program.command('serve <pipeline>').description('run a pipeline with a live page on 127.0.0.1: figures and gathered tables redraw as cells finish')))
    .option('--port <n>', 'port on 127.0.0.1 (0: any free port)', '7878')
    .action(async (p: string, o) => setExit(await (await commandModules.serve()).serveCommand(p, o)));

  program.command('__live-run', { hidden: true }).action(async () => setExit(await (await commandModules['__live-run']()).liveRunChild()));

  withCommon(program.command('report <pipeline>').description('one self-contained HTML page for the latest run with these settings (or --run <id>)'))
    .option('--run <id>', 'the run to show (run ids: the run records in <store>/runs/)')
    .option('--out <file>', 'where to write the page (default: <pipeline>-report.html)')
    .option('--table-limit <MB>', 'table data the page embeds in all; bigger tables are shown in part', '5')
    .action(async (p: string, o) => setExit(await (await commandModules.report()).reportCommand(p, o)));

  program
    .command('list')
    .description('the built-in pipelines and the pipeline files in a folder, with their steps, nodes and profiles')
    .option('--dir <dir>', 'where to look for pipeline files', '.')
    .option('--json', 'print one JSON object per pipeline')
    .action(async (o: { dir: string; json?: boolean }) => setExit(await (await commandModules.list()).listCommand(o)));

  program
    .command('init [dir]')
    .description('scaffold a project in dir (default: here): package.json, tsconfig, nodes.ts, pipeline.ts with a small sweep, README; never overwrites')
    .action(async (dir?: string) => setExit((await commandModules.init()).initCommand(dir ?? '.')));

  program
    .command('exec')
    .description('run one task of a SLURM array (what `run --executor slurm` submits; not for typing by hand)')
    .requiredOption('--batch <file>', 'the batch file the coordinator wrote into the store')
    .requiredOption('--index <n>', "the element's index, $SLURM_ARRAY_TASK_ID")
    .requiredOption('--store <dir>', 'the store, as this host mounts it')
    .action(async (o: { batch: string; index: string; store: string }) => setExit(await (await commandModules.exec()).execCommand(o)));

  program
    .command('gc')
    .description('delete what the latest run of each pipeline does not reach (dry run unless --delete)')
    .option('--store <dir>', 'store directory', 'artifacts')
    .option('--delete', 'really delete')
    .option('--json', 'print the report as JSON')
    .action(async (o: { store: string; delete?: boolean; json?: boolean }) => setExit(await (await commandModules.gc()).gcCommand(o)));

  program
    .command('verify')
    .description('re-hash every object; --recompute N recomputes N random tasks and compares bytes')
    .option('--store <dir>', 'store directory', 'artifacts')
    .option('--recompute <n>', 'recompute this many random tasks', '0')
    .option('--json', 'print the report as JSON')
    .action(async (o: { store: string; recompute: string; json?: boolean }) => setExit(await (await commandModules.verify()).verifyCommand(o)));

  program
    .command('worker')
    .description('serve the tasks of `run --executor redis` on this host (in a checkout of the same project) until Ctrl-C')
    .option('--redis <url>', 'the Redis the coordinator enqueues on (redis://host:6379)')
    .option('--store <dir>', 'the shared store, as this host mounts it', 'artifacts')
    .option('--project <dir>', "this host's checkout of the coordinator's project (default: the current directory)")
    .option('-j, --jobs <n>', 'tasks at once, each in a worker process (default: one per core)')
    .option('-q, --quiet', 'print only failures')
    .action(async (o) => setExit(await (await commandModules.worker()).workerCommand(o)));
  return program;
}

/** Errors that are the user's input (a pipeline, a flag, a store path): exit 2 with the message. */
const INPUT_ERRORS = [PipelineError, UnknownPipelineError, StoreError, SetSyntaxError, UsageError, CanonicalEncodingError, BackendSelectionError, BackendUnavailable, NodeIdentityError, RedisUnreachableError, BatchFileError, SlurmSettingsError];

/**
 * `featureflow run … | head` closes stdout early: end quietly instead of with an EPIPE stack.
 * The exit is taken before anything can replace process.exit (in-process tasks guard it).
 */
const exitNow = process.exit.bind(process);
function quietOnBrokenPipe(): void {
  process.stdout.on('error', (err: NodeJS.ErrnoException) => {
    if (err.code === 'EPIPE') exitNow(typeof process.exitCode === 'number' ? process.exitCode : 0);
    throw err;
  });
}

export async function main(argv: string[]): Promise<number> {
  quietOnBrokenPipe();
  const state: CliState = { exitCode: 0 };
  const program = buildCli(state);
  try {
    await program.parseAsync(argv, { from: 'user' });
    return state.exitCode;
  } catch (err) {
    const e = err as Error & { code?: string; exitCode?: number };
    if (e.code?.startsWith('commander.')) {
      // help and version (`--help`, `help <command>`, `-V`) end with commander's exit code 0; a usage error is ours, 2
      return e.exitCode === 0 ? 0 : 2;
    }
    if (INPUT_ERRORS.some((C) => err instanceof C)) {
      process.stderr.write(`featureflow: ${e.message}\n`);
      return 2;
    }
    process.stderr.write(`featureflow: unexpected error: ${e.stack ?? e.message}\n`);
    return 1;
  }
}

