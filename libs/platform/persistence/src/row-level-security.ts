import type { MikroORM } from '@mikro-orm/postgresql';
import { OrmUnitOfWork, type OrmTx } from './orm-unit-of-work';
import { assertIdentifier, qualifiedTable, quoteIdentifier } from '@projectflo/platform/core';

/**
 * Tenant isolation on read models.
 *
 * PostgreSQL never applies row-level security to superusers, and applies it to a table's owner
 * only with FORCE ROW LEVEL SECURITY. Locally the services connect as a superuser that owns every
 * table, and the projector (which writes every tenant's rows) and rebuilds run as that owner. So:
 * - tables get ENABLE (not FORCE) row-level security, with a policy that compares `tenant_id`
 *   to the transaction's `app.tenant_id` setting;
 * - the query side reads through {@link withTenantScope}, which in one transaction sets
 *   `app.tenant_id` and switches to the NOLOGIN role `projectflo_app` (SET LOCAL ROLE), a role
 *   that is neither superuser nor owner, so the policy does apply to it.
 * An unset `app.tenant_id` matches no row: a scoped query that forgets its tenant sees nothing.
 * In production, the login role must be a member of projectflo_app (`GRANT projectflo_app TO <login>`).
 */
export const APP_READER_ROLE = 'projectflo_app';
export const TENANT_SETTING = 'app.tenant_id';

/** Idempotent and safe when several services migrate at once (roles are cluster-wide). */
export function appReaderRoleSql(role: string = APP_READER_ROLE): string {
  const name = assertIdentifier(role, 'role');
  return `DO $$ BEGIN
    CREATE ROLE ${quoteIdentifier(name)} NOLOGIN;
  EXCEPTION WHEN duplicate_object OR unique_violation THEN NULL;
  END $$`;
}

export interface RowLevelSecurityOptions {
  readonly tenantColumn?: string;
  readonly role?: string;
  readonly policyName?: string;
}

/** Statements for a service migration: enable RLS on a read-model table and let the reader role SELECT. */
export function rowLevelSecuritySql(schema: string, table: string, options: RowLevelSecurityOptions = {}): string[] {
  const target = qualifiedTable(schema, table);
  const column = quoteIdentifier(options.tenantColumn ?? 'tenant_id', 'column');
  const role = quoteIdentifier(options.role ?? APP_READER_ROLE, 'role');
  const policy = quoteIdentifier(options.policyName ?? 'tenant_isolation', 'policy');
  return [
    appReaderRoleSql(options.role ?? APP_READER_ROLE),
    `GRANT USAGE ON SCHEMA ${quoteIdentifier(schema, 'schema')} TO ${role}`,
    `GRANT SELECT ON ${target} TO ${role}`,
    `ALTER TABLE ${target} ENABLE ROW LEVEL SECURITY`,
    `DROP POLICY IF EXISTS ${policy} ON ${target}`,
    `CREATE POLICY ${policy} ON ${target} USING (${column} = current_setting('${TENANT_SETTING}', true))`,
  ];
}

/**
 * Runs read queries for one tenant: `tx.em` and `tx.query` only see rows whose tenant_id is
 * `tenantId`, whatever ids the caller asks for. Read-only by design (the role has SELECT only).
 */
export async function withTenantScope<R>(
  orm: MikroORM,
  tenantId: string,
  fn: (tx: OrmTx) => Promise<R>,
  role: string = APP_READER_ROLE,
): Promise<R> {
  if (tenantId.length === 0) throw new Error('a tenant-scoped query needs a tenant id');
  return new OrmUnitOfWork(orm).transactional(async (tx) => {
    await tx.query(`SELECT set_config('${TENANT_SETTING}', $1, true)`, [tenantId]);
    await tx.query(`SET LOCAL ROLE ${quoteIdentifier(role, 'role')}`);
    return fn(tx);
  });
}
