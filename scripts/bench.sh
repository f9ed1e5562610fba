#!/usr/bin/env bash
# Runs every benchmark against the project's infrastructure (started if needed). Each bench
# measures its own baseline in the same run and prints ratios; see docs/benchmarks.md.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/infra.sh up
# shellcheck source=scripts/env.sh
source scripts/env.sh
export SWC_NODE_PROJECT="$PWD/tsconfig.base.json"
for bench in bench/event-store-append.bench.ts bench/relay.bench.ts bench/expansion.bench.ts bench/email-delivery.bench.ts bench/reminders.bench.ts; do
  printf '\n=== %s ===\n' "$bench"
  node -r reflect-metadata -r @swc-node/register "$bench"
done
