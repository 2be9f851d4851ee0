#!/usr/bin/env node
/*
 * Install step of the optional native backend. Never fails the install: when OpenBLAS or Node's
 * headers are missing, or the compile fails, it records why in build-status.json (the loader
 * reports that reason) and exits 0, and featureflow falls back to its JS backends.
 * Node's headers come from the local installation (--nodedir); node-gyp is never allowed to
 * download them. FEATUREFLOW_NATIVE=0 skips the build; FEATUREFLOW_OPENBLAS_LIB names another
 * library to link instead of -lopenblas (a name that does not exist simulates a machine without it);
 * FEATUREFLOW_NATIVE_STATUS_FILE writes the status elsewhere (tests).
 */
'use strict';
const { spawnSync } = require('node:child_process');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const { sourceHash } = require('./source-hash.cjs');

const root = path.resolve(__dirname, '..');
const statusFile = process.env.FEATUREFLOW_NATIVE_STATUS_FILE || path.join(root, 'build-status.json');
const verbose = process.argv.includes('--verbose');
const lib = process.env.FEATUREFLOW_OPENBLAS_LIB || 'openblas';

function finish(built, reason, extra = {}) {
  const status = { built, reason, node: process.version, lib, at: new Date().toISOString(), ...extra };
  fs.writeFileSync(statusFile, JSON.stringify(status, null, 2) + '\n');
  console.log(`featureflow native addon: ${built ? 'built' : `not built: ${reason}`}`);
  process.exit(0);
}

function run(cmd, args, options = {}) {
  const r = spawnSync(cmd, args, { encoding: 'utf8', ...options });
  const out = `${r.stdout ?? ''}${r.stderr ?? ''}${r.error ? String(r.error) : ''}`;
  if (verbose) process.stdout.write(out);
  return { ok: r.status === 0, out };
}

function nodeDir() {
  const candidates = [process.env.npm_config_nodedir, path.resolve(path.dirname(process.execPath), '..')].filter(Boolean);
  return candidates.find((d) => fs.existsSync(path.join(d, 'include', 'node', 'node_api.h')) && fs.existsSync(path.join(d, 'include', 'node', 'common.gypi')));
}

function nodeGyp() {
  if (process.env.npm_config_node_gyp && fs.existsSync(process.env.npm_config_node_gyp)) return process.env.npm_config_node_gyp;
  const npmDir = path.resolve(path.dirname(process.execPath), '..', 'lib', 'node_modules', 'npm');
  for (const base of [npmDir, root]) {
    try {
      return require.resolve('node-gyp/bin/node-gyp.js', { paths: [base] });
    } catch {}
  }
  return undefined;
}

/* links a program that references the LAPACK/BLAS symbols the addon uses */
function probeOpenBlas() {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ff-native-probe-'));
  const src = path.join(dir, 'probe.c');
  const symbols = ['dsyevd_', 'dgesdd_', 'dgetrf_', 'dgetrs_', 'dgelsd_', 'dgeqrf_', 'dorgqr_', 'dgemm_', 'dsyrk_', 'dsymv_', 'sgemm_', 'openblas_set_num_threads'];
  fs.writeFileSync(src, `${symbols.map((s) => `extern void ${s}(void);`).join('\n')}\nint main(void) { void (*volatile f[])(void) = { ${symbols.join(', ')} }; return f[0] == 0; }\n`);
  const cc = process.env.CC || 'cc';
  const r = run(cc, [src, '-o', path.join(dir, 'probe'), `-l${lib}`]);
  fs.rmSync(dir, { recursive: true, force: true });
  return r;
}

if (process.env.FEATUREFLOW_NATIVE === '0') finish(false, 'skipped because FEATUREFLOW_NATIVE=0');
if (process.platform === 'win32') finish(false, 'the native backend builds on Linux/macOS only');

const headers = nodeDir();
if (!headers) finish(false, `Node headers (include/node/node_api.h) not found next to ${process.execPath}; not downloading them`);

const probe = probeOpenBlas();
if (!probe.ok) {
  finish(false, `OpenBLAS not found (cannot link -l${lib} with LAPACK): install libopenblas-dev, then run \`node ${path.join(__dirname, 'install.cjs')} --verbose\``, {
    detail: probe.out.trim().split('\n').slice(-3).join(' | '),
  });
}

const gyp = nodeGyp();
if (!gyp) finish(false, 'node-gyp not found (it ships with npm)');

const compiledFrom = sourceHash(root);
const build = run(process.execPath, [gyp, 'rebuild', `--nodedir=${headers}`, '--release'], { cwd: root, env: { ...process.env, npm_config_nodedir: headers } });
if (!build.ok) finish(false, 'the compile failed (run `npm run build` in native/ to see why)', { detail: build.out.trim().split('\n').slice(-8).join(' | ') });

/* load it once in a fresh process so a missing runtime library shows up now, not at first use */
const addonPath = path.join(root, 'build', 'Release', 'featureflow_native.node');
const check = run(process.execPath, ['-e', `require(${JSON.stringify(addonPath)})`]);
if (!check.ok) finish(false, 'the addon compiled but does not load', { detail: check.out.trim().split('\n').slice(-3).join(' | ') });
finish(true, 'built against OpenBLAS', { nodedir: headers, sourceHash: compiledFrom });
