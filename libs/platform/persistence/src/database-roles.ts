import {
  CROSS_TENANT_ROLE_SUFFIX,
  EVENT_STORE_TABLE_PRIVILEGES,
  inPgTransaction,
  TENANT_SETTING,
  type TablePrivilege,
} from '@projectflo/platform/event-store';
import { assertIdentifier, qualifiedTable, quoteIdentifier } from '@projectflo/platform/core';
import type { Pool } from 'pg';
import { MIGRATIONS_TABLE } from './orm';

/**
 * The database roles of a service (docs/SECURITY.md):
 * - the owner (MIGRATION_DATABASE_URL) owns the schema and its tables and only migrates: the event
 *   store's DDL, the read-model migrations and, after them, {@link secureServiceSchema};
 * - the service logs in with its own role (DATABASE_URL; pf_<service> in development): no
 *   superuser, no BYPASSRLS, no CREATE, table privileges on its own schema only, so every tenant
 *   policy binds it;
 * - `<login>_cross_tenant` (NOLOGIN, BYPASSRLS, the same table privileges) is what the login role
 *   switches to for one transaction of cross-tenant work (database-scope.ts in platform/event-store).
 * scripts/infra.sh creates the development roles with the same names and passwords.
 */
export const TENANT_COLUMN = 'tenant_id';
export const TENANT_POLICY = 'tenant_isolation';

/** The read-model default: everything but DDL. */
const READ_MODEL_PRIVILEGES: readonly TablePrivilege[] = ['SELECT', 'INSERT', 'UPDATE', 'DELETE'];

/** Tables whose privileges differ from the read-model default; the owner's alone get none. */
const TABLE_PRIVILEGES: Readonly<Record<string, readonly TablePrivilege[]>> = {
  ...EVENT_STORE_TABLE_PRIVILEGES,
  [MIGRATIONS_TABLE]: [],
};

/** The development login role of a service (`crm` → `pf_crm`, `task-engine` → `pf_task_engine`). */
export function serviceLoginRole(service: string): string {
  return assertIdentifier(`pf_${service.replace(/-/g, '_')}`, 'role');
}

/** The password scripts/infra.sh gives a development role; production configuration refuses it. */
export function developmentPassword(role: string): string {
  return `dev_${role}`;
}

/** The service's development DATABASE_URL: its own login role on the owner's server and database. */
export function developmentServiceDatabaseUrl(service: string, ownerUrl: string): string {
  const url = new URL(ownerUrl);
  const role = serviceLoginRole(service);
  url.username = role;
  url.password = developmentPassword(role);
  return url.toString();
}

/** The role a postgres:// URL logs in as. */
export function loginRoleOf(databaseUrl: string): string {
  return assertIdentifier(decodeURIComponent(new URL(databaseUrl).username), 'login role');
}

export function crossTenantRoleOf(loginRole: string): string {
  return assertIdentifier(`${loginRole}${CROSS_TENANT_ROLE_SUFFIX}`, 'role');
}

/** The policy every tenant table has: a row is visible and writable only in its tenant's scope. */
export function tenantPolicySql(target: string, column: string = TENANT_COLUMN, policy: string = TENANT_POLICY): string {
  return `CREATE POLICY ${quoteIdentifier(policy, 'policy')} ON ${target}
    USING (${quoteIdentifier(column, 'column')} = current_setting('${TENANT_SETTING}', true))`;
}

interface TableRow {
  readonly table_name: string;
  readonly tenant: boolean;
  readonly enabled: boolean;
  readonly forced: boolean;
  readonly policy: boolean;
}

export interface SecuredSchema {
  /** Every table of the schema with a tenant column: each has FORCE ROW LEVEL SECURITY and the tenant policy. */
  readonly tenantTables: readonly string[];
}

/**
 * The security step that follows a service's migrations, run by the owner on every start (after
 * the event store's DDL, the migrations, the inbox and the relay checkpoints): it reads the
 * schema's tables from pg_catalog, so a table a new migration adds is covered without a line
 * for it. Every table with a `tenant_id` column gets ENABLE and FORCE ROW LEVEL SECURITY and the
 * tenant policy (added only when missing: a changed table takes no lock); the login role and its
 * cross-tenant role get USAGE on the schema, exactly the table privileges TABLE_PRIVILEGES gives
 * (the events log is append-only) and the sequences; nothing is granted CREATE.
 */
export async function secureServiceSchema(pool: Pool, schema: string, loginRole: string): Promise<SecuredSchema> {
  const s = quoteIdentifier(schema, 'schema');
  const roles = [loginRole, crossTenantRoleOf(loginRole)];
  const grantees = roles.map((r) => quoteIdentifier(r, 'role')).join(', ');
  return inPgTransaction(pool, async (client) => {
    await client.query('SELECT pg_advisory_xact_lock(hashtext($1))', [`projectflo.secure_schema.${schema}`]);
    const existing = await client.query<{ rolname: string }>('SELECT rolname FROM pg_roles WHERE rolname = ANY($1)', [roles]);
    const missing = roles.filter((r) => !existing.rows.some((row) => row.rolname === r));
    if (missing.length > 0) {
      throw new Error(`database role(s) ${missing.join(', ')} missing: create them before the service starts (scripts/infra.sh does in development; docs/SECURITY.md)`);
    }
    await client.query(`REVOKE CREATE ON SCHEMA ${s} FROM PUBLIC, ${grantees}`);
    await client.query(`GRANT USAGE ON SCHEMA ${s} TO ${grantees}`);
    await client.query(`GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA ${s} TO ${grantees}`);
    const { rows } = await client.query<TableRow>(
      `SELECT c.relname AS table_name, c.relrowsecurity AS enabled, c.relforcerowsecurity AS forced,
              EXISTS (SELECT 1 FROM pg_attribute a WHERE a.attrelid = c.oid AND a.attname = $2 AND NOT a.attisdropped) AS tenant,
              EXISTS (SELECT 1 FROM pg_policy p WHERE p.polrelid = c.oid AND p.polname = $3) AS policy
       FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
       WHERE n.nspname = $1 AND c.relkind IN ('r', 'p')
       ORDER BY c.relname`,
      [schema, TENANT_COLUMN, TENANT_POLICY],
    );
    for (const table of rows) {
      const target = qualifiedTable(schema, table.table_name);
      const privileges = TABLE_PRIVILEGES[table.table_name] ?? READ_MODEL_PRIVILEGES;
      await client.query(`REVOKE ALL ON ${target} FROM ${grantees}`);
      if (privileges.length > 0) await client.query(`GRANT ${privileges.join(', ')} ON ${target} TO ${grantees}`);
      if (!table.tenant) continue;
      if (!table.enabled) await client.query(`ALTER TABLE ${target} ENABLE ROW LEVEL SECURITY`);
      if (!table.forced) await client.query(`ALTER TABLE ${target} FORCE ROW LEVEL SECURITY`);
      if (!table.policy) await client.query(tenantPolicySql(target));
    }
    return { tenantTables: rows.filter((t) => t.tenant).map((t) => t.table_name) };
  });
}

/**
 * Refuses a service connection that row-level security would not bind: a superuser, a role with
 * BYPASSRLS, CREATEROLE or CREATEDB, the schema's owner (or a member of it), or one that may CREATE in the
 * schema. Never names the password.
 */
export async function assertServiceRole(pool: Pool, schema: string): Promise<void> {
  const { rows } = await pool.query<{ role: string; superuser: boolean; bypassrls: boolean; createrole: boolean; createdb: boolean; owner: boolean; create: boolean }>(
    `SELECT r.rolname AS role, r.rolsuper AS superuser, r.rolbypassrls AS bypassrls, r.rolcreaterole AS createrole, r.rolcreatedb AS createdb,
            pg_has_role(session_user, n.nspowner, 'USAGE') AS owner, has_schema_privilege(session_user, n.oid, 'CREATE') AS create
     FROM pg_roles r CROSS JOIN pg_namespace n
     WHERE r.rolname = session_user AND n.nspname = $1`,
    [schema],
  );
  const row = rows[0];
  if (row === undefined) throw new Error(`schema ${schema} does not exist: the migrations did not run`);
  const reasons = [
    row.superuser && 'is a superuser',
    row.bypassrls && 'has BYPASSRLS',
    row.createrole && 'has CREATEROLE',
    row.createdb && 'has CREATEDB',
    row.owner && `owns schema ${schema}`,
    row.create && `may CREATE in schema ${schema}`,
  ].filter((r): r is string => typeof r === 'string');
  if (reasons.length > 0) {
    throw new Error(
      `DATABASE_URL logs in as ${row.role}, which ${reasons.join(', ')}: row-level security would not bind the service; ` +
        `give it its own login role (docs/SECURITY.md) and keep the owner for MIGRATION_DATABASE_URL`,
    );
  }
}
