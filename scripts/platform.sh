#!/usr/bin/env bash
# Runs the whole platform on this machine: Postgres, Kafka and Temporal (scripts/infra.sh), then the
# five services, each a process with its gRPC server, relay, consumers and Temporal worker; then
# loads the demo data.
# Usage: bash scripts/platform.sh up|down|status|build|logs <service>
#
# The services run compiled: `up` first builds dist/ (scripts/build.ts: apps and libs compiled to
# JavaScript, each worker's workflow bundle prebuilt), only if a source changed since the last
# build, and starts `node dist/apps/<svc>/src/main.js`. PROJECTFLO_SERVICE_MODE=source runs them
# from TypeScript through @swc-node/register instead (workflows bundled at start), as before.
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
cd "$ROOT"
STATE="${PROJECTFLO_STATE:-$ROOT/.infra}"
SERVICES=(crm task-engine build-ledger scheduling notifications)
SERVICE_MODE="${PROJECTFLO_SERVICE_MODE:-compiled}"
# A 2 MB young generation instead of V8's 16 MB: ~25 MB less idle RSS per service (docs/benchmarks.md).
SERVICE_NODE_FLAGS=(--max-semi-space-size=2)
# Two glibc malloc arenas instead of one per thread (Temporal's core runs a thread pool): ~10 MB less idle RSS.
SERVICE_ENV=(MALLOC_ARENA_MAX=2)
export npm_config_loglevel=error npm_config_fund=false npm_config_audit=false
export SWC_NODE_PROJECT="$ROOT/tsconfig.base.json"

port_of() { node -e "process.stdout.write(String(require('./deploy/ports.json').services['$1']))"; }
pid_file() { echo "$STATE/pids/$1.pid"; }
running() { local f; f=$(pid_file "$1"); [ -f "$f" ] && kill -0 "$(cat "$f")" 2>/dev/null; }

start_service() {
  local svc=$1
  if running "$svc"; then echo "  $svc already running (pid $(cat "$(pid_file "$svc")"))"; return; fi
  mkdir -p "$STATE/pids" "$STATE/logs"
  # Each service connects to Kafka as its own SCRAM user (scripts/infra.sh), not the operator's admin.
  local kafka_password="$STATE/secrets/kafka-$svc.password" kafka_user=()
  if [ -s "$kafka_password" ]; then kafka_user=(KAFKA_SASL_USERNAME="$svc" KAFKA_SASL_PASSWORD="$(cat "$kafka_password")"); fi
  local run=(-r reflect-metadata "dist/apps/$svc/src/main.js")
  [ "$SERVICE_MODE" = source ] && run=(-r reflect-metadata -r @swc-node/register "apps/$svc/src/main.ts")
  env "${SERVICE_ENV[@]}" "${kafka_user[@]}" GRPC_PORT="$(port_of "$svc")" setsid nohup node "${SERVICE_NODE_FLAGS[@]}" "${run[@]}" \
    >>"$STATE/logs/$svc.log" 2>&1 &
  echo $! >"$(pid_file "$svc")"
  echo "  $svc starting (pid $!, log $STATE/logs/$svc.log)"
}

# The codec endpoint the Temporal Web UI decodes payloads through (deploy/ports.json temporalCodec;
# scripts/infra.sh points the dev server's --ui-codec-endpoint at it).
CODEC=temporal-codec
start_codec() {
  if running "$CODEC"; then echo "  $CODEC already running (pid $(cat "$(pid_file "$CODEC")"))"; return; fi
  mkdir -p "$STATE/pids" "$STATE/logs"
  setsid nohup node -r @swc-node/register scripts/temporal-codec-server.ts >>"$STATE/logs/$CODEC.log" 2>&1 &
  echo $! >"$(pid_file "$CODEC")"
  echo "  $CODEC starting (pid $!, log $STATE/logs/$CODEC.log)"
}

stop_service() {
  local svc=$1 f pid
  f=$(pid_file "$svc")
  [ -f "$f" ] || return 0
  pid=$(cat "$f")
  if kill -0 "$pid" 2>/dev/null; then
    kill -TERM "$pid" 2>/dev/null || true
    for _ in $(seq 1 40); do kill -0 "$pid" 2>/dev/null || break; sleep 0.5; done
    kill -0 "$pid" 2>/dev/null && kill -KILL "$pid" 2>/dev/null || true
    echo "  $svc stopped"
  fi
  rm -f "$f"
}

targets() { for s in "${SERVICES[@]}"; do printf '%s=127.0.0.1:%s ' "$s" "$(port_of "$s")"; done; }
# What wait-healthy watches besides health: each service's process (a dead one fails the wait at
# once, with the tail of its log) and its log.
watched() {
  local s f
  for s in "${SERVICES[@]}"; do
    f=$(pid_file "$s")
    [ -f "$f" ] && printf -- '--pid %s=%s ' "$s" "$(cat "$f")"
    printf -- '--log %s=%s ' "$s" "$STATE/logs/$s.log"
  done
}

case "${1:-up}" in
  up)
    if [ ! -d node_modules ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
      # npm install, not npm ci: see scripts/test-all.sh.
      echo "== installing dependencies"; npm install --no-audit --no-fund
    fi
    if [ "$SERVICE_MODE" = compiled ]; then echo "== building (dist/, only if sources changed)"; node -r @swc-node/register scripts/build.ts --if-changed; fi
    bash scripts/infra.sh up
    # shellcheck source=scripts/env.sh
    source scripts/env.sh
    echo "== starting services"
    for s in "${SERVICES[@]}"; do start_service "$s"; done
    start_codec
    echo "== waiting for health"
    # shellcheck disable=SC2046
    if ! node -r @swc-node/register scripts/wait-healthy.ts $(targets) $(watched) --timeout 180; then
      echo "!! the platform did not come up; the services still running are listed by: bash scripts/platform.sh status" >&2
      echo "   stop them with: bash scripts/platform.sh down --keep-infra" >&2
      exit 1
    fi
    echo "== loading demo data"
    node -r reflect-metadata -r @swc-node/register scripts/seed-demo.ts
    cat <<MSG

ProjectFlo is up.
  Temporal Web UI   http://127.0.0.1:8233  (namespace projectflo; payloads are encrypted)
  Codec endpoint    http://127.0.0.1:$(node -e "process.stdout.write(String(require('./deploy/ports.json').temporalCodec))")  (decodes for a token granted operations.decode-payloads; the dev UI
                    has no login, so it shows payloads encrypted: read them with the CLI, e.g.
                    \$PROJECTFLO_TEMPORAL_CLI workflow show -w <id> --codec-endpoint http://127.0.0.1:8234 \\
                      --codec-auth "Bearer \$(node -r @swc-node/register scripts/auth.ts service-token --service operations --tenant <tenant>)")
  Mail inbox        http://127.0.0.1:$(node -e "process.stdout.write(String(require('./deploy/ports.json').mailpitUi))")  (Mailpit: every email the platform sends, e.g. the demo studio's reminders; SMTP 127.0.0.1:1025)
  gRPC              $(targets)
  Kafka             127.0.0.1:9092   Postgres  127.0.0.1:${PG_PORT:-55432} (each service as pf_<service>)
  Logs              $STATE/logs/<service>.log
  Stop              bash scripts/platform.sh down
MSG
    ;;
  down)
    stop_service "$CODEC"
    for s in "${SERVICES[@]}"; do stop_service "$s"; done
    [ "${2:-}" = "--keep-infra" ] || bash scripts/infra.sh down
    ;;
  status)
    bash scripts/infra.sh status || true
    for s in "${SERVICES[@]}"; do
      if running "$s"; then echo "$s: up (pid $(cat "$(pid_file "$s")"), grpc 127.0.0.1:$(port_of "$s"))"; else echo "$s: down"; fi
    done
    if running "$CODEC"; then echo "$CODEC: up (pid $(cat "$(pid_file "$CODEC")"))"; else echo "$CODEC: down"; fi
    ;;
  build) node -r @swc-node/register scripts/build.ts ;;
  logs) tail -n 200 -f "$STATE/logs/${2:?service name}.log" ;;
  *) echo "usage: $0 up|down [--keep-infra]|status|build|logs <service>" >&2; exit 2 ;;
esac
