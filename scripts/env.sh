# shellcheck shell=bash
# Source me: `source scripts/env.sh` (bash or zsh). Exports the connection settings of the local
# infrastructure started by scripts/infra.sh. Values already set in the environment win, so the
# same code can point at external servers (see PROJECTFLO_EXTERNAL_INFRA in scripts/infra.sh).
# Ports match deploy/ports.json.

# The schema owner: services migrate with it at start; tests and operator scripts inspect with it.
# Each service connects as its own role (pf_<service>, scripts/infra.sh), derived from this URL
# while DATABASE_URL is unset: do not point DATABASE_URL at the owner (a service refuses to start).
export MIGRATION_DATABASE_URL="${MIGRATION_DATABASE_URL:-postgres://projectflo:projectflo@127.0.0.1:${PG_PORT:-55432}/projectflo}"
export KAFKA_BROKERS="${KAFKA_BROKERS:-127.0.0.1:9092}"
export TEMPORAL_ADDRESS="${TEMPORAL_ADDRESS:-127.0.0.1:7233}"
export TEMPORAL_NAMESPACE="${TEMPORAL_NAMESPACE:-projectflo}"
# Email: the notifications service sends through this SMTP relay, scripts/infra.sh's Mailpit
# (web inbox and its HTTP API at MAILPIT_URL; tests assert there on what arrived).
export SMTP_HOST="${SMTP_HOST:-127.0.0.1}"
export SMTP_PORT="${SMTP_PORT:-1025}"
export MAILPIT_URL="${MAILPIT_URL:-http://127.0.0.1:8025}"

# Where scripts/infra.sh keeps the Temporal CLI (a dev server binary for @temporalio/testing's
# `existing-path` executable) and the Kafka jars (admin tools: org.apache.kafka.tools.TopicCommand).
export PROJECTFLO_TEMPORAL_CLI="${PROJECTFLO_TEMPORAL_CLI:-${PROJECTFLO_CACHE:-$HOME/.cache/projectflo}/temporal/bin/temporal}"
export PROJECTFLO_KAFKA_LIBS="${PROJECTFLO_KAFKA_LIBS:-${PROJECTFLO_CACHE:-$HOME/.cache/projectflo}/kafka-3.9.1/libs}"

# Kafka: the operator connects as the SCRAM super user `admin`, whose password scripts/infra.sh
# generated into $PROJECTFLO_STATE/secrets (each service gets its own user: scripts/platform.sh).
# No password file (a broker not yet switched to SASL): no credentials.
_pf_kafka_admin="${PROJECTFLO_STATE:-$(cd "$(dirname "${BASH_SOURCE[0]:-$0}")/.." && pwd)/.infra}/secrets/kafka-admin.password"
if [ -z "${KAFKA_SASL_USERNAME:-}" ] && [ -s "$_pf_kafka_admin" ]; then
  export KAFKA_SASL_USERNAME=admin
  KAFKA_SASL_PASSWORD="$(cat "$_pf_kafka_admin")"
  export KAFKA_SASL_PASSWORD
fi
unset _pf_kafka_admin

# Access tokens: services trust the development JWKS that scripts/infra.sh up creates (mint a token
# with scripts/auth.ts token ...); an AUTH_JWKS_URL already set (an identity provider) wins.
if [ -z "${AUTH_JWKS_URL:-}" ]; then
  export AUTH_JWKS_FILE="${AUTH_JWKS_FILE:-${PROJECTFLO_STATE:-$(cd "$(dirname "${BASH_SOURCE[0]:-$0}")/.." && pwd)/.infra}/auth/jwks.json}"
fi
export AUTH_ISSUER="${AUTH_ISSUER:-projectflo-dev}"
export AUTH_AUDIENCE="${AUTH_AUDIENCE:-projectflo}"
