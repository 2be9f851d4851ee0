#!/usr/bin/env node
// The featureflow command. TypeScript sources run through tsx's loader (an npm dependency),
// so there is no build step and what runs is exactly what the code fingerprint hashes.
// Help and version load no engine packages; every other command preloads the big ones first
// (engine/preload.mjs says why).
const args = process.argv.slice(2);
const light = args.length === 0 || ['-h', '--help', 'help', '-V', '--version'].includes(args[0]);
if (!light) await import('../engine/preload.mjs');
const { register } = await import('tsx/esm/api');
register();
const { main } = await import('../engine/cli/main.ts');
process.exitCode = await main(args);
