#!/usr/bin/env bash
# Runs every test against real servers, the way CI does (.ci/run): installs dependencies, starts
# Postgres, Kafka and Temporal on 127.0.0.1 (scripts/infra.sh), checks generated contracts,
# typecheck and lint, then the unit, integration and end-to-end tiers.
#   bash scripts/test-all.sh                 everything
#   KEEP_INFRA=1 bash scripts/test-all.sh    leave the servers running afterwards (CI stops them)
set -euo pipefail
cd "$(dirname "$0")/.."
export npm_config_loglevel=error npm_config_fund=false npm_config_audit=false
RESULTS=.infra/test-results
step() { printf '\n=== %s ===\n' "$*"; }

step "install dependencies (npm install from package-lock.json)"
# Not `npm ci`: the registry these machines reach serves only the linux-x64 build of packages with
# per-platform optional dependencies (@bufbuild/buf), so the lock cannot list the others and
# `npm ci` refuses it. `npm install` installs exactly the locked versions and leaves the lock as is.
if [ -z "${CI:-}" ] && [ -d node_modules ] && [ node_modules/.package-lock.json -nt package-lock.json ]; then
  echo "node_modules is up to date"
else
  npm install --no-audit --no-fund
fi

step "start infrastructure"
bash scripts/infra.sh up
# shellcheck source=scripts/env.sh
source scripts/env.sh
if [ -n "${CI:-}" ] && [ -z "${KEEP_INFRA:-}" ]; then
  trap 'bash scripts/infra.sh down >/dev/null 2>&1 || true' EXIT
fi

# Tests run their own isolated service instances (own schemas, task queues and Kafka topics), so a
# running platform cannot race them; its services are stopped (not the infrastructure) only to
# leave the machine's cores to the tests.
bash scripts/platform.sh down --keep-infra

step "generated contracts match proto/"
bash scripts/proto-gen.sh >/dev/null
if [ -n "$(git status --porcelain -- libs/contracts/src/generated)" ]; then
  git status --short -- libs/contracts/src/generated
  echo "libs/contracts/src/generated differs from proto/: run scripts/proto-gen.sh and commit the result"; exit 1
fi

step "typecheck"
npx tsc -p tsconfig.json --noEmit

step "lint (including module boundaries)"
npx eslint .

rm -rf "$RESULTS" && mkdir -p "$RESULTS"
status=0
run_tier() {
  local tier=$1; shift
  step "$tier tests"
  npx jest --selectProjects "$tier" --ci --json --outputFile="$RESULTS/$tier.json" "$@" || status=1
}
run_tier unit
# --forceExit: once a tier's results are written, a handle some test leaked (a client still
# retrying, a child process that ignored its SIGTERM) must fail that test, never hold CI open.
run_tier integration --runInBand --forceExit
run_tier e2e --runInBand --forceExit

step "summary"
node -e '
  const fs = require("fs");
  let passed = 0, failed = 0, skipped = 0;
  for (const tier of ["unit", "integration", "e2e"]) {
    const file = process.argv[1] + "/" + tier + ".json";
    if (!fs.existsSync(file)) { console.log(tier + ": no results (the runner did not finish)"); failed++; continue; }
    const r = JSON.parse(fs.readFileSync(file, "utf8"));
    console.log(`${tier}: ${r.numPassedTests} passed, ${r.numFailedTests} failed, ${r.numPendingTests} skipped (${r.numTotalTestSuites} suites)`);
    passed += r.numPassedTests; failed += r.numFailedTests + r.numRuntimeErrorTestSuites; skipped += r.numPendingTests;
  }
  console.log(`${passed} passed, ${failed} failed, ${skipped} skipped`);
' "$RESULTS"
exit $status
