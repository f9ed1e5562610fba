#!/usr/bin/env bash
# Runs every test against real servers: installs dependencies, starts Postgres, Kafka and Temporal
# on 127.0.0.1 (scripts/infra.sh), then typecheck, lint, unit, integration and end-to-end tiers.
# Usage: bash scripts/test-all.sh            (what CI runs)
#        KEEP_INFRA=1 bash scripts/test-all.sh  (leave the servers running afterwards)
set -euo pipefail
cd "$(dirname "$0")/.."
export npm_config_loglevel=error npm_config_fund=false npm_config_audit=false
step() { printf '\n=== %s ===\n' "$*"; }

step "install dependencies (npm ci)"
if [ -d node_modules ] && [ node_modules/.package-lock.json -nt package-lock.json ] && [ -z "${CI:-}" ]; then
  echo "node_modules is up to date"
else
  npm ci --no-audit --no-fund
fi

step "start infrastructure"
bash scripts/infra.sh up
# shellcheck source=scripts/env.sh
source scripts/env.sh
if [ -z "${KEEP_INFRA:-}" ] && [ -n "${CI:-}" ]; then
  trap 'bash scripts/platform.sh down >/dev/null 2>&1 || true; bash scripts/infra.sh down || true' EXIT
fi

step "generated contracts are up to date"
bash scripts/proto-gen.sh --check

step "typecheck"
npx tsc -p tsconfig.json --noEmit

step "lint"
npx eslint .

step "unit tests"
npx jest --selectProjects unit --ci

step "integration tests (real Postgres, Kafka, Temporal)"
npx jest --selectProjects integration --ci --runInBand

step "end-to-end tests (the five services against the running infrastructure)"
npx jest --selectProjects e2e --ci --runInBand
