#!/usr/bin/env bash
# The services' database roles (docs/SECURITY.md; libs/platform/persistence/src/database-roles.ts
# names them the same way), created or brought in line idempotently. scripts/infra.sh runs it on
# every `up`; docker-compose.yml mounts it into the postgres container's /docker-entrypoint-initdb.d.
#
# - pf_<service> logs in: no superuser, no BYPASSRLS, no CREATE anywhere, so row-level security
#   binds it; the schema owner's migrations grant it its table privileges. pg_read_all_stats lets
#   the relay's lag figure name the transaction holding it back.
# - pf_<service>_cross_tenant (NOLOGIN, BYPASSRLS, granted to pf_<service>) is what the service
#   switches to (SET LOCAL ROLE, one transaction) for work that spans tenants.
#
# Passwords: PF_<SERVICE>_PASSWORD (PF_CRM_PASSWORD, PF_TASK_ENGINE_PASSWORD, ...), else the
# development password dev_pf_<service>, which production configuration refuses. Running it again
# with a new PF_<SERVICE>_PASSWORD rotates that password (ALTER ROLE ... PASSWORD).
# Connection: psql's environment (PGHOST, PGPORT, PGUSER, PGPASSWORD, PGDATABASE) as a superuser,
# or the docker entrypoint's POSTGRES_USER/POSTGRES_DB over its socket; PSQL names the binary.
set -euo pipefail

SERVICE_ROLES=(pf_crm pf_task_engine pf_build_ledger pf_scheduling pf_notifications)

for login in "${SERVICE_ROLES[@]}"; do
  password_var="${login^^}_PASSWORD"
  "${PSQL:-psql}" -X -q -v ON_ERROR_STOP=1 \
    ${POSTGRES_USER:+--username "$POSTGRES_USER"} ${POSTGRES_DB:+--dbname "$POSTGRES_DB"} \
    -v login="$login" -v password="${!password_var:-dev_$login}" >/dev/null <<'SQL'
SET client_min_messages = warning;
SELECT format('CREATE ROLE %I LOGIN', :'login') WHERE NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = :'login') \gexec
SELECT format('ALTER ROLE %I LOGIN PASSWORD %L NOSUPERUSER NOCREATEDB NOCREATEROLE NOREPLICATION NOBYPASSRLS', :'login', :'password') \gexec
SELECT format('CREATE ROLE %I NOLOGIN BYPASSRLS', :'login' || '_cross_tenant')
  WHERE NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = :'login' || '_cross_tenant') \gexec
SELECT format('GRANT %I TO %I', :'login' || '_cross_tenant', :'login') \gexec
SELECT format('GRANT pg_read_all_stats TO %I', :'login') \gexec
SQL
done
