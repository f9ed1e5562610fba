#!/usr/bin/env bash
# Runs every benchmark against the project's infrastructure (started if needed). Each bench
# measures its own baseline in the same run and prints ratios; see docs/benchmarks.md.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/infra.sh up
# shellcheck source=scripts/env.sh
source scripts/env.sh
export SWC_NODE_PROJECT="$PWD/tsconfig.base.json"
# reminders: the largest size measured on these machines (docs/benchmarks.md); 100,000 held takes
# hours on the dev server: BENCH_REMINDERS_ARGS="--count 100000" asks for it.
REMINDERS_ARGS=${BENCH_REMINDERS_ARGS:---count 4000 --fire-count 120 --window-seconds 120 --lead-seconds 330 --concurrency 64}
run() {
  printf '\n=== %s ===\n' "$*"
  node -r reflect-metadata -r @swc-node/register "$@"
}
run bench/event-store-append.bench.ts
run bench/relay.bench.ts
run bench/consumer-catch-up.bench.ts
run bench/expansion.bench.ts
run bench/lead-burst.bench.ts
run bench/read-your-writes.bench.ts
run bench/build-pricing.bench.ts
run bench/ledger-journal.bench.ts
run bench/email-delivery.bench.ts
run bench/notification-delivery.bench.ts
# shellcheck disable=SC2086
run bench/reminders.bench.ts $REMINDERS_ARGS
run bench/service-footprint.bench.ts
