/*
 * Loads the addon for this thread (it is context-aware, so each worker thread gets its own
 * instance) and registers the named error classes it throws. Never throws: `loadNative()`
 * returns the addon or the reason it is unavailable (not built, disabled, or built from older
 * sources than native/src holds now). OpenBLAS threads (a process-wide setting):
 * FEATUREFLOW_BLAS_THREADS when set, else 1.
 */
'use strict';
const fs = require('node:fs');
const path = require('node:path');
const { sourceHash } = require('./scripts/source-hash.cjs');

class NativeError extends Error {
  constructor(message) {
    super(message);
    this.name = new.target.name;
  }
}
/** wrong shapes, lengths, types, non-finite values, out-of-range labels or indices */
class NativeInputError extends NativeError {}
/** LAPACK reported failure (info ≠ 0): singular matrix, no convergence */
class NativeLapackError extends NativeError {}
/** a trainer used after dispose or while an async epoch runs */
class NativeStateError extends NativeError {}
/** an allocation failed, or would pass the memory ceiling (FEATUREFLOW_NATIVE_MAX_BYTES) */
class NativeMemoryError extends NativeError {}

const addonPath = path.join(__dirname, 'build', 'Release', 'featureflow_native.node');
let cached;

function buildStatus() {
  try {
    return JSON.parse(fs.readFileSync(path.join(__dirname, 'build-status.json'), 'utf8'));
  } catch {
    return undefined;
  }
}

function buildStatusReason() {
  const s = buildStatus();
  return s && !s.built ? `not built: ${s.reason}` : undefined;
}

/* the one command that (re)builds the addon where this copy of featureflow lives, repo or node_modules */
const BUILD_COMMAND = `node ${path.join(__dirname, 'scripts', 'install.cjs')} --verbose`;
const REBUILD = `rebuild it with \`${BUILD_COMMAND}\``;

/* a build whose recorded sources differ from native/src now: out of date, not to be loaded */
function staleReason() {
  const recorded = buildStatus()?.sourceHash;
  if (!recorded) return `native addon is out of date (its build records no source hash): ${REBUILD}`;
  let now;
  try {
    now = sourceHash(__dirname);
  } catch (err) {
    return `native addon sources unreadable (${err && err.message ? err.message : String(err)})`;
  }
  return recorded === now ? undefined : `native addon is out of date (built from other sources than native/src holds now): ${REBUILD}`;
}

function loadNative() {
  if (cached) return cached;
  if (process.env.FEATUREFLOW_NATIVE === '0') return (cached = { ok: false, reason: 'disabled by FEATUREFLOW_NATIVE=0' });
  if (!fs.existsSync(addonPath)) {
    return (cached = { ok: false, reason: buildStatusReason() ?? `native addon not built: install libopenblas-dev and a C compiler, then run \`${BUILD_COMMAND}\`` });
  }
  const stale = staleReason();
  if (stale) return (cached = { ok: false, reason: stale });
  try {
    const addon = require(addonPath);
    addon.setErrorClasses({ NativeInputError, NativeLapackError, NativeStateError, NativeMemoryError });
    // one BLAS thread unless asked: the engine already runs one worker per core, and OpenBLAS's
    // results change in the last bits with its thread count, so a fixed count keeps them reproducible
    const threads = Number(process.env.FEATUREFLOW_BLAS_THREADS);
    addon.setThreads(Number.isInteger(threads) && threads >= 1 ? threads : 1);
    // the most one native call may allocate (native/src/budget.h): past it, NativeMemoryError
    // instead of an allocation the OOM killer answers; default min(4 GiB, half the memory)
    const ceiling = Number(process.env.FEATUREFLOW_NATIVE_MAX_BYTES);
    if (Number.isInteger(ceiling) && ceiling > 0) addon.setMemoryCeiling(ceiling);
    cached = { ok: true, addon };
  } catch (err) {
    cached = { ok: false, reason: `native addon failed to load: ${err && err.message ? err.message : String(err)}` };
  }
  return cached;
}

module.exports = { loadNative, addonPath, NativeError, NativeInputError, NativeLapackError, NativeStateError, NativeMemoryError };
