#!/usr/bin/env bash
# ProjectFlo local infrastructure without Docker: PostgreSQL (Debian's binaries), Kafka 3.9.1
# KRaft (jars from Maven Central), the Temporal dev server (CLI built with `go install`) and Mailpit
# (a local SMTP server with a web inbox, built with `go install`), all on 127.0.0.1, detached, with
# artifacts cached outside the repository so a fresh clone starts fast.
#
#   scripts/infra.sh up [component...]       start (idempotent; a no-op when already healthy)
#   scripts/infra.sh down [component...]     stop gracefully (SIGTERM, or a fast shutdown for
#                                            Postgres; SIGKILL only after a timeout)
#   scripts/infra.sh start|stop <component>  same as up/down for the named components
#   scripts/infra.sh restart [component...]  down then up
#   scripts/infra.sh status                  one line per component; exit 0 only if all are up
#   scripts/infra.sh logs <component> [-f]   tail a component's log (-f follows)
#   scripts/infra.sh env                     print the export lines of scripts/env.sh
#
# Components: postgres, kafka, temporal, mailpit (default: all four, started in that order).
#
# Environment:
#   PROJECTFLO_CACHE           downloaded/built artifacts   (default $HOME/.cache/projectflo)
#   PROJECTFLO_STATE           data dirs, logs, pid files   (default <repo>/.infra)
#   PG_PORT                    Postgres port                (default from deploy/ports.json: 55432)
#   KAFKA_PORT                 Kafka client (SASL) port     (default from deploy/ports.json: 9092)
#   KAFKA_CONTROLLER_PORT      Kafka KRaft controller port  (default from deploy/ports.json: 9093)
#   PROJECTFLO_EXTERNAL_INFRA  =1: start nothing; `up` only checks that MIGRATION_DATABASE_URL,
#                              KAFKA_BROKERS and TEMPORAL_ADDRESS answer
#   INFRA_TIMEOUT              seconds to wait for each component to become ready (default 120)
set -euo pipefail

# ----------------------------------------------------------------------------------------------
# Layout and fixed settings
# ----------------------------------------------------------------------------------------------
SCRIPT_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
REPO_ROOT="$(cd "$SCRIPT_DIR/.." && pwd)"
CACHE="${PROJECTFLO_CACHE:-$HOME/.cache/projectflo}"
STATE="${PROJECTFLO_STATE:-$REPO_ROOT/.infra}"
LOG_DIR="$STATE/logs"
PID_DIR="$STATE/pids"
READY_TIMEOUT="${INFRA_TIMEOUT:-120}"
COMPONENTS=(postgres kafka temporal mailpit)

# Ports: deploy/ports.json is the single source of truth (docker-compose.yml is checked against
# it); the numbers below are only the fallback when node is unavailable.
PORT_POSTGRES=55432 PORT_KAFKA=9092 PORT_KAFKA_CONTROLLER=9093 PORT_TEMPORAL=7233 PORT_TEMPORAL_UI=8233 PORT_TEMPORAL_CODEC=8234
PORT_MAILPIT_SMTP=1025 PORT_MAILPIT_UI=8025
if command -v node >/dev/null 2>&1 && [[ -f "$REPO_ROOT/deploy/ports.json" ]]; then
  eval "$(node -e '
    const p = require(process.argv[1]);
    console.log(`PORT_POSTGRES=${p.postgres} PORT_KAFKA=${p.kafka} PORT_KAFKA_CONTROLLER=${p.kafkaController} PORT_TEMPORAL=${p.temporal} PORT_TEMPORAL_UI=${p.temporalUi} PORT_TEMPORAL_CODEC=${p.temporalCodec}`);
    console.log(`PORT_MAILPIT_SMTP=${p.mailpitSmtp} PORT_MAILPIT_UI=${p.mailpitUi}`);
  ' "$REPO_ROOT/deploy/ports.json")"
fi
PG_PORT="${PG_PORT:-$PORT_POSTGRES}"
PORT_KAFKA="${KAFKA_PORT:-$PORT_KAFKA}" PORT_KAFKA_CONTROLLER="${KAFKA_CONTROLLER_PORT:-$PORT_KAFKA_CONTROLLER}"

PG_USER=projectflo PG_PASSWORD=projectflo PG_DB=projectflo
# The cluster runs as the 'postgres' OS user, which must be able to reach its directory. When the
# checkout sits where it cannot (under /root, say), the cluster lives in /var/lib/projectflo
# instead, one per checkout, and its log is linked into $LOG_DIR.
PG_HOME="$STATE/postgres"
if [[ "$(id -u)" == 0 ]] && id postgres >/dev/null 2>&1; then
  mkdir -p "$STATE"
  if ! runuser -u postgres -- test -x "$STATE"; then
    PG_HOME="/var/lib/projectflo/pg-$(printf '%s' "$STATE" | md5sum | cut -c1-12)"
  fi
fi
PG_DATA="$PG_HOME/data"
PG_SOCKET_DIR="$PG_HOME/run"
PG_LOG="$PG_HOME/postgres.log"
PG_URL="postgres://$PG_USER:$PG_PASSWORD@127.0.0.1:$PG_PORT/$PG_DB"

KAFKA_VERSION=3.9.1
KAFKA_HOME="$CACHE/kafka-$KAFKA_VERSION"
KAFKA_LIBS="$KAFKA_HOME/libs"
KAFKA_BOOTSTRAP="127.0.0.1:$PORT_KAFKA"
# SCRAM users: the operator's super user and one per service (what scripts/kafka-acls.ts grants
# to). Passwords are random, one file each in $SECRETS_DIR (0600): kafka-<user>.password.
KAFKA_ADMIN_USER=admin
KAFKA_SERVICE_USERS=(crm task-engine build-ledger scheduling notifications)
SECRETS_DIR="$STATE/secrets"
KAFKA_ADMIN_CONFIG="$SECRETS_DIR/kafka-admin.properties"

TEMPORAL_CLI_VERSION=v1.5.1
TEMPORAL_BIN="$CACHE/temporal/bin/temporal"
TEMPORAL_NAMESPACE=projectflo
TEMPORAL_ADDR="127.0.0.1:$PORT_TEMPORAL"
# start-dev otherwise picks random free ports for these two, which can land on a port a service
# wants later (the ephemeral range 32768-60999 includes 50051-50055 and 55432).
PORT_TEMPORAL_HTTP="${TEMPORAL_HTTP_PORT:-7243}"
PORT_TEMPORAL_METRICS="${TEMPORAL_METRICS_PORT:-7244}"
MAILPIT_VERSION=v1.33.1
MAILPIT_BIN="$CACHE/mailpit/$MAILPIT_VERSION/mailpit"

TEMPORAL_SEARCH_ATTRIBUTES=(
  TenantId=Keyword LeadId=Keyword SubjectId=Keyword TaskId=Keyword
  TemplateId=Keyword TriggerType=Keyword TemplateCount=Int
)

# ----------------------------------------------------------------------------------------------
# Small helpers
# ----------------------------------------------------------------------------------------------
log()  { printf '[infra] %s\n' "$*"; }
warn() { printf '[infra] WARNING: %s\n' "$*" >&2; }
die()  { printf '[infra] ERROR: %s\n' "$*" >&2; exit 1; }

is_root() { [[ "$(id -u)" == 0 ]]; }

# port_open HOST PORT: true when something accepts TCP connections there.
port_open() { timeout 2 bash -c "exec 3<>/dev/tcp/$1/$2" 2>/dev/null; }

pid_file() { echo "$PID_DIR/$1.pid"; }

# What the component's command line must contain: guards against recycled pids and against
# other servers of the same kind (e.g. a test's own `temporal server start-dev`).
cmdline_marker() {
  case "$1" in
    postgres) echo "postgres -D $PG_DATA" ;;
    kafka)    echo "kafka.Kafka $STATE/kafka/server.properties" ;;
    temporal) echo "--db-filename $STATE/temporal/temporal.db" ;;
    mailpit)  echo "--database $STATE/mailpit/mailpit.db" ;;
  esac
}

# pid_of COMPONENT: prints the pid when our process is alive, else nothing (and clears stale files).
pid_of() {
  local c="$1" f pid
  f="$(pid_file "$c")"
  if [[ "$c" == postgres && -f "$PG_DATA/postmaster.pid" ]]; then
    pid="$(head -n1 "$PG_DATA/postmaster.pid" 2>/dev/null || true)"
  elif [[ -f "$f" ]]; then
    pid="$(cat "$f" 2>/dev/null || true)"
  else
    return 0
  fi
  if [[ -n "$pid" && -r "/proc/$pid/cmdline" ]] &&
     tr '\0' ' ' <"/proc/$pid/cmdline" | grep -qF -- "$(cmdline_marker "$c")"; then
    echo "$pid"
  else
    rm -f "$f"
  fi
}

# log_tail COMPONENT [LINES]: the last lines of the component's log(s) written since its latest
# start (launch_detached writes a "===== ... starting" marker), for error reports.
log_tail() {
  local c="$1" n="${2:-30}" f
  for f in "$LOG_DIR/$c.log" "$LOG_DIR/$c.out"; do
    [[ -s "$f" ]] || continue
    printf -- '----- %s (last %s lines) -----\n' "$f" "$n" >&2
    awk '/^===== .* starting /{buf=""} {buf=buf $0 "\n"} END{printf "%s", buf}' "$f" | tail -n "$n" >&2
  done
}

component_ports() {
  case "$1" in
    postgres) echo "$PG_PORT" ;;
    kafka)    echo "$PORT_KAFKA $PORT_KAFKA_CONTROLLER" ;;
    temporal) echo "$PORT_TEMPORAL $PORT_TEMPORAL_UI $PORT_TEMPORAL_HTTP $PORT_TEMPORAL_METRICS" ;;
    mailpit)  echo "$PORT_MAILPIT_SMTP $PORT_MAILPIT_UI" ;;
  esac
}

# check_ports_free COMPONENT: fail fast, naming the squatter, when a port we need is taken.
check_ports_free() {
  local c="$1" port owner
  for port in $(component_ports "$c"); do
    if port_open 127.0.0.1 "$port"; then
      owner="$(ss -Hltnp "sport = :$port" 2>/dev/null | grep -o 'users:(([^)]*))' | head -n1 || true)"
      die "$c: port $port is already in use by another process ${owner:-(unknown owner)}; stop it or free the port"
    fi
  done
}

# wait_ready COMPONENT CHECK_FN: polls CHECK_FN until it succeeds, the process dies or time runs out.
wait_ready() {
  local c="$1" check="$2" start=$SECONDS last=0
  while true; do
    if "$check"; then
      log "$c: ready ($((SECONDS - start))s)"
      return 0
    fi
    if [[ -z "$(pid_of "$c")" ]] && ! "${c}_is_external"; then
      log_tail "$c"
      die "$c: process exited before becoming ready (logs above; full log: $LOG_DIR/$c.log)"
    fi
    if (( SECONDS - start >= READY_TIMEOUT )); then
      log_tail "$c"
      die "$c: not ready after ${READY_TIMEOUT}s (logs above; full log: $LOG_DIR/$c.log)"
    fi
    if (( SECONDS - last >= 10 && SECONDS - start >= 10 )); then
      log "$c: still waiting ($((SECONDS - start))s)..."
      last=$SECONDS
    fi
    sleep 1
  done
}

# launch_detached COMPONENT CMD...: runs CMD in its own session, immune to the caller's hangups,
# stdout/stderr appended to $LOG_DIR/<component>.out|.log, pid written to $PID_DIR/<component>.pid.
launch_detached() {
  local c="$1" out="$2"; shift 2
  echo "===== $(date -u +%FT%TZ) starting $c =====" >>"$out"
  rm -f "$(pid_file "$c")"
  # The inner shell writes its own pid, then execs the server: the pid file is the server's pid.
  # fds 8/9 are this script's locks: the server must not inherit (and hold) them.
  setsid nohup bash -c 'echo $$ >"$0"; exec "$@"' "$(pid_file "$c")" "$@" \
    </dev/null >>"$out" 2>&1 8>&- 9>&- &
  local i
  for i in $(seq 1 50); do [[ -s "$(pid_file "$c")" ]] && break; sleep 0.1; done
}

# wait_exit PID SECONDS: true when the process is gone within the time.
wait_exit() {
  local pid="$1" deadline=$((SECONDS + $2))
  while kill -0 "$pid" 2>/dev/null; do
    if (( SECONDS >= deadline )); then return 1; fi
    sleep 0.5
  done
}

# stop_component COMPONENT SIGNAL TIMEOUT [ESCALATION_SIGNAL]: graceful stop of our process (none
# running is fine); if it is still there after TIMEOUT, ESCALATION_SIGNAL (if any, 10 s more), then
# SIGKILL.
stop_component() {
  local c="$1" sig="$2" t="$3" esc="${4:-}" start=$SECONDS pid
  pid="$(pid_of "$c")"
  [[ -n "$pid" ]] || { log "$c: not running"; return 0; }
  log "$c: stopping (pid $pid, SIG$sig)..."
  kill -s "$sig" "$pid" 2>/dev/null || true
  if ! wait_exit "$pid" "$t" && [[ -n "$esc" ]]; then
    warn "$c: did not stop within ${t}s, sending SIG$esc"
    kill -s "$esc" "$pid" 2>/dev/null || true
    wait_exit "$pid" 10 || true
  fi
  if kill -0 "$pid" 2>/dev/null; then
    warn "$c: still running, sending SIGKILL"
    kill -s KILL "$pid" 2>/dev/null || true
    wait_exit "$pid" 5 || true
  fi
  rm -f "$(pid_file "$c")"
  log "$c: stopped ($((SECONDS - start))s)"
}

# ----------------------------------------------------------------------------------------------
# PostgreSQL (Debian's binaries, cluster in $PG_HOME/data, run as the postgres user)
# ----------------------------------------------------------------------------------------------
PG_BIN=""

# as_pg CMD...: run as the postgres OS user when we are root (postgres refuses to run as root).
as_pg() {
  if is_root; then runuser -u postgres -- "$@"; else "$@"; fi
}

pg_find_bin() {
  local d
  for d in /usr/lib/postgresql/15/bin $(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V -r); do
    if [[ -x "$d/initdb" && -x "$d/postgres" ]]; then PG_BIN="$d"; return 0; fi
  done
  return 1
}

postgres_prepare() {
  if ! pg_find_bin; then
    is_root || die "postgres: PostgreSQL server binaries not found; install Debian's 'postgresql' package"
    log "postgres: installing Debian's postgresql package (apt-get)..."
    export DEBIAN_FRONTEND=noninteractive
    if ! { apt-get update -qq && apt-get install -y -qq postgresql; } >"$LOG_DIR/postgres-install.log" 2>&1; then
      tail -n 30 "$LOG_DIR/postgres-install.log" >&2
      die "postgres: apt-get install postgresql failed (full log: $LOG_DIR/postgres-install.log)"
    fi
    pg_find_bin || die "postgres: installed the package but found no /usr/lib/postgresql/*/bin/initdb"
  fi
  mkdir -p "$PG_HOME" "$PG_SOCKET_DIR"
  touch "$PG_LOG"
  if is_root; then chown postgres:postgres "$PG_HOME" "$PG_SOCKET_DIR" "$PG_LOG"; fi
  [[ "$PG_LOG" == "$LOG_DIR/postgres.log" ]] || ln -sfn "$PG_LOG" "$LOG_DIR/postgres.log"
  chmod 0700 "$PG_SOCKET_DIR"

  if [[ ! -s "$PG_DATA/PG_VERSION" ]]; then
    log "postgres: initdb $PG_DATA (superuser $PG_USER)..."
    rm -rf "$PG_DATA"
    local pwfile="$PG_HOME/.pwfile"
    (umask 077; echo "$PG_PASSWORD" >"$pwfile")
    if is_root; then chown postgres:postgres "$pwfile"; fi
    if ! as_pg "$PG_BIN/initdb" -D "$PG_DATA" -U "$PG_USER" --pwfile="$pwfile" \
        --auth-local=trust --auth-host=scram-sha-256 --encoding=UTF8 --locale=C.UTF-8 \
        --data-checksums >"$LOG_DIR/postgres-initdb.log" 2>&1; then
      rm -f "$pwfile"
      tail -n 30 "$LOG_DIR/postgres-initdb.log" >&2
      die "postgres: initdb failed (full log: $LOG_DIR/postgres-initdb.log)"
    fi
    rm -f "$pwfile"
    echo "include_if_exists = 'projectflo.conf'" >>"$PG_DATA/postgresql.conf"
  fi

  # Our settings, rewritten on every start so that changes to this script take effect.
  # Unix-socket connections are trusted, but the socket lives in a 0700 directory owned by the
  # postgres user. TCP connections from 127.0.0.1/::1 always need the password: initdb's
  # pg_hba.conf lines use scram-sha-256 (what libpq and node-postgres speak).
  as_pg tee "$PG_DATA/projectflo.conf" >/dev/null <<EOF
# Written by scripts/infra.sh on every start; edit the script, not this file.
listen_addresses = '127.0.0.1'
port = $PG_PORT
unix_socket_directories = '$PG_SOCKET_DIR'
max_connections = 200
password_encryption = 'scram-sha-256'
# Durability: never trade it for speed, fault tests restart this server.
fsync = on
synchronous_commit = on
full_page_writes = on
timezone = 'UTC'
log_timezone = 'UTC'
log_line_prefix = '%m [%p] %q%u@%d '
log_min_duration_statement = 2000
EOF
}

postgres_healthy() {
  "$PG_BIN/pg_isready" -q -h 127.0.0.1 -p "$PG_PORT" -d "$PG_DB" -U "$PG_USER" -t 2
}

postgres_is_external() { [[ -z "$(pid_of postgres)" ]] && postgres_healthy; }

# Processes still working in the data directory (postgres backends chdir there), zombies excluded.
pg_processes_in_datadir() {
  local p
  for p in /proc/[0-9]*; do
    if [[ "$(readlink "$p/cwd" 2>/dev/null)" == "$PG_DATA" ]]; then echo "${p#/proc/}"; fi
  done
}

# After a crash (kill -9 of the postmaster) postmaster.pid stays behind. Postgres copes with that
# itself unless the recorded pid still "exists": a killed postmaster whose parent is init lingers as
# a zombie until init reaps it, and postgres then refuses to start ("lock file already exists").
# Once no process works in the data directory any more, the file is safe to remove.
postgres_clear_stale_pidfile() {
  local sock_lock="$PG_SOCKET_DIR/.s.PGSQL.$PG_PORT.lock"
  [[ -f "$PG_DATA/postmaster.pid" || -f "$sock_lock" ]] || return 0
  log "postgres: the previous server did not shut down cleanly; waiting for its processes to exit..."
  local deadline=$((SECONDS + 30))
  while [[ -n "$(pg_processes_in_datadir)" ]]; do
    if (( SECONDS >= deadline )); then
      die "postgres: processes $(pg_processes_in_datadir | tr '\n' ' ')still use $PG_DATA; stop them first"
    fi
    sleep 0.5
  done
  # The socket's lock file records the same (dead) pid and would fail the same way.
  rm -f "$PG_DATA/postmaster.pid" "$sock_lock" "$PG_SOCKET_DIR/.s.PGSQL.$PG_PORT"
}

postgres_launch() {
  postgres_clear_stale_pidfile
  log "postgres: starting on 127.0.0.1:$PG_PORT (crash recovery, if needed, is automatic)..."
  echo "===== $(date -u +%FT%TZ) starting postgres =====" >>"$PG_LOG"
  # pg_ctl detaches the postmaster into its own session; postmaster.pid is the authoritative pid.
  as_pg "$PG_BIN/pg_ctl" start -W -D "$PG_DATA" -l "$PG_LOG" -s 8>&- 9>&- ||
    { log_tail postgres; die "postgres: pg_ctl start failed"; }
  local i
  for i in $(seq 1 50); do [[ -s "$PG_DATA/postmaster.pid" ]] && break; sleep 0.1; done
}

postgres_ready() {
  postgres_healthy || return 1
  # The server answers: make sure the application database exists (once) and the password works.
  local exists
  exists="$(PGPASSWORD="$PG_PASSWORD" "$PG_BIN/psql" -X -q -h 127.0.0.1 -p "$PG_PORT" -U "$PG_USER" -d postgres \
    -tAc "select 1 from pg_database where datname = '$PG_DB'" 2>/dev/null)" || return 1
  if [[ "$exists" != 1 ]]; then
    log "postgres: creating database $PG_DB"
    PGPASSWORD="$PG_PASSWORD" "$PG_BIN/psql" -X -q -h 127.0.0.1 -p "$PG_PORT" -U "$PG_USER" -d postgres \
      -c "create database $PG_DB" >/dev/null || return 1
  fi
  PGPASSWORD="$PG_PASSWORD" "$PG_BIN/psql" -X -q "$PG_URL" -tAc 'select 1' >/dev/null 2>&1 || return 1
  postgres_service_roles || return 1
  local pid; pid="$(pid_of postgres)"
  if [[ -n "$pid" ]]; then echo "$pid" >"$(pid_file postgres)"; fi
}

# The services' database roles (pf_<service> and pf_<service>_cross_tenant, development
# passwords): deploy/postgres/service-roles.sh, which docker-compose.yml runs too.
postgres_service_roles() {
  PSQL="$PG_BIN/psql" PGHOST=127.0.0.1 PGPORT="$PG_PORT" PGUSER="$PG_USER" PGPASSWORD="$PG_PASSWORD" PGDATABASE="$PG_DB" \
    bash "$REPO_ROOT/deploy/postgres/service-roles.sh" || { warn "postgres: creating the service roles failed"; return 1; }
}

postgres_stop() {
  # SIGINT = "fast" shutdown: roll back open transactions, checkpoint, exit. (SIGTERM would wait
  # for every client to disconnect.) Escalate to SIGQUIT = "immediate" (WAL recovery on the next
  # start, nothing committed is lost); SIGKILL only as a last resort (it orphans the backends).
  stop_component postgres INT 60 QUIT
}

postgres_address() { echo "$PG_URL"; }

# ----------------------------------------------------------------------------------------------
# Kafka 3.9.1 KRaft single node (jars from Maven Central via deploy/kafka/pom.xml)
# ----------------------------------------------------------------------------------------------
kafka_java_tool() {
  # Short-lived admin JVMs: small heap, C1 only, quiet logging.
  java -Xmx256m -XX:TieredStopAtLevel=1 -XX:+UseSerialGC \
    -Dlog4j.configuration="file:$STATE/kafka/tools-log4j.properties" \
    -cp "$KAFKA_LIBS/*" "$@"
}

kafka_fetch() {
  local pom="$REPO_ROOT/deploy/kafka/pom.xml" sum
  sum="$(sha256sum "$pom" | cut -c1-64)"
  if [[ -f "$KAFKA_HOME/.pom.sha256" && "$(cat "$KAFKA_HOME/.pom.sha256")" == "$sum" && -d "$KAFKA_LIBS" ]]; then
    return 0
  fi
  command -v mvn >/dev/null || die "kafka: Maven (mvn) is needed once to fetch the Kafka jars"
  command -v java >/dev/null || die "kafka: Java 17 is needed to run Kafka"
  log "kafka: downloading Kafka $KAFKA_VERSION jars from Maven Central..."
  mkdir -p "$KAFKA_HOME"
  local tmp="$KAFKA_HOME/libs.tmp.$$"
  rm -rf "$tmp"
  if ! mvn -q -B -f "$pom" dependency:copy-dependencies -DincludeScope=runtime \
      -DoutputDirectory="$tmp" >"$LOG_DIR/kafka-fetch.log" 2>&1; then
    rm -rf "$tmp"
    tail -n 30 "$LOG_DIR/kafka-fetch.log" >&2
    die "kafka: mvn dependency:copy-dependencies failed (full log: $LOG_DIR/kafka-fetch.log)"
  fi
  rm -rf "$KAFKA_LIBS"
  mv "$tmp" "$KAFKA_LIBS"
  echo "$sum" >"$KAFKA_HOME/.pom.sha256"
  log "kafka: $(ls "$KAFKA_LIBS" | wc -l) jars in $KAFKA_LIBS"
}

kafka_prepare() {
  kafka_fetch
  mkdir -p "$STATE/kafka/data"
  cat >"$STATE/kafka/tools-log4j.properties" <<'EOF'
log4j.rootLogger=WARN, stderr
log4j.appender.stderr=org.apache.log4j.ConsoleAppender
log4j.appender.stderr.Target=System.err
log4j.appender.stderr.layout=org.apache.log4j.PatternLayout
log4j.appender.stderr.layout.ConversionPattern=[%d] %p %m (%c)%n
EOF
  local admin_password user scram=()
  admin_password="$(kafka_password "$KAFKA_ADMIN_USER")"
  # A data dir formatted before SASL has no SCRAM credentials, so nobody could log in to it.
  if [[ -f "$STATE/kafka/data/meta.properties" && ! -f "$STATE/kafka/sasl-scram" ]]; then
    log "kafka: the data dir predates SASL/SCRAM (issue 8): reformatting it; its topics and offsets (dev data) are dropped"
    rm -rf "$STATE/kafka/data"
    mkdir -p "$STATE/kafka/data"
  fi
  for user in "$KAFKA_ADMIN_USER" "${KAFKA_SERVICE_USERS[@]}"; do
    scram+=(--add-scram "SCRAM-SHA-512=[name=$user,password=$(kafka_password "$user")]")
  done
  kafka_write_admin_config
  # The rendered file holds the admin password (the broker's own login): readable by us only.
  (umask 077
   sed -e "s|@KAFKA_PORT@|$PORT_KAFKA|g" \
       -e "s|@KAFKA_CONTROLLER_PORT@|$PORT_KAFKA_CONTROLLER|g" \
       -e "s|@KAFKA_LOG_DIRS@|$STATE/kafka/data|g" \
       -e "s|@KAFKA_ADMIN_PASSWORD@|$admin_password|g" \
       "$REPO_ROOT/deploy/kafka/server.properties" >"$STATE/kafka/server.properties")
  chmod 0600 "$STATE/kafka/server.properties"

  if [[ ! -f "$STATE/kafka/data/meta.properties" ]]; then
    if [[ ! -s "$STATE/kafka/cluster.id" ]]; then
      kafka_java_tool kafka.tools.StorageTool random-uuid >"$STATE/kafka/cluster.id"
    fi
    log "kafka: formatting storage (cluster id $(cat "$STATE/kafka/cluster.id"))..."
    kafka_java_tool kafka.tools.StorageTool format --ignore-formatted \
      -t "$(cat "$STATE/kafka/cluster.id")" -c "$STATE/kafka/server.properties" "${scram[@]}" \
      >"$LOG_DIR/kafka-format.log" 2>&1 ||
      { cat "$LOG_DIR/kafka-format.log" >&2; die "kafka: StorageTool format failed"; }
    touch "$STATE/kafka/sasl-scram"
  fi
}

# kafka_password USER: the user's SCRAM password, generated (random, 0600) on first use.
kafka_password() {
  local file="$SECRETS_DIR/kafka-$1.password"
  if [[ ! -s "$file" ]]; then
    (umask 077; mkdir -p "$SECRETS_DIR"; head -c 32 /dev/urandom | base64 | tr -dc 'A-Za-z0-9' | head -c 32 >"$file")
  fi
  chmod 0700 "$SECRETS_DIR"
  chmod 0600 "$file"
  cat "$file"
}

# The admin client settings of Kafka's own tools (TopicCommand, ConfigCommand).
kafka_write_admin_config() {
  (umask 077; mkdir -p "$SECRETS_DIR"
   printf '%s\n' 'security.protocol=SASL_PLAINTEXT' 'sasl.mechanism=PLAIN' \
     "sasl.jaas.config=org.apache.kafka.common.security.plain.PlainLoginModule required username=\"$KAFKA_ADMIN_USER\" password=\"$(kafka_password "$KAFKA_ADMIN_USER")\";" \
     >"$KAFKA_ADMIN_CONFIG")
}

# Creates the SCRAM users that the broker does not know: idempotent, run at every start. Besides a
# data dir formatted with fewer users, this covers a restart: seen with this single-node 3.9.1
# broker, SCRAM credentials (bootstrapped or added later) are gone after a restart while ACLs stay,
# and every SCRAM login fails. So the operator's tools log in as `admin` with SASL/PLAIN (a JAAS
# user of the broker's own config, not metadata) and put admin's and every service's SCRAM
# credential back. A tenant's inbound user must then be provisioned again (docs/SECURITY.md).
kafka_ensure_users() {
  local known user
  known="$(kafka_java_tool kafka.admin.ConfigCommand --bootstrap-server "$KAFKA_BOOTSTRAP" \
    --command-config "$KAFKA_ADMIN_CONFIG" --describe --entity-type users 2>/dev/null)" || return 1
  for user in "$KAFKA_ADMIN_USER" "${KAFKA_SERVICE_USERS[@]}"; do
    grep -qF "user-principal '$user'" <<<"$known" && continue
    log "kafka: creating SCRAM user $user"
    kafka_java_tool kafka.admin.ConfigCommand --bootstrap-server "$KAFKA_BOOTSTRAP" \
      --command-config "$KAFKA_ADMIN_CONFIG" --alter --entity-type users --entity-name "$user" \
      --add-config "SCRAM-SHA-512=[iterations=8192,password=$(kafka_password "$user")]" >/dev/null || return 1
  done
}

# Each service's ACLs, computed from what it declares it publishes and consumes (kafka-acls.ts).
kafka_apply_acls() {
  if [[ ! -d "$REPO_ROOT/node_modules/@swc-node/register" ]]; then
    warn "kafka: node_modules missing, ACLs not applied (run: npm install; bash scripts/infra.sh up kafka)"
    return 0
  fi
  (cd "$REPO_ROOT" && KAFKA_BROKERS="$KAFKA_BOOTSTRAP" KAFKA_SASL_USERNAME="$KAFKA_ADMIN_USER" \
    KAFKA_SASL_PASSWORD="$(kafka_password "$KAFKA_ADMIN_USER")" SWC_NODE_PROJECT="$REPO_ROOT/tsconfig.base.json" \
    node -r @swc-node/register scripts/kafka-acls.ts apply) >>"$LOG_DIR/kafka-acls.log" 2>&1
}

kafka_launch() {
  log "kafka: starting broker+controller on $KAFKA_BOOTSTRAP (controller 127.0.0.1:$PORT_KAFKA_CONTROLLER)..."
  launch_detached kafka "$LOG_DIR/kafka.out" \
    java -Xms256m -Xmx512m -XX:+UseG1GC -XX:MaxGCPauseMillis=20 -Djava.awt.headless=true \
    -Dkafka.logs.dir="$LOG_DIR" \
    -Dlog4j.configuration="file:$REPO_ROOT/deploy/kafka/log4j.properties" \
    -cp "$KAFKA_LIBS/*" kafka.Kafka "$STATE/kafka/server.properties"
}

# Fast check (status): the listener accepts connections.
kafka_healthy() { port_open 127.0.0.1 "$PORT_KAFKA"; }

kafka_is_external() { [[ -z "$(pid_of kafka)" ]] && kafka_healthy; }

# Real check (up): an admin client lists topics. TopicCommand is a JVM (~2 s), so only after the
# port answers.
kafka_ready() {
  kafka_healthy || return 1
  kafka_list_topics "$KAFKA_BOOTSTRAP" >/dev/null 2>&1 || return 1
  kafka_ensure_users || return 1
  kafka_apply_acls || { warn "kafka: applying the ACLs failed (log: $LOG_DIR/kafka-acls.log)"; return 1; }
}

# kafka_list_topics BOOTSTRAP [CLIENT_CONFIG]
kafka_list_topics() {
  local config=(--command-config "${2:-$KAFKA_ADMIN_CONFIG}")
  timeout 60 java -Xmx256m -XX:TieredStopAtLevel=1 -XX:+UseSerialGC \
    -Dlog4j.configuration="file:$STATE/kafka/tools-log4j.properties" \
    -cp "$KAFKA_LIBS/*" org.apache.kafka.tools.TopicCommand --bootstrap-server "$1" --list "${config[@]}"
}

kafka_stop() { stop_component kafka TERM 45; }

kafka_address() { echo "$KAFKA_BOOTSTRAP"; }

# ----------------------------------------------------------------------------------------------
# Temporal dev server (temporal CLI built from the Go module proxy)
# ----------------------------------------------------------------------------------------------
temporal_foreign_build_running() {
  pgrep -f "go install github.com/temporalio/cli/cmd/temporal@" >/dev/null 2>&1
}

temporal_build() {
  [[ -x "$TEMPORAL_BIN" ]] && return 0
  mkdir -p "$CACHE/temporal/bin"
  # Someone (another checkout, a person) may already be building into the same cache.
  exec 8>"$CACHE/temporal/.build.lock"
  if ! flock -n 8 || temporal_foreign_build_running; then
    log "temporal: another build of the Temporal CLI is running; waiting for it..."
    local start=$SECONDS
    while ! flock -n 8 || temporal_foreign_build_running; do
      if (( (SECONDS - start) % 30 == 29 )); then
        log "temporal: still waiting for the other build ($((SECONDS - start))s)..."
      fi
      if (( SECONDS - start > 3600 )); then die "temporal: gave up waiting for the other build after 1h"; fi
      sleep 1
    done
    flock 8
  fi
  if [[ -x "$TEMPORAL_BIN" ]]; then flock -u 8; return 0; fi

  command -v go >/dev/null || die "temporal: Go is needed once to build the Temporal CLI"
  log "temporal: building Temporal CLI (takes several minutes)..."
  log "temporal:   go install github.com/temporalio/cli/cmd/temporal@$TEMPORAL_CLI_VERSION (log: $LOG_DIR/temporal-build.log)"
  local tmp="$CACHE/temporal/bin.tmp.$$" start=$SECONDS attempt
  for attempt in 1 2; do
    rm -rf "$tmp"
    (
      export GOBIN="$tmp" CGO_ENABLED=0 GOTOOLCHAIN=local GOFLAGS=-buildvcs=false
      [[ "$attempt" == 2 ]] && export GOSUMDB=off
      exec go install -v "github.com/temporalio/cli/cmd/temporal@$TEMPORAL_CLI_VERSION"
    ) >"$LOG_DIR/temporal-build.log" 2>&1 &
    local gopid=$!
    while kill -0 "$gopid" 2>/dev/null; do
      sleep 15
      if kill -0 "$gopid" 2>/dev/null; then
        log "temporal:   ... $((SECONDS - start))s, $(grep -c -v '^go: ' "$LOG_DIR/temporal-build.log" || true) packages compiled, $(grep -c '^go: downloading' "$LOG_DIR/temporal-build.log" || true) modules downloaded"
      fi
    done
    if wait "$gopid"; then break; fi
    if [[ "$attempt" == 1 ]] && grep -qiE 'sum\.golang\.org|checksum database|verifying .*: ' "$LOG_DIR/temporal-build.log"; then
      warn "temporal: checksum database unreachable; retrying with GOSUMDB=off"
      continue
    fi
    rm -rf "$tmp"
    tail -n 30 "$LOG_DIR/temporal-build.log" >&2
    die "temporal: go install failed (full log: $LOG_DIR/temporal-build.log)"
  done
  mv "$tmp/temporal" "$TEMPORAL_BIN"
  rm -rf "$tmp"
  flock -u 8
  log "temporal: built $TEMPORAL_BIN in $((SECONDS - start))s"
}

temporal_prepare() {
  temporal_build
  mkdir -p "$STATE/temporal"
}

# Development AES-256 keys (`kid:base64key`, mode 600), generated once and never rotated by this
# script: the Temporal payload codec's (read when TEMPORAL_PAYLOAD_KEYS is unset, see
# libs/platform/workflow payload-keys.ts) and the key-encryption key of stored secrets (when
# SECRETS_KEKS is unset, libs/platform/secrets). Production sets the variables and never reads these.
dev_aes_key() {
  local file="$SECRETS_DIR/$1" what=$2
  [[ -s "$file" ]] && return
  mkdir -p "$SECRETS_DIR" && chmod 0700 "$SECRETS_DIR"
  (umask 077 && printf 'dev-%s:%s\n' "$(date -u +%Y%m%d)" "$(head -c 32 /dev/urandom | base64 -w0)" >"$file.tmp")
  mv "$file.tmp" "$file"
  log "generated the development $what: $file"
}

# The development keys that sign access tokens (ES256; private JWKs mode 600 and the JWKS the
# services trust, in $STATE/auth), generated once; rotate with scripts/auth.ts rotate / retire.
auth_dev_keys() {
  [[ -s "$STATE/auth/signing-keys.json" ]] && return 0
  if [[ ! -d "$REPO_ROOT/node_modules/@swc-node/register" ]]; then
    warn "auth: node_modules missing, no development signing keys (run: npm install; bash scripts/infra.sh up)"
    return 0
  fi
  (cd "$REPO_ROOT" && PROJECTFLO_STATE="$STATE" SWC_NODE_PROJECT="$REPO_ROOT/tsconfig.base.json" \
    node -r @swc-node/register scripts/auth.ts keys --if-missing) || warn "auth: could not create the development signing keys"
}

temporal_launch() {
  log "temporal: starting dev server on $TEMPORAL_ADDR (Web UI http://127.0.0.1:$PORT_TEMPORAL_UI)..."
  local args=(server start-dev --ip 127.0.0.1 --port "$PORT_TEMPORAL" --ui-port "$PORT_TEMPORAL_UI"
              --db-filename "$STATE/temporal/temporal.db" --namespace "$TEMPORAL_NAMESPACE"
              --http-port "$PORT_TEMPORAL_HTTP" --metrics-port "$PORT_TEMPORAL_METRICS"
              --log-format json --log-level warn
              # The Web UI decodes payloads through the codec endpoint scripts/platform.sh starts.
              --ui-codec-endpoint "http://127.0.0.1:$PORT_TEMPORAL_CODEC")
  local sa
  # Re-registering the same attributes on an existing db file is accepted (the server skips
  # attributes that already exist with the same type).
  for sa in "${TEMPORAL_SEARCH_ATTRIBUTES[@]}"; do args+=(--search-attribute "$sa"); done
  launch_detached temporal "$LOG_DIR/temporal.log" "$TEMPORAL_BIN" "${args[@]}"
}

temporal_cli() { "$TEMPORAL_BIN" "$@" --command-timeout 5s; }

temporal_healthy() {
  [[ -x "$TEMPORAL_BIN" ]] || { port_open 127.0.0.1 "$PORT_TEMPORAL"; return; }
  temporal_cli operator cluster health --address "$TEMPORAL_ADDR" >/dev/null 2>&1
}

temporal_is_external() { [[ -z "$(pid_of temporal)" ]] && temporal_healthy; }

# Ready = our namespace exists and every custom search attribute is registered.
temporal_ready() {
  temporal_cli operator namespace describe --namespace "$TEMPORAL_NAMESPACE" \
    --address "$TEMPORAL_ADDR" >/dev/null 2>&1 || return 1
  local list sa
  list="$(temporal_cli operator search-attribute list --namespace "$TEMPORAL_NAMESPACE" \
    --address "$TEMPORAL_ADDR" 2>/dev/null)" || return 1
  for sa in "${TEMPORAL_SEARCH_ATTRIBUTES[@]}"; do
    grep -qw -- "${sa%%=*}" <<<"$list" || return 1
  done
}

temporal_stop() { stop_component temporal TERM 30; }

temporal_address() { echo "$TEMPORAL_ADDR (namespace $TEMPORAL_NAMESPACE, Web UI http://127.0.0.1:$PORT_TEMPORAL_UI)"; }

# ----------------------------------------------------------------------------------------------
# Mailpit: the local SMTP server the notifications service sends email to in development and
# tests (SMTP_HOST/SMTP_PORT), with a web inbox and the HTTP API tests assert on. Built once with
# `go install` from the Go module proxy into the cache; messages in $STATE/mailpit/mailpit.db.
# ----------------------------------------------------------------------------------------------
mailpit_build() {
  [[ -x "$MAILPIT_BIN" ]] && return 0
  command -v go >/dev/null || die "mailpit: Go is needed once to build Mailpit"
  mkdir -p "$CACHE/mailpit"
  exec 7>"$CACHE/mailpit/.build.lock"
  flock -w 900 7 || die "mailpit: timed out waiting for another build of Mailpit"
  if [[ -x "$MAILPIT_BIN" ]]; then flock -u 7; return 0; fi
  log "mailpit: building Mailpit $MAILPIT_VERSION (go install github.com/axllent/mailpit@$MAILPIT_VERSION, log: $LOG_DIR/mailpit-build.log)..."
  local tmp="$CACHE/mailpit/bin.tmp.$$" start=$SECONDS
  rm -rf "$tmp"
  if ! (export GOBIN="$tmp" CGO_ENABLED=0 GOTOOLCHAIN=local GOFLAGS=-buildvcs=false
        go install "github.com/axllent/mailpit@$MAILPIT_VERSION") >"$LOG_DIR/mailpit-build.log" 2>&1; then
    rm -rf "$tmp"; flock -u 7
    tail -n 30 "$LOG_DIR/mailpit-build.log" >&2
    die "mailpit: go install failed (full log: $LOG_DIR/mailpit-build.log)"
  fi
  mkdir -p "$(dirname "$MAILPIT_BIN")"
  mv "$tmp/mailpit" "$MAILPIT_BIN"
  rm -rf "$tmp"; flock -u 7
  log "mailpit: built $MAILPIT_BIN in $((SECONDS - start))s"
}

mailpit_prepare() { mailpit_build; mkdir -p "$STATE/mailpit"; }

mailpit_launch() {
  log "mailpit: starting SMTP on 127.0.0.1:$PORT_MAILPIT_SMTP (web inbox http://127.0.0.1:$PORT_MAILPIT_UI)..."
  # Any SMTP credentials are accepted (a tenant's configured username/password reach it as they
  # would a real relay); up to 20,000 messages are kept (benches send thousands). A message whose
  # Message-ID it already holds is dropped, as receiving mail systems do (Gmail, Sieve's RFC 7352
  # `duplicate`): the hand-off to SMTP is at least once (a worker killed after the relay's 250 and
  # before the delivery is recorded sends again on retry), and every attempt of one delivery
  # carries the same Message-ID, `<delivery id>@projectflo.notifications`.
  launch_detached mailpit "$LOG_DIR/mailpit.log" "$MAILPIT_BIN" \
    --smtp "127.0.0.1:$PORT_MAILPIT_SMTP" --listen "127.0.0.1:$PORT_MAILPIT_UI" \
    --database "$STATE/mailpit/mailpit.db" --max 20000 --ignore-duplicate-ids \
    --smtp-auth-accept-any --smtp-auth-allow-insecure --smtp-disable-rdns --disable-version-check --quiet
}

mailpit_healthy() { port_open 127.0.0.1 "$PORT_MAILPIT_SMTP" && port_open 127.0.0.1 "$PORT_MAILPIT_UI"; }

mailpit_is_external() { [[ -z "$(pid_of mailpit)" ]] && mailpit_healthy; }

mailpit_ready() { mailpit_healthy && curl -fsS -o /dev/null --max-time 2 "http://127.0.0.1:$PORT_MAILPIT_UI/api/v1/info"; }

mailpit_stop() { stop_component mailpit TERM 15; }

mailpit_address() { echo "smtp://127.0.0.1:$PORT_MAILPIT_SMTP (web inbox http://127.0.0.1:$PORT_MAILPIT_UI)"; }

# ----------------------------------------------------------------------------------------------
# External infrastructure (PROJECTFLO_EXTERNAL_INFRA=1): check, never start
# ----------------------------------------------------------------------------------------------
external_check() {
  # shellcheck source=env.sh
  source "$SCRIPT_DIR/env.sh"
  local ok=0 hostport db_shown
  db_shown="$(sed -E 's#(://[^:/@]*):[^@]*@#\1:***@#' <<<"$MIGRATION_DATABASE_URL")"
  log "PROJECTFLO_EXTERNAL_INFRA=1: checking existing servers, starting nothing"

  if command -v psql >/dev/null && psql -X -q "$MIGRATION_DATABASE_URL" -tAc 'select 1' >/dev/null 2>&1; then
    log "postgres: ok ($db_shown; the service roles come from deploy/postgres/service-roles.sh)"
  else
    warn "postgres: MIGRATION_DATABASE_URL does not answer 'select 1': $db_shown"; ok=1
  fi

  local kafka_ok=1
  for hostport in ${KAFKA_BROKERS//,/ }; do
    if port_open "${hostport%:*}" "${hostport##*:}"; then kafka_ok=0; break; fi
  done
  if (( kafka_ok == 0 )) && [[ -d "$KAFKA_LIBS" ]]; then
    mkdir -p "$STATE/kafka"
    printf 'log4j.rootLogger=ERROR, stderr\nlog4j.appender.stderr=org.apache.log4j.ConsoleAppender\nlog4j.appender.stderr.layout=org.apache.log4j.SimpleLayout\n' \
      >"$STATE/kafka/tools-log4j.properties"
    local client_config=/dev/null
    if [[ -n "${KAFKA_SASL_USERNAME:-}" ]]; then
      client_config="$STATE/kafka/external-client.properties"
      (umask 077; printf '%s\n' 'security.protocol=SASL_PLAINTEXT' 'sasl.mechanism=SCRAM-SHA-512' \
        "sasl.jaas.config=org.apache.kafka.common.security.scram.ScramLoginModule required username=\"$KAFKA_SASL_USERNAME\" password=\"${KAFKA_SASL_PASSWORD:-}\";" \
        >"$client_config")
    fi
    kafka_list_topics "$KAFKA_BROKERS" "$client_config" >/dev/null 2>&1 || kafka_ok=1
  fi
  if (( kafka_ok == 0 )); then log "kafka: ok ($KAFKA_BROKERS)"; else warn "kafka: KAFKA_BROKERS does not answer: $KAFKA_BROKERS"; ok=1; fi

  local t_ok=1
  if [[ -x "$TEMPORAL_BIN" ]]; then
    temporal_cli operator namespace describe --namespace "$TEMPORAL_NAMESPACE" \
      --address "$TEMPORAL_ADDRESS" >/dev/null 2>&1 && t_ok=0
  else
    port_open "${TEMPORAL_ADDRESS%:*}" "${TEMPORAL_ADDRESS##*:}" && t_ok=0
  fi
  if (( t_ok == 0 )); then log "temporal: ok ($TEMPORAL_ADDRESS, namespace $TEMPORAL_NAMESPACE)"
  else warn "temporal: TEMPORAL_ADDRESS does not answer (or namespace $TEMPORAL_NAMESPACE missing): $TEMPORAL_ADDRESS"; ok=1; fi

  # Mail is optional outside development (a real relay may only accept the services' network): warn only.
  if port_open "$SMTP_HOST" "$SMTP_PORT"; then log "mail: ok (SMTP $SMTP_HOST:$SMTP_PORT)"
  else warn "mail: SMTP_HOST:SMTP_PORT does not answer: $SMTP_HOST:$SMTP_PORT (email notifications will be retried, then fail)"; fi

  (( ok == 0 )) || die "external infrastructure is not ready"
}

# ----------------------------------------------------------------------------------------------
# Commands
# ----------------------------------------------------------------------------------------------
ensure_dirs() { mkdir -p "$CACHE" "$LOG_DIR" "$PID_DIR"; chmod 0755 "$STATE" "$LOG_DIR"; }

# Serialise up/down/restart across concurrent callers (parallel test runners, people).
take_lock() {
  ensure_dirs
  exec 9>"$STATE/.lock"
  if ! flock -n 9; then
    log "another scripts/infra.sh is running; waiting for it..."
    flock -w 900 9 || die "timed out waiting for the other scripts/infra.sh"
  fi
}

# parse_components NAME...: sets SELECTED to the named components (all when none), in the
# canonical order postgres, kafka, temporal.
SELECTED=()
parse_components() {
  local c want=" "
  (( $# > 0 )) || set -- all
  for c in "$@"; do
    case "$c" in
      postgres|pg|postgresql) want+="postgres " ;;
      kafka) want+="kafka " ;;
      temporal) want+="temporal " ;;
      mailpit|mail|smtp) want+="mailpit " ;;
      all) want+="${COMPONENTS[*]} " ;;
      *) die "unknown component '$c' (expected: ${COMPONENTS[*]})" ;;
    esac
  done
  SELECTED=()
  for c in "${COMPONENTS[@]}"; do
    if [[ "$want" == *" $c "* ]]; then SELECTED+=("$c"); fi
  done
}

# print_summary COMPONENT...: connection details of the components that were brought up.
print_summary() {
  local c
  echo
  echo "ProjectFlo infrastructure is up (state: $STATE):"
  for c in "$@"; do
    case "$c" in
      postgres) echo "  Postgres        $PG_URL" ;;
      kafka)    echo "  Kafka bootstrap $KAFKA_BOOTSTRAP  (SASL/SCRAM-SHA-512; passwords in $SECRETS_DIR)" ;;
      temporal) echo "  Temporal gRPC   $TEMPORAL_ADDR  (namespace $TEMPORAL_NAMESPACE)"
                echo "  Temporal Web UI http://127.0.0.1:$PORT_TEMPORAL_UI" ;;
      mailpit)  echo "  Mail (SMTP)     127.0.0.1:$PORT_MAILPIT_SMTP  (Mailpit; web inbox http://127.0.0.1:$PORT_MAILPIT_UI)" ;;
    esac
  done
  echo "  Environment     source scripts/env.sh"
}

cmd_up() {
  if [[ "${PROJECTFLO_EXTERNAL_INFRA:-0}" == 1 ]]; then external_check; auth_dev_keys; return; fi
  local comps c pid t0=$SECONDS
  parse_components "$@"; comps=("${SELECTED[@]}")
  take_lock

  # 1. artifacts and one-time initialisation (fast no-ops when cached)
  for c in "${comps[@]}"; do
    if [[ "$c" == postgres ]]; then pg_find_bin || true; fi
    if [[ -z "$(pid_of "$c")" ]]; then "${c}_prepare"; fi
    if [[ "$c" == temporal ]]; then dev_aes_key temporal-payload-keys 'Temporal payload key'; fi
  done
  auth_dev_keys
  dev_aes_key secret-keks 'key-encryption key of stored secrets'
  [[ -n "$PG_BIN" ]] || pg_find_bin || true

  # 2. launch what is not running (in parallel: the servers start while we wait for the first)
  local waiting=()
  for c in "${comps[@]}"; do
    pid="$(pid_of "$c")"
    if [[ -n "$pid" ]]; then
      log "$c: already running (pid $pid)"
    elif "${c}_healthy"; then
      warn "$c: something not started by this script already listens on its port; using it"
    else
      check_ports_free "$c"
      "${c}_launch"
    fi
    waiting+=("$c")
  done

  # 3. wait for readiness
  for c in "${waiting[@]}"; do wait_ready "$c" "${c}_ready"; done

  print_summary "${comps[@]}"
  log "up finished in $((SECONDS - t0))s"
}

cmd_down() {
  if [[ "${PROJECTFLO_EXTERNAL_INFRA:-0}" == 1 ]]; then log "external infrastructure: nothing to stop"; return; fi
  local comps c i
  parse_components "$@"; comps=("${SELECTED[@]}")
  take_lock
  # Reverse order: Temporal, then Kafka, then Postgres.
  for (( i = ${#comps[@]} - 1; i >= 0; i-- )); do
    c="${comps[$i]}"
    "${c}_stop"
  done
}

cmd_restart() {
  cmd_down "$@"
  cmd_up "$@"
}

cmd_status() {
  local c pid state rc=0
  pg_find_bin || true
  for c in "${COMPONENTS[@]}"; do
    pid="$(pid_of "$c")"
    if [[ "$c" == postgres && -z "$PG_BIN" ]]; then state=down
    elif "${c}_healthy"; then state=up
    elif [[ -n "$pid" ]]; then state=starting
    else state=down
    fi
    [[ "$state" == up ]] || rc=3
    printf '%-9s %-9s %s%s\n' "$c" "$state" "$("${c}_address")" \
      "${pid:+  [pid $pid]}$([[ "$state" == up && -z "$pid" ]] && echo '  [not managed by infra.sh]')"
  done
  return "$rc"
}

cmd_logs() {
  local c follow=0 arg comps=()
  for arg in "$@"; do
    case "$arg" in -f|--follow) follow=1 ;; *) comps+=("$arg") ;; esac
  done
  parse_components "${comps[@]}"; comps=("${SELECTED[@]}")
  local files=()
  for c in "${comps[@]}"; do
    if [[ -f "$LOG_DIR/$c.log" ]]; then files+=("$LOG_DIR/$c.log"); fi
    if [[ -s "$LOG_DIR/$c.out" ]]; then files+=("$LOG_DIR/$c.out"); fi
  done
  (( ${#files[@]} > 0 )) || die "no logs yet in $LOG_DIR"
  if (( follow )); then exec tail -n 100 -F "${files[@]}"; else tail -n "${LINES_TO_SHOW:-100}" "${files[@]}"; fi
}

usage() { sed -n '2,/^set -euo/p' "${BASH_SOURCE[0]}" | sed '$d' | sed 's/^# \{0,1\}//'; }

main() {
  local cmd="${1:-help}"
  (( $# > 0 )) && shift
  case "$cmd" in
    up|start)   cmd_up "$@" ;;
    down|stop)  cmd_down "$@" ;;
    restart)    cmd_restart "$@" ;;
    status)     cmd_status ;;
    logs|log)   cmd_logs "$@" ;;
    env)        bash -c 'source "$1/env.sh"; for v in MIGRATION_DATABASE_URL KAFKA_BROKERS TEMPORAL_ADDRESS TEMPORAL_NAMESPACE SMTP_HOST SMTP_PORT MAILPIT_URL; do printf "export %s=%q\n" "$v" "${!v}"; done' _ "$SCRIPT_DIR" ;;
    help|-h|--help) usage ;;
    *) usage >&2; die "unknown command '$cmd'" ;;
  esac
}

main "$@"
