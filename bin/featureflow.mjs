#!/usr/bin/env node
// The featureflow command. In a development checkout (it has tsconfig.json) the TypeScript sources
// run through the TypeScript hooks (engine/ts-loader: tsx, behind a cache of its output), so there
// is no build step; the installed package runs its compiled dist/ (FEATUREFLOW_DIST=1 forces that
// in a checkout, after `npm run build`). For commands the hooks are registered either way, so
// `featureflow run pipeline.ts` runs a user's TypeScript, and keys agree: code fingerprints hash the
// TS sources (engine/dist-source.ts). Help and version load no engine packages (and, installed, no
// hooks at all); every other command loads what it needs before the hooks (engine/preload.mjs).
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const here = (path) => new URL(path, import.meta.url);
const checkout = existsSync(here('../tsconfig.json')) && process.env.FEATUREFLOW_DIST !== '1';
const fromDist = !checkout && existsSync(here('../dist/engine/cli/main.js'));
const args = process.argv.slice(2);
const light = args.length === 0 || ['-h', '--help', 'help', '-V', '--version'].includes(args[0]);

// tables load Apache Arrow with require() of its ES module (engine/arrow.ts): say so now, not mid-run
if (!light && !process.features.require_module) {
  process.stderr.write(`featureflow: needs Node.js 20.19+ or 22.12+ (require() of ES modules); this is ${process.version}\n`);
  process.exit(2);
}

// in a checkout, help and version replay what they printed last time when no engine source changed
const helpCache = checkout && light ? await import('./help-cache.mjs') : undefined;
const helpEntry = helpCache?.helpEntry(fileURLToPath(here('..')), args);
if (helpEntry && helpCache.replayHelp(helpEntry)) process.exit();

// the TypeScript hooks (engine/ts-loader) come last: modules loaded before them never cross to the
// hooks' thread. Installed, that is the engine's whole JavaScript for the command; in a checkout the
// engine is TypeScript itself, so only the npm packages go first.
if (!light) await import(fromDist ? '../dist/engine/preload.mjs' : '../engine/preload.mjs');
const cli = fromDist ? await import('../dist/engine/cli/main.js') : undefined;
if (cli && !light) await Promise.all([cli.preloadCommand(args), import('../dist/core.js')]);
if (!(fromDist && light)) {
  const { registerTypeScript } = await import(fromDist ? '../dist/engine/ts-loader/register.mjs' : '../engine/ts-loader/register.mjs');
  registerTypeScript({ sourceExports: !fromDist });
}
const { main } = cli ?? (await import('../engine/cli/main.ts'));
process.exitCode = helpCache ? await helpCache.recordHelp(helpEntry, () => main(args)) : await main(args);
