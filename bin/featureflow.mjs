#!/usr/bin/env node
// The featureflow command. In a development checkout (it has tsconfig.json) the TypeScript sources
// run through tsx's loader, so there is no build step; the installed package runs its compiled
// dist/ (FEATUREFLOW_DIST=1 forces that in a checkout, after `npm run build`). For commands, tsx is
// registered either way, so `featureflow run pipeline.ts` runs a user's TypeScript, and keys agree:
// code fingerprints hash the TS sources (engine/dist-source.ts). Help and version load no engine
// packages (and, installed, no loader at all); every other command preloads the big ones first
// (engine/preload.mjs says why).
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const here = (path) => new URL(path, import.meta.url);
const checkout = existsSync(here('../tsconfig.json')) && process.env.FEATUREFLOW_DIST !== '1';
const fromDist = !checkout && existsSync(here('../dist/engine/cli/main.js'));
const args = process.argv.slice(2);
const light = args.length === 0 || ['-h', '--help', 'help', '-V', '--version'].includes(args[0]);

// in a checkout, help and version replay what they printed last time when no engine source changed
const helpCache = checkout && light ? await import('./help-cache.mjs') : undefined;
const helpEntry = helpCache?.helpEntry(fileURLToPath(here('..')), args);
if (helpEntry && helpCache.replayHelp(helpEntry)) process.exit();

if (!light) await import(fromDist ? '../dist/engine/preload.mjs' : '../engine/preload.mjs');
// from sources, `import … from 'featureflow'` means the sources too (engine/source-exports.mjs)
if (!fromDist) (await import('node:module')).register('../engine/source-exports.mjs', import.meta.url);
if (!(fromDist && light)) (await import('tsx/esm/api')).register();
const { main } = await import(fromDist ? '../dist/engine/cli/main.js' : '../engine/cli/main.ts');
process.exitCode = helpCache ? await helpCache.recordHelp(helpEntry, () => main(args)) : await main(args);
