#!/usr/bin/env bash
# The whole test suite, as the README and CI run it: the typecheck, the OpenAPI and Worker-types drift
# checks, every vitest test (inside workerd, plus the Node project for real processes), and a Worker bundle.
# Each step is one check; vitest contributes one per test. It ends with "N passed, N failed".
set -uo pipefail
cd "$(dirname "$0")/.."
mkdir -p .tmp

# etcd 3.4 and Chromium first: installed here where possible, or a clear message and a stop (never ENOENT).
if ! bash scripts/system-deps.sh; then
  echo "0 passed, 1 failed"
  exit 1
fi

passed=0
failed=0
failures=()

step() {
  local name=$1
  shift
  echo "── $name"
  if "$@"; then
    passed=$((passed + 1))
  else
    failed=$((failed + 1))
    failures+=("$name")
  fi
}

# /docs serves Scalar's bundle from public/ (Workers static assets); wrangler and the tests need it in place.
step "docs assets (Scalar bundle into public/)" node scripts/docs-assets.mjs
# The generated-client proof: types generated from the committed contract (redocly.yaml names the input and
# output), then typechecked against
# test/generated-client.test.ts (which vitest runs below).
step "client types from openapi/openapi.json (openapi-typescript)" npx openapi-typescript
step "lint and format (biome ci, warnings fail too)" npx biome ci --colors=off --error-on-warnings .
step "typecheck (tsc --noEmit)" npx tsc --noEmit
# Unused files, exports and dependencies (knip.json names the entry points knip cannot find by itself).
step "no unused files, exports or dependencies (knip)" npx knip
step "openapi/openapi.json matches the app" npx tsx openapi/generate.ts --check
step "openapi/openapi.json passes redocly lint (redocly.yaml)" env REDOCLY_TELEMETRY=off REDOCLY_SUPPRESS_UPDATE_NOTICE=true npx redocly lint --format=summary
step "worker-configuration.d.ts matches wrangler.toml" npx wrangler types --check
step "Worker bundle (wrangler deploy --dry-run)" npx wrangler deploy --dry-run --outdir dist
# The upload's gzip size against its budget (150 KiB), and the bundle answering as the source does.
step "Worker bundle within its size budget, answering as src/ (scripts/check-bundle.ts)" npx tsx scripts/check-bundle.ts dist/worker.js
# Black-box: 20,000 requests generated from openapi/openapi.json, over HTTP to the Node server (scripts/fuzz-http.ts):
# no 5xx, problem+json on every 4xx, every answer valid against the contract, no hang, the same bytes twice.
step "black-box fuzz (20,000 HTTP requests to the Node server)" npx tsx scripts/fuzz.ts --http --requests 20000 --seed 14 --max-trials 20 --repeat-every 10

echo "── vitest"
rm -f .tmp/vitest.json
# Two known-benign runtime messages are dropped from the output so a passing run shows progress and the summary
# only: workerd's "WebSocket peer disconnected" when a test file's runner closes (the Workers pool filters its
# sibling "WebSocket was aborted" but not this one), and Vite's note that the MCP SDK's published source maps
# name files the package does not ship; and the Workflows emulation's "Aborting engine: User called terminate",
# which workerd logs as an uncaught exception each time a test cancels a tuning job (DELETE /v1/tunings/{id}).
# Everything else, stderr included, passes through.
benign='web-socket\.c\+\+:[0-9]+: disconnected: WebSocket peer disconnected|^Sourcemap for ".*" points to missing source files$|Aborting engine: User called terminate'
npx vitest run --reporter=default --reporter=json --outputFile.json=.tmp/vitest.json 2>&1 | grep -Ev --line-buffered "$benign"
vitest_status=${PIPESTATUS[0]}
if [ -f .tmp/vitest.json ]; then
  read -r vp vf < <(node -e '
    const r = require("./.tmp/vitest.json");
    console.log(r.numPassedTests, r.numFailedTests + (r.numTotalTestSuites && r.testResults.some((t) => t.status === "failed" && !t.assertionResults.length) ? 1 : 0));
  ')
  passed=$((passed + vp))
  failed=$((failed + vf))
  if [ "$vitest_status" -ne 0 ] && [ "$vf" -eq 0 ]; then
    failed=$((failed + 1))
    failures+=("vitest exited $vitest_status")
  fi
  [ "$vf" -gt 0 ] && failures+=("vitest: $vf test(s)")
else
  failed=$((failed + 1))
  failures+=("vitest produced no report (exit $vitest_status)")
fi

if [ ${#failures[@]} -gt 0 ]; then
  printf 'failed: %s\n' "${failures[@]}"
fi
echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
