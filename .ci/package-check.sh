#!/usr/bin/env bash
# CI: featureflow as a researcher's project gets it. Packs the tarball, installs it into a fresh
# `npm init -y` project (with the TypeScript `npm install typescript` gives), then checks, each
# step printed: the native addon built and npm ls clean; the "type": "commonjs" hint; a strict
# NodeNext type-check without allowImportingTsExtensions; the pipeline run with plain node
# (compiled) and with the CLI (TS through its hooks); its export; `featureflow init` running at once.
# Needs the npm registry for the install; nothing after it does.
set -euo pipefail
repo="$(cd "$(dirname "$0")/.." && pwd)"
fixture="$repo/.ci/package-check"
tmp="$(mktemp -d)"
# the project's ~15,000 installed files take ~45 s to delete on this disk: delete in the background
trap '(rm -rf "$tmp" >/dev/null 2>&1 &)' EXIT
start=$SECONDS
step() { printf '\n--- package check [%3ss]: %s\n' "$((SECONDS - start))" "$*"; }
fail() { echo "package check FAILED: $*" >&2; exit 1; }

step "npm pack (prepack builds dist/)"
(cd "$repo" && npm pack --silent --pack-destination "$tmp" >/dev/null)
tgz="$(ls "$tmp"/featureflow-*.tgz)"
files=$(tar tzf "$tgz" | wc -l)
echo "$(basename "$tgz"): $(du -k "$tgz" | cut -f1) KiB, $files files"
if tar tzf "$tgz" | grep -E '^package/(test|bench|docs)/|\.test\.ts$'; then fail "the tarball ships tests, benches or docs (above)"; fi

step "fresh npm init -y project; npm install the tarball, typescript, @types/node"
app="$tmp/app"
mkdir "$app" && cd "$app"
npm init -y >/dev/null
npm install --no-audit --no-fund --prefer-offline "$tgz" typescript @types/node@20 2>&1 | grep -v '^npm warn install-scripts' || true
echo "typescript: $(npx tsc --version)"
npm ls --all 2>&1 | grep -E 'invalid|missing|ERR' && fail "npm ls reports problems (above)" || echo "npm ls: clean"

step "the native addon (built by featureflow's install script where OpenBLAS is installed)"
native="$(node -e "const r=require('./node_modules/featureflow/native/index.cjs').loadNative(); console.log(r.ok ? 'ok' : r.reason)")"
echo "native: $native"
if [ "$(node -p "require('$repo/native/build-status.json').built" 2>/dev/null)" = "true" ] && [ "$native" != "ok" ]; then
  fail "the repo's addon builds here but the installed one does not load: $native"
fi

step "\"type\": \"commonjs\" (npm init's default): the CLI names the fix"
cp "$fixture"/nodes.ts "$fixture"/pipeline.ts "$fixture"/main.ts "$fixture"/tsconfig.json .
set +e; out="$(npx featureflow run pipeline.ts 2>&1)"; rc=$?; set -e
echo "$out" | head -1
[ $rc -eq 2 ] && echo "$out" | head -1 | grep -q 'set "type": "module"' || fail "no one-line commonjs hint (exit $rc)"
npm pkg set type=module

step "type-check and compile under strict NodeNext, no allowImportingTsExtensions"
npx tsc -p . || fail "tsc -p . (tsconfig: $(tr -d '\n ' < tsconfig.json))"

step "plain node runs the compiled pipeline (build/main.js calls run())"
node build/main.js > "$tmp/node.out"
grep -o '"computed":[0-9]*,"cached":[0-9]*,"failed":[0-9]*' "$tmp/node.out" || true
grep -q '"computed":7,"cached":0,"failed":0' "$tmp/node.out" || fail "plain node did not compute the 7 tasks: $(cat "$tmp/node.out")"

step "npx featureflow run pipeline.ts (TypeScript through the hooks)"
npx featureflow run pipeline.ts --store artifacts-cli --json > "$tmp/cli.out"
grep -o '"computed":[0-9]*,"cached":[0-9]*,"failed":[0-9]*' "$tmp/cli.out" || true
grep -q '"computed":7,"cached":0,"failed":0' "$tmp/cli.out" || fail "the CLI did not compute the 7 tasks: $(tail -3 "$tmp/cli.out")"
npx featureflow run pipeline.ts --store artifacts-cli --quiet | tail -1

step "npx featureflow export pipeline.ts --format parquet,csv"
npx featureflow export pipeline.ts --store artifacts-cli --format parquet,csv --out exports
find exports -type f | sort
[ -n "$(find exports -name '*.parquet')" ] && [ -n "$(find exports -name '*.csv')" ] || fail "export wrote no Parquet and CSV files"

step "featureflow init study: type-checks and runs at once"
npx featureflow init study
(cd study && ../node_modules/.bin/tsc -p . --noEmit && ../node_modules/.bin/featureflow run pipeline.ts --quiet | tail -1) || fail "the scaffolded project does not type-check or run"

step "all package checks passed in $((SECONDS - start)) s"
