#!/usr/bin/env node
// `npm run build`: compile the package to dist/ (JavaScript + declarations) for projects that
// install featureflow. Development in the repo runs the TS sources through tsx and never needs it.
//   1. tsc -p tsconfig.build.json (relative `.ts` imports become `.js` in the JavaScript);
//   2. the same rewrite in the declarations, which tsc leaves at `.ts`: a user's NodeNext
//      tsconfig without allowImportingTsExtensions would report TS5097 on every one;
//   3. the hand-written .mjs entries (CLI preload, worker entries), with the same rewrite, and
//      the workers' development-only "featureflow-sources" condition switched off;
//   4. dist/native/: a shim to native/index.cjs, which must stay beside native/build/.
import { spawnSync } from 'node:child_process';
import { copyFileSync, mkdirSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const dist = join(root, 'dist');
const relativeTs = /(['"])(\.\.?\/[^'"]*?)\.ts\1/g;
const toJs = (text) => text.replace(relativeTs, '$1$2.js$1');

rmSync(dist, { recursive: true, force: true });
const tsc = createRequire(import.meta.url).resolve('typescript/bin/tsc');
const compiled = spawnSync(process.execPath, [tsc, '-p', join(root, 'tsconfig.build.json')], { stdio: 'inherit' });
if (compiled.status !== 0) {
  console.error('build: tsc -p tsconfig.build.json failed (errors above)');
  process.exit(1);
}

function walk(dir) {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? walk(join(dir, e.name)) : [join(dir, e.name)]));
}
let declarations = 0;
for (const file of walk(dist).filter((f) => f.endsWith('.d.ts'))) {
  const text = readFileSync(file, 'utf8');
  const fixed = toJs(text);
  if (fixed !== text) writeFileSync(file, fixed), declarations++;
}

for (const entry of ['engine/preload.mjs', 'engine/executors/worker-entry.mjs', 'engine/executors/worker-process.mjs', 'engine/ts-loader/hooks.mjs', 'engine/ts-loader/cache-key.mjs', 'engine/ts-loader/register.mjs', 'engine/ts-loader/transform-store.mjs']) {
  mkdirSync(dirname(join(dist, entry)), { recursive: true });
  const text = toJs(readFileSync(join(root, entry), 'utf8'));
  // the workers' "featureflow-sources" condition is for development checkouts only
  const built = text.replace('const FROM_SOURCES = true;', 'const FROM_SOURCES = false;');
  if (text.includes('FROM_SOURCES') && built === text) throw new Error(`build: ${entry}: expected "const FROM_SOURCES = true;" to switch off`);
  writeFileSync(join(dist, entry), built);
}

mkdirSync(join(dist, 'native'), { recursive: true });
writeFileSync(join(dist, 'native', 'index.cjs'), "'use strict';\n// the loader lives beside the addon it builds (native/build/)\nmodule.exports = require('../../native/index.cjs');\n");
copyFileSync(join(root, 'native', 'index.d.cts'), join(dist, 'native', 'index.d.cts'));

console.error(`build: dist/ written (${walk(dist).length} files; ${declarations} declaration files had .ts imports rewritten)`);
