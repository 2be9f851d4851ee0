#!/usr/bin/env node
// The featureflow command. TypeScript sources run through tsx's loader (an npm dependency),
// so there is no build step and what runs is exactly what the code fingerprint hashes.
import '../engine/preload.mjs';
import { register } from 'tsx/esm/api';

register();
const { main } = await import('../engine/cli/main.ts');
process.exitCode = await main(process.argv.slice(2));
